import type { Language } from "../core/language.js";
import { grammarOf } from "./grammars.js";
import { lex } from "./lexical.js";
import type { SyntaxTree } from "../core/syntax-tree.js";
import type { ParseConcrete } from "./concrete.js";

// The syntax service: parse(language, text) gives a tree of comments, strings, calls, command substitutions,
// functions and object literals with offsets, for lint's rules and for rewrites. Languages with a
// tree-sitter grammar get a full parse; ARM JSON, Bicep, Terraform, YAML and Dockerfiles get comments and
// strings from a lexer. Nothing is loaded until a file of the language is parsed.

export type { NodeKind, SyntaxNode, SyntaxTree } from "../core/syntax-tree.js";
export type { ConcreteNode, ConcreteTree, ParseConcrete } from "./concrete.js";

/** `path` tells the syntax of text no language name covers (see lexical.ts). */
export type ParseText = (text: string, path?: string) => SyntaxTree;

export {
  cellLines,
  cellRange,
  linesInCells,
  loadNotebookReader,
  notebookUnits,
  type NotebookCell,
  type NotebookUnit,
  type ReadNotebook,
} from "./notebook.js";
export { codeBlocks, namesALine, textOnDocumentLines, type CodeBlock } from "./code-blocks.js";

/** Loads what parses the language (once per process); the function it gives parses synchronously. */
export async function loadParser(language: Language): Promise<ParseText> {
  const grammar = grammarOf(language);
  if (grammar) {
    const { treeSitterParser } = await import("./tree-sitter.js");
    return treeSitterParser(language, grammar);
  }
  return (text, path) => lex(language, text, path);
}

/** The whole concrete tree, for rewrites (loads the grammar once per process; parses synchronously). */
export async function loadConcreteParser(language: Language): Promise<ParseConcrete> {
  const { loadConcreteParser: load } = await import("./concrete.js");
  return load(language);
}

export async function parse(language: Language, text: string): Promise<SyntaxTree> {
  return (await loadParser(language))(text);
}
