import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import { METADATA_HEADER_NAME, METADATA_HEADER_VALUE } from "../../../imds.js";
import { fieldOf, namedChildren, textOf } from "../nodes.js";
import type { PythonModule } from "./module.js";

// The Metadata: true header in a Python call: kept where the call's dictionary has it, added to a literal
// dictionary that lacks it. A dictionary msi2imds cannot see (a variable, a function's result) is left as it
// is: the extension refused requests without the header too, so code that worked sends it.

export type HeaderPlan = { edits: TextEdit[]; added: boolean };

export function metadataEntry(quote: string): string {
  return `${quote}${METADATA_HEADER_NAME}${quote}: ${quote}${METADATA_HEADER_VALUE}${quote}`;
}

export function metadataHeaders(quote: string): string {
  return `{${metadataEntry(quote)}}`;
}

/** `headers` is the value passed as the headers, if any. */
export function planHeaders(module: PythonModule, headers: ConcreteNode | undefined): HeaderPlan | undefined {
  if (!headers) return undefined;
  if (headers.type !== "dictionary") return { edits: [], added: false };
  const keys = namedChildren(headers)
    .filter((pair) => pair.type === "pair")
    .map((pair) => fieldOf(pair, "key")!)
    .map((key) => (key.type === "string" ? stringValue(module.text, key) : undefined));
  if (keys.some((key) => key?.toLowerCase() === METADATA_HEADER_NAME.toLowerCase())) return { edits: [], added: false };
  // Unpacked dictionaries (`**base`) may hold it.
  if (namedChildren(headers).some((entry) => entry.type === "dictionary_splat")) return { edits: [], added: false };
  const open = headers.start + 1;
  const empty = namedChildren(headers).length === 0;
  return {
    edits: [{ start: open, end: open, text: `${metadataEntry(module.quote)}${empty ? "" : ", "}` }],
    added: true,
  };
}

/** A plain string literal's value (no interpolation, no escapes), else undefined. */
export function stringValue(text: string, node: ConcreteNode): string | undefined {
  if (node.type !== "string") return undefined;
  const parts = namedChildren(node).filter((c) => c.type !== "string_start" && c.type !== "string_end");
  if (parts.some((part) => part.type !== "string_content")) return undefined;
  const value = parts.map((part) => textOf(text, part)).join("");
  return value.includes("\\") ? undefined : value;
}
