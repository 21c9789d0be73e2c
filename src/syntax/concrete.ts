import type { Language } from "../core/language.js";
import { grammarOf } from "./grammars.js";
import { parserFor, type TreeSitterParser } from "./tree-sitter.js";

// The whole concrete syntax tree of a file, for rewrites that edit arguments, options and dictionary
// entries (the codemod for Python, shell and PowerShell): every node tree-sitter made, named or not
// (punctuation included, so an edit can find a comma or a parenthesis), with the field it fills in its
// parent, as plain objects with UTF-16 offsets. Same parsers and grammars as the syntax tree lint reads;
// this one keeps everything, so it is made only for the few files a rewrite reads.

export interface ConcreteNode {
  /** The grammar's name for the node; for an unnamed token, its text (`(`, `,`, `=`). */
  type: string;
  named: boolean;
  /** The field of its parent this node fills (`function`, `arguments`, `name`, `value`), if any. */
  field: string | undefined;
  start: number;
  end: number;
  parent: ConcreteNode | undefined;
  children: ConcreteNode[];
}

export interface ConcreteTree {
  language: Language;
  text: string;
  root: ConcreteNode;
  /** Places the parser could not read (ERROR or missing nodes). */
  errors: number;
}

export type ParseConcrete = (text: string) => ConcreteTree;

/** Loads the language's grammar (once per process); the function it gives parses synchronously. */
export async function loadConcreteParser(language: Language): Promise<ParseConcrete> {
  const grammar = grammarOf(language);
  if (!grammar) throw new Error(`no grammar for ${language}`);
  const parser = await parserFor(grammar);
  return (text) => concreteTree(parser, language, text);
}

function concreteTree(parser: TreeSitterParser, language: Language, text: string): ConcreteTree {
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${language}`);
  const cursor = tree.walk();
  try {
    let errors = 0;
    const make = (parent: ConcreteNode | undefined): ConcreteNode => {
      if (cursor.nodeType === "ERROR" || cursor.nodeIsMissing) errors++;
      return {
        type: cursor.nodeType,
        named: cursor.nodeIsNamed,
        field: cursor.currentFieldName ?? undefined,
        start: cursor.startIndex,
        end: cursor.endIndex,
        parent,
        children: [],
      };
    };
    const root = make(undefined);
    // Depth-first with the cursor, iteratively: a deeply nested expression must not exhaust the stack.
    let current = root;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        const child = make(current);
        current.children.push(child);
        current = child;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return { language, text, root, errors };
        current = current.parent!;
      }
      const sibling = make(current.parent);
      current.parent!.children.push(sibling);
      current = sibling;
    }
  } finally {
    cursor.delete();
    tree.delete();
  }
}
