import { ts } from "./ts.js";
import type { TextEdit } from "../core/finding.js";
import { editsOverlap } from "../core/fix.js";
import { statementRemoval, tidiedRemovals } from "./edit-helpers.js";
import { isPure } from "./evaluate.js";
import { isExported, isNameOfItsParent, lookup, referencesTo } from "./scope.js";

// Constants a rewrite leaves unread (`const PORT = 50342` once the URL no longer spells `${PORT}`) go with it:
// only those every read of which the edits take away, declared alone in their statement, not exported, and
// whose value has no effect of its own. One removed can leave another unread (an origin built from a host
// constant): that one goes too.

export interface Removal {
  edits: TextEdit[];
  names: string[];
}

const MAX_ROUNDS = 5;

export function unusedConstants(file: ts.SourceFile, edits: readonly TextEdit[]): Removal {
  const removal: Removal = { edits: [], names: [] };
  let gone = readsTakenAway(file, edits);
  for (let round = 0; round < MAX_ROUNDS && gone.size > 0; round++) {
    const next = new Set<ts.Identifier>();
    for (const declaration of declarationsOf(gone)) {
      const statement = declaration.parent.parent;
      if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) continue;
      if (isExported(declaration) || !declaration.initializer || !isPure(declaration.initializer)) continue;
      if (!referencesTo(declaration).every((reference) => gone.has(reference))) continue;
      const edit = statementRemoval(statement);
      if ([...edits, ...removal.edits].some((other) => editsOverlap(other, edit))) continue;
      removal.edits.push(edit);
      removal.names.push(declaration.name.getText());
      for (const read of identifiersIn(declaration.initializer)) next.add(read);
    }
    gone = new Set([...gone, ...next]);
    if (next.size === 0) break;
  }
  return { ...removal, edits: tidiedRemovals(file.text, removal.edits) };
}

/** Identifiers the edits replace and whose name no edit writes again (text moves: a form into the URL). */
function readsTakenAway(file: ts.SourceFile, edits: readonly TextEdit[]): Set<ts.Identifier> {
  const taken = new Set<ts.Identifier>();
  const written = edits.map((edit) => edit.text).join("\n");
  const visit = (node: ts.Node): void => {
    const start = node.getStart(file);
    const covering = edits.filter((edit) => edit.start < node.end && start < edit.end);
    if (covering.length === 0) return;
    if (ts.isIdentifier(node)) {
      if (isNameOfItsParent(node)) return;
      const inside = covering.some((e) => e.start <= start && node.end <= e.end);
      if (inside && !new RegExp(`(?<![\\w$])${node.text}(?![\\w$])`).test(written)) taken.add(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return taken;
}

function declarationsOf(reads: Iterable<ts.Identifier>): Set<ts.VariableDeclaration> {
  const found = new Set<ts.VariableDeclaration>();
  for (const read of reads) {
    const binding = lookup(read.text, read);
    if (binding?.kind === "const" && ts.isIdentifier(binding.declaration.name)) found.add(binding.declaration);
  }
  return found;
}

function identifiersIn(node: ts.Node): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && !isNameOfItsParent(child)) found.push(child);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}
