import type { ConcreteNode } from "../../../syntax/index.js";
import { namedChildren, textOf } from "../nodes.js";

// Shell words as a rewrite reads them: their value when it is fixed in the text, and their text as it would
// be written inside double quotes (expansions kept), so that words can be joined into one.

/** What a word is worth when nothing in it expands; undefined when something does or it is escaped. */
export function staticValue(text: string, node: ConcreteNode): string | undefined {
  switch (node.type) {
    case "word":
    case "number":
      return textOf(text, node).includes("\\") ? undefined : textOf(text, node);
    case "raw_string":
      return textOf(text, node).slice(1, -1);
    case "string": {
      const parts = namedChildren(node);
      if (parts.some((part) => part.type !== "string_content")) return undefined;
      const value = parts.map((part) => textOf(text, part)).join("");
      return value.includes("\\") ? undefined : value;
    }
    case "concatenation": {
      const values = namedChildren(node).map((part) => staticValue(text, part));
      return values.every((v) => v !== undefined) ? values.join("") : undefined;
    }
    default:
      return undefined;
  }
}

const DOUBLE_QUOTED_SPECIALS = /[$`"\\]/g;

/** The word as text for inside double quotes, expansions kept; undefined for what cannot be moved there. */
export function doubleQuotedText(text: string, node: ConcreteNode): string | undefined {
  switch (node.type) {
    case "word":
    case "number": {
      const raw = textOf(text, node);
      return raw.includes("\\") ? undefined : raw.replace(DOUBLE_QUOTED_SPECIALS, "\\$&");
    }
    case "raw_string":
      return textOf(text, node).slice(1, -1).replace(DOUBLE_QUOTED_SPECIALS, "\\$&");
    case "string":
      return textOf(text, node).slice(1, -1);
    case "simple_expansion":
    case "expansion":
    case "command_substitution":
      return textOf(text, node);
    case "concatenation": {
      const parts = namedChildren(node).map((part) => doubleQuotedText(text, part));
      return parts.every((p) => p !== undefined) ? parts.join("") : undefined;
    }
    default:
      return undefined;
  }
}

/** Single quotes when the value is fixed and holds none, else double quotes. */
export function quoteWord(value: string | undefined, doubleQuoted: string): string {
  return value !== undefined && !value.includes("'") ? `'${value}'` : `"${doubleQuoted}"`;
}

/** The argument (of a command or an assignment) a piece of a word belongs to. */
export function argumentOf(node: ConcreteNode): ConcreteNode {
  let argument = node;
  while (argument.parent && (argument.parent.type === "concatenation" || argument.parent.type === "string"))
    argument = argument.parent;
  return argument;
}

/** The text a word's value starts with before `offset`, without its quotes. */
export function valueBefore(text: string, argument: ConcreteNode, offset: number): string {
  return text.slice(argument.start, offset).replace(/["']/g, "");
}
