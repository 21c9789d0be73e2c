import { ts } from "./ts.js";
import type { CallOutcome } from "./clients/types.js";
import { calleeName } from "./clients/callee.js";
import { constantTarget } from "./evaluate.js";
import { isExported, isNameOfItsParent, referencesTo } from "./scope.js";
import type { Suppression } from "./suppression.js";

// A rewrite that edits a constant changes every other use of that constant too. Uses that are text for
// people (an error message, a log line) may follow: they then name the URL the code really calls, and the
// fix says so. Any other use (another request, a value handed on) makes the rewrite a case for a person.
// A use counts as rewritten only if the URL was read through that very reference: the same constant in
// another argument of the call (a Referer header, say) is another use. Exported constants never get here:
// the URL plan refuses them.

export interface Located {
  node: ts.Node;
  outcome: CallOutcome;
}

const TEXT_KINDS = {
  error: { one: "an error message", many: "error messages" },
  log: { one: "a log line", many: "log lines" },
  thrown: { one: "a thrown value", many: "thrown values" },
} as const;

type TextKind = keyof typeof TEXT_KINDS;

type Use = { node: ts.Node; text?: TextKind };

export function guardSharedConstants(
  file: ts.SourceFile,
  located: readonly Located[],
  suppression: Suppression | undefined,
  keptByDirective: string,
): void {
  const targets = new Map<ts.Node, string>();
  const readThrough = new Set<ts.Node>();
  const allowed: ts.Node[] = [];
  for (const item of located) {
    if (item.outcome.kind !== "rewrite") continue;
    for (const constant of item.outcome.constants) {
      readThrough.add(constant);
      const target = constantTarget(constant as ts.Expression);
      if (!target) continue;
      targets.set(target, constant.getText());
      allowed.push(target);
    }
  }
  if (targets.size === 0) return;
  const names = new Set([...targets.values()].map((text) => text.slice(text.lastIndexOf(".") + 1)));
  const uses = new Map<ts.Node, Use[]>();
  const visit = (node: ts.Node): void => {
    const name = ts.isPropertyAccessExpression(node)
      ? node.name.text
      : ts.isIdentifier(node) && !isNameOfItsParent(node)
        ? node.text
        : undefined;
    if (name !== undefined && names.has(name)) {
      const target = constantTarget(node as ts.Expression);
      if (
        target &&
        targets.has(target) &&
        !readThrough.has(node) &&
        !readsSearchParams(node) &&
        !allowed.some((region) => within(node, region))
      ) {
        const text = suppression?.covers(node) ? undefined : textForPeople(node);
        uses.set(target, [...(uses.get(target) ?? []), { node, ...(text ? { text } : {}) }]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (uses.size === 0) return;
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  for (const item of located) {
    const outcome = item.outcome;
    if (outcome.kind !== "rewrite") continue;
    for (const constant of outcome.constants) {
      const found = uses.get(constantTarget(constant as ts.Expression) as ts.Node) ?? [];
      const other = found.find((use) => use.text === undefined);
      if (other) {
        const reason =
          `the constant ${constant.getText()} the URL is built from is also used on line ${lineOf(other.node)}, ` +
          (suppression?.covers(other.node) ? keptByDirective : otherUse(other.node));
        item.outcome = { kind: "review", client: outcome.client, reason, literals: outcome.literals };
        break;
      }
      if (found.length === 0) continue;
      const remark = `${constant.getText()} also appears in ${describeTextUses(found, lineOf)}: it now names the IMDS URL`;
      if (!outcome.remarks.includes(remark)) outcome.remarks.push(remark);
    }
  }
}

/** "a log line (line 7) and error messages (lines 12, 14)". */
function describeTextUses(uses: readonly Use[], lineOf: (node: ts.Node) => number): string {
  const byKind = new Map<TextKind, number[]>();
  for (const use of uses) byKind.set(use.text!, [...(byKind.get(use.text!) ?? []), lineOf(use.node)]);
  const parts = [...byKind].map(([kind, lines]) =>
    lines.length === 1
      ? `${TEXT_KINDS[kind].one} (line ${lines[0]})`
      : `${TEXT_KINDS[kind].many} (lines ${lines.join(", ")})`,
  );
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

const LOG_METHODS = new Set(["log", "info", "warn", "warning", "error", "debug", "trace", "verbose", "fatal", "silly"]);

/** What kind of text for people the use ends up in, if that is all it does. */
function textForPeople(use: ts.Node): TextKind | undefined {
  const node = stringRoot(use);
  const parent = node.parent;
  if (ts.isThrowStatement(parent)) return "thrown";
  if (
    (ts.isNewExpression(parent) || ts.isCallExpression(parent)) &&
    parent.arguments?.includes(node as ts.Expression)
  ) {
    const callee = calleeName(parent.expression);
    if (callee && /Error$/.test(callee)) return "error";
    if (ts.isCallExpression(parent) && isLogCall(parent)) return "log";
  }
  return undefined;
}

function isLogCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text === "debug" || callee.text === "log";
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const owner = callee.expression;
  return (ts.isIdentifier(owner) && owner.text === "console") || LOG_METHODS.has(callee.name.text);
}

/** Up through the string a use is part of: `"… " + URL`, `` `… ${URL}` ``. */
function stringRoot(use: ts.Node): ts.Node {
  let node = use;
  while (
    ts.isParenthesizedExpression(node.parent) ||
    ts.isTemplateSpan(node.parent) ||
    ts.isTemplateExpression(node.parent) ||
    (ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.PlusToken)
  ) {
    node = node.parent;
  }
  return node;
}

function otherUse(node: ts.Node): string {
  const argument = stringRoot(node);
  const call = argument.parent;
  if ((ts.isCallExpression(call) || ts.isNewExpression(call)) && call.arguments?.includes(argument as ts.Expression))
    return `by a call to ${call.expression.getText()} msi2imds cannot move to IMDS`;
  return "where msi2imds cannot rewrite it";
}

function readsSearchParams(node: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node.parent) &&
    node.parent.expression === node &&
    node.parent.name.text === "searchParams"
  );
}

function within(node: { pos?: number; start?: number; end: number }, region: ts.Node): boolean {
  return (node.pos ?? node.start!) >= region.pos && node.end <= region.end;
}

/**
 * Headers or options a rewrite edits in a constant (`const HEADERS = {…}` passed by name), and the defaults of
 * a client instance (`axios.create({ baseURL })`), change for every other reader: each must be a call
 * rewritten with it, else the rewrite is a case for a person.
 */
export function guardSharedObjects(file: ts.SourceFile, located: readonly Located[]): void {
  const rewritten = located.filter((item) => item.outcome.kind === "rewrite").map((item) => item.node);
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  for (const item of located) {
    const outcome = item.outcome;
    if (outcome.kind !== "rewrite") continue;
    const instance = outcome.instance;
    const elsewhere = instance && referencesTo(instance).find((use) => !rewritten.some((call) => within(use, call)));
    if (instance && elsewhere) {
      const reason =
        `its client ${instance.name.getText()} (whose base URL the rewrite changes) is also used on line ` +
        `${lineOf(elsewhere)}, for a request msi2imds cannot move`;
      item.outcome = { kind: "review", client: outcome.client, reason, literals: outcome.literals };
      continue;
    }
    const urlTargets = outcome.constants.map((c) => constantTarget(c as ts.Expression)).filter((t) => t !== undefined);
    for (const edit of outcome.edits) {
      if (within(edit, item.node) || urlTargets.some((target) => within(edit, target))) continue;
      const declaration = objectConstantAt(file, edit.start);
      if (!declaration) continue;
      const name = declaration.name.getText();
      const stray = isExported(declaration)
        ? declaration
        : referencesTo(declaration).find((reference) => !rewritten.some((call) => within(reference, call)));
      if (!stray) continue;
      const reason = isExported(declaration)
        ? `it edits the exported constant ${name}, which other modules use too`
        : `it edits the constant ${name}, also used on line ${lineOf(stray)} where msi2imds cannot follow`;
      item.outcome = { kind: "review", client: outcome.client, reason, literals: outcome.literals };
      break;
    }
  }
}

/** The constant whose object literal (at any depth of properties) holds `offset`. */
function objectConstantAt(file: ts.SourceFile, offset: number): ts.VariableDeclaration | undefined {
  let node: ts.Node = file;
  for (;;) {
    const child = node.getChildren(file).find((c) => c.getStart(file) <= offset && offset < c.end);
    if (!child) break;
    node = child;
  }
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isVariableDeclaration(current)) return current;
    if (ts.isFunctionLike(current) || ts.isStatement(current) || ts.isCallExpression(current)) return undefined;
  }
  return undefined;
}
