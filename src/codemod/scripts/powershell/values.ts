import type { ConcreteNode } from "../../../syntax/index.js";
import { descendants, fieldOf, namedChildren, textOf } from "../nodes.js";

// PowerShell values as a rewrite reads them. tree-sitter's grammar wraps a plain value in a chain of
// one-child expression nodes (pipeline → … → unary_expression → string_literal): these helpers see through
// it, and read strings, hashtables and variables assigned once.

/** The one-child expression nodes the grammar wraps a plain value in. */
export const EXPRESSION_CHAIN: ReadonlySet<string> = new Set([
  "pipeline",
  "pipeline_chain",
  "logical_expression",
  "bitwise_expression",
  "comparison_expression",
  "additive_expression",
  "multiplicative_expression",
  "format_expression",
  "range_expression",
  "array_literal_expression",
  "unary_expression",
  "string_literal",
]);

export const STRINGS = new Set([
  "expandable_string_literal",
  "verbatim_string_characters",
  "generic_token",
  "expandable_here_string_literal",
  "verbatim_here_string_characters",
]);

/** The node a wrapper chain holds (a string, a hashtable, a variable…). */
export function inner(node: ConcreteNode): ConcreteNode {
  let current = node;
  for (;;) {
    const named = namedChildren(current);
    if (!EXPRESSION_CHAIN.has(current.type) || named.length !== 1) return current;
    current = named[0]!;
  }
}

/** The outermost wrapper around a node: what a command or an assignment holds. */
export function outer(node: ConcreteNode): ConcreteNode {
  let current = node;
  while (current.parent && EXPRESSION_CHAIN.has(current.parent.type) && namedChildren(current.parent).length === 1)
    current = current.parent;
  return current;
}

/** A string's value when nothing in it expands: `'…'`, `"…"` without variables or backticks, a bare word. */
export function stringValue(text: string, node: ConcreteNode): string | undefined {
  const raw = textOf(text, node);
  switch (node.type) {
    case "generic_token":
      return raw.includes("`") ? undefined : raw;
    case "verbatim_string_characters":
      return raw.slice(1, -1).replaceAll("''", "'");
    case "expandable_string_literal":
      return namedChildren(node).length > 0 || /[`$]/.test(raw) ? undefined : raw.slice(1, -1);
    default:
      return undefined;
  }
}

/** The string's text as it would read inside double quotes (expansions kept). */
export function doubleQuotedText(text: string, node: ConcreteNode): string | undefined {
  const raw = textOf(text, node);
  switch (node.type) {
    case "generic_token":
      return raw.includes("`") ? undefined : raw.replace(/[`$"]/g, "`$&");
    case "verbatim_string_characters":
      return raw.slice(1, -1).replaceAll("''", "'").replace(/[`$"]/g, "`$&");
    case "expandable_string_literal":
      return raw.slice(1, -1);
    default:
      return undefined;
  }
}

export function isVariable(text: string, node: ConcreteNode): boolean {
  return node.type === "variable" && textOf(text, node).startsWith("$");
}

/** Variable names compare without case and without a `$`/`@` sigil. */
export function variableName(text: string, node: ConcreteNode): string {
  return textOf(text, node).slice(1).toLowerCase();
}

export interface Assignment {
  node: ConcreteNode;
  /** The value assigned, unwrapped. */
  value: ConcreteNode;
}

/** Every `$name = …` in the file, by variable name; a name assigned more than once has several. */
export function assignments(root: ConcreteNode, text: string): Map<string, Assignment[]> {
  const byName = new Map<string, Assignment[]>();
  for (const node of descendants(root)) {
    if (node.type !== "assignment_expression") continue;
    const target = inner(namedChildren(fieldOf(node, "left") ?? node.children[0]!)[0] ?? node.children[0]!);
    const value = fieldOf(node, "value");
    if (!value || target.type !== "variable") continue;
    const name = variableName(text, target);
    byName.set(name, [...(byName.get(name) ?? []), { node, value: inner(value) }]);
  }
  return byName;
}

/** The keys of a hashtable literal, lower-cased, with each entry's value. */
export function hashEntries(text: string, hash: ConcreteNode): Map<string, ConcreteNode> {
  const entries = new Map<string, ConcreteNode>();
  const body = namedChildren(hash).find((child) => child.type === "hash_literal_body");
  for (const entry of body ? namedChildren(body) : []) {
    if (entry.type !== "hash_entry") continue;
    const key = textOf(text, namedChildren(entry)[0]!).replace(/^["']|["']$/g, "");
    const value = namedChildren(entry)[1];
    if (value) entries.set(key.toLowerCase(), inner(value));
  }
  return entries;
}
