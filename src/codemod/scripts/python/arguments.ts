import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import { fieldOf, indentationAt, namedChildren, textOf } from "../nodes.js";

// A Python call's arguments as a rewrite reads and edits them: positional ones in order, keyword ones by
// name, and edits that add or remove one in the call's own layout (one line, or one argument per line with
// or without a trailing comma).

export interface Arguments {
  list: ConcreteNode;
  all: ConcreteNode[];
  positional: ConcreteNode[];
  keywords: Map<string, ConcreteNode>;
  /** `*args` or `**kwargs`: what the call passes cannot all be read. */
  unpacked: boolean;
}

export function readArguments(call: ConcreteNode, text: string): Arguments | undefined {
  const list = fieldOf(call, "arguments");
  if (list?.type !== "argument_list") return undefined;
  const all = namedChildren(list).filter((node) => node.type !== "comment");
  const keywords = new Map<string, ConcreteNode>();
  for (const node of all)
    if (node.type === "keyword_argument") keywords.set(textOf(text, fieldOf(node, "name")!), node);
  return {
    list,
    all,
    positional: all.filter((node) => node.type !== "keyword_argument" && !isUnpacking(node)),
    keywords,
    unpacked: all.some(isUnpacking),
  };
}

function isUnpacking(node: ConcreteNode): boolean {
  return node.type === "list_splat" || node.type === "dictionary_splat";
}

/** The value of `name=` or of the positional argument at `index` (undefined for none). */
export function argument(args: Arguments, name: string, index?: number): ConcreteNode | undefined {
  const keyword = args.keywords.get(name);
  if (keyword) return fieldOf(keyword, "value");
  return index === undefined ? undefined : args.positional[index];
}

/** Adds arguments after the last one, as the call lays its arguments out. */
export function appendArguments(args: Arguments, texts: readonly string[], text: string): TextEdit {
  const last = args.all.at(-1);
  const close = args.list.children.at(-1)!;
  if (!last) return { start: args.list.start + 1, end: args.list.start + 1, text: texts.join(", ") };
  const comma = args.list.children.find(
    (node) => node.type === "," && node.start >= last.end && node.end <= close.start,
  );
  if (!text.slice(last.end, close.start).includes("\n")) {
    const at = comma ? comma.end : last.end;
    return { start: at, end: at, text: `${comma ? " " : ", "}${texts.join(", ")}${comma ? "," : ""}` };
  }
  const indent = indentationAt(text, last.start);
  const newline = text.slice(last.end, close.start).includes("\r\n") ? "\r\n" : "\n";
  if (comma) return { start: comma.end, end: comma.end, text: texts.map((t) => `${newline}${indent}${t},`).join("") };
  return { start: last.end, end: last.end, text: texts.map((t) => `,${newline}${indent}${t}`).join("") };
}

/** Removes an argument with the comma that joins it to its neighbour. */
export function removeArgument(args: Arguments, node: ConcreteNode): TextEdit {
  const index = args.all.indexOf(node);
  const previous = args.all[index - 1];
  const next = args.all[index + 1];
  if (previous) return { start: previous.end, end: node.end, text: "" };
  if (next) return { start: node.start, end: next.start, text: "" };
  return { start: node.start, end: node.end, text: "" };
}
