import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Language as LanguageId } from "../core/language.js";
import type { Grammar } from "./grammars.js";
import type { SyntaxNode, SyntaxTree } from "../core/syntax-tree.js";
import { syntaxTree } from "./tree.js";
import { compileWebAssemblyWithLiftoffOnly } from "./webassembly-tiering.js";

// Parsing with tree-sitter's WebAssembly runtime and the grammars VS Code ships (@vscode/tree-sitter-wasm).
// The runtime and each grammar are loaded at their first use, so a run whose files all fail the byte
// prefilter never pays for them.

type Runtime = typeof import("@vscode/tree-sitter-wasm");
export type TreeSitterParser = InstanceType<Runtime["Parser"]>;
type TreeSitterNode = NonNullable<ReturnType<InstanceType<Runtime["Tree"]>["rootNode"]["child"]>>;

const MAX_NAME = 160;

let runtime: Promise<Runtime> | undefined;
const parsers = new Map<string, Promise<TreeSitterParser>>();

function loadRuntime(): Promise<Runtime> {
  runtime ??= (async () => {
    compileWebAssemblyWithLiftoffOnly();
    // require, not import(): the runtime is CommonJS, and import() would scan its 170 kB for exports first.
    const api = createRequire(import.meta.url)("@vscode/tree-sitter-wasm") as Runtime;
    await api.Parser.init();
    return api;
  })();
  return runtime;
}

/** A parser for the grammar, loaded once. */
export function parserFor(grammar: Grammar): Promise<TreeSitterParser> {
  let parser = parsers.get(grammar.wasm);
  if (!parser) {
    parser = (async () => {
      const api = await loadRuntime();
      const folder = dirname(createRequire(import.meta.url).resolve("@vscode/tree-sitter-wasm"));
      const bytes = await readFile(join(folder, `tree-sitter-${grammar.wasm}.wasm`));
      const made = new api.Parser();
      made.setLanguage(await api.Language.load(bytes));
      return made;
    })();
    parsers.set(grammar.wasm, parser);
    // A failed load is not remembered, so that the next file tries again and reports its own failure.
    parser.catch(() => parsers.delete(grammar.wasm));
  }
  return parser;
}

/**
 * Parses `text`, handing the parser the 10 KiB it copies per call rather than the rest of the text, so that
 * what is read is what is parsed. A chunk never ends between the two halves of a surrogate pair.
 */
export function parseText(parser: TreeSitterParser, text: string) {
  return parser.parse((index: number) => {
    let end = index + PARSE_CHUNK;
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end++;
    return text.slice(index, end);
  });
}
const PARSE_CHUNK = 10 * 1024;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Loads the grammar; the function it gives parses synchronously. */
export async function treeSitterParser(language: LanguageId, grammar: Grammar): Promise<(text: string) => SyntaxTree> {
  const parser = await parserFor(grammar);
  return (text) => {
    const tree = parseText(parser, text);
    if (!tree) throw new Error(`tree-sitter returned no tree for ${language}`);
    try {
      const { nodes, errors } = collect(tree.rootNode, text, grammar);
      return syntaxTree(language, text, nodes, errors);
    } finally {
      tree.delete();
    }
  };
}

/** Walks the whole tree once with a cursor, keeping the nodes the grammar maps to a kind. */
function collect(root: TreeSitterNode, text: string, grammar: Grammar): { nodes: SyntaxNode[]; errors: number } {
  const nodes: SyntaxNode[] = [];
  /** The kept nodes that enclose the cursor, with the depth each was met at. */
  const open: { node: SyntaxNode; depth: number }[] = [];
  let errors = 0;
  let depth = 0;
  const hasErrors = root.hasError;
  const cursor = root.walk();
  try {
    for (;;) {
      const type = cursor.nodeType;
      while (open.length > 0 && open.at(-1)!.depth >= depth) open.pop();
      if (hasErrors && (type === "ERROR" || cursor.nodeIsMissing)) errors++;
      let kind = grammar.kinds[type];
      if (
        kind === "string" &&
        grammar.bareStringStatement &&
        standsAlone(cursor.currentNode, grammar.bareStringStatement)
      )
        kind = "comment";
      if (kind !== undefined) {
        const node: SyntaxNode = {
          kind,
          type,
          start: cursor.startIndex,
          end: cursor.endIndex,
          parent: open.at(-1)?.node,
        };
        const name = grammar.names[type];
        if (name !== undefined) nameNode(node, cursor.currentNode, name, text);
        nodes.push(node);
        open.push({ node, depth });
      }
      // Strings are walked into as well: interpolations and command substitutions live there.
      if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return { nodes, errors };
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

function standsAlone(node: TreeSitterNode, statement: string): boolean {
  const parent = node.parent;
  return parent?.type === statement && parent.namedChildCount === 1;
}

/**
 * A call's name is its callee as written, from the call's start; a function's is its name alone. Rules read
 * a name's end (`….withPublisher`): a chain of a hundred calls keeps only its last characters in each link.
 */
function nameNode(node: SyntaxNode, treeNode: TreeSitterNode, where: string, text: string): void {
  const child = where.startsWith("child:")
    ? treeNode.namedChildren.find((c) => c?.type === where.slice("child:".length))
    : treeNode.childForFieldName(where);
  if (!child) return;
  const from = node.kind === "call" ? Math.max(node.start, child.endIndex - MAX_NAME) : child.startIndex;
  node.name = text.slice(from, child.endIndex).replace(/\s+/g, " ");
}
