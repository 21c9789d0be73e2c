import type { Language } from "./language.js";

// The syntax tree every consumer sees, whatever parsed the file (src/syntax/ makes it): only the nodes rules
// and rewrites ask about (comments, strings, calls, command substitutions, functions, object literals), as
// plain objects with offsets into the text (UTF-16 code units, as JavaScript indexes strings). The parser's
// own tree is freed once these are taken out of it, so a tree can be kept, passed around or dropped without
// any release step.

export type NodeKind = "comment" | "string" | "call" | "command-substitution" | "function" | "object";

export interface SyntaxNode {
  kind: NodeKind;
  /** The grammar's own name for the node (`call_expression`, `hash_literal_expression`), for finer tests. */
  type: string;
  start: number;
  end: number;
  /** The nearest enclosing node of any kind; undefined at the top. */
  parent: SyntaxNode | undefined;
  /**
   * A call's callee as written, from the call's start to the end of the called name (`requests.post`,
   * `Invoke-RestMethod`, `new MSICredentials`); a function's name. Absent where the code gives none.
   */
  name?: string;
}

export interface SyntaxTree {
  language: Language;
  text: string;
  /** Every node in document order, each before the nodes inside it. */
  nodes: readonly SyntaxNode[];
  /** Places the parser could not read; the rest of the tree is still sound around them. */
  errors: number;
  /** The innermost node (of one of `kinds`, when given) that contains [start, end). */
  enclosing(start: number, end?: number, kinds?: NodeKind | readonly NodeKind[]): SyntaxNode | undefined;
  /** The nodes of a kind, in document order. */
  ofKind(kind: NodeKind): readonly SyntaxNode[];
  /** The node's text. */
  textOf(node: SyntaxNode): string;
}
