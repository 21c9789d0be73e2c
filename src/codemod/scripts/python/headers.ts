import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import { FORBIDDEN_IMDS_HEADER, METADATA_HEADER_NAME, METADATA_HEADER_VALUE } from "../../../imds.js";
import { fieldOf, namedChildren, textOf } from "../nodes.js";
import { FORM_CONTENT_TYPE_REMOVED, FORWARDED_FOR_REMOVED } from "../../findings.js";
import type { PythonModule } from "./module.js";

// The Metadata: true header in a Python call: kept where the call's dictionary has it, added to a literal
// dictionary that lacks it; X-Forwarded-For and a moved form's Content-Type taken out of it. A dictionary
// msi2imds cannot see (a variable, a function's result) is left as it is: the extension refused requests
// without the header too, so code that worked sends it. Unless the file never names the header at all: a
// module's dictionary without it goes to a person.

export type HeaderPlan = { edits: TextEdit[]; added: boolean; notes: string[] };

export function metadataEntry(quote: string): string {
  return `${quote}${METADATA_HEADER_NAME}${quote}: ${quote}${METADATA_HEADER_VALUE}${quote}`;
}

export function metadataHeaders(quote: string): string {
  return `{${metadataEntry(quote)}}`;
}

/**
 * `headers` is the value passed as the headers, if any. A literal dictionary loses the headers IMDS refuses
 * (X-Forwarded-For) and, when the form has moved into the query, the form's Content-Type.
 */
export function planHeaders(
  module: PythonModule,
  headers: ConcreteNode | undefined,
  formMoved: boolean,
): HeaderPlan | string | undefined {
  if (!headers) return undefined;
  if (headers.type === "identifier" && lacksMetadata(module.text, textOf(module.text, headers)))
    return `its headers (${textOf(module.text, headers)}) are a dictionary without Metadata: true, which IMDS requires`;
  if (headers.type !== "dictionary") return { edits: [], added: false, notes: [] };
  const pairs = namedChildren(headers).filter((pair) => pair.type === "pair");
  const keyOf = (pair: ConcreteNode) => {
    const key = fieldOf(pair, "key")!;
    return key.type === "string" ? stringValue(module.text, key)?.toLowerCase() : undefined;
  };
  const textValueOf = (pair: ConcreteNode) => {
    const value = fieldOf(pair, "value")!;
    return value.type === "string" ? stringValue(module.text, value) : undefined;
  };
  const notes: string[] = [];
  const refused = pairs.filter((pair) => {
    const key = keyOf(pair);
    if (key === FORBIDDEN_IMDS_HEADER.toLowerCase()) notes.push(FORWARDED_FOR_REMOVED);
    else if (formMoved && key === "content-type" && /x-www-form-urlencoded/i.test(textValueOf(pair) ?? ""))
      notes.push(FORM_CONTENT_TYPE_REMOVED);
    else return false;
    return true;
  });
  const edits = refused.map((pair) => removeEntry(headers, pair));
  const hasMetadata = pairs.some((pair) => keyOf(pair) === METADATA_HEADER_NAME.toLowerCase());
  // Unpacked dictionaries (`**base`) may hold it.
  const splat = namedChildren(headers).some((entry) => entry.type === "dictionary_splat");
  if (hasMetadata || splat) return { edits, added: false, notes };
  const open = headers.start + 1;
  const empty = namedChildren(headers).length === refused.length;
  const metadata = { start: open, end: open, text: `${metadataEntry(module.quote)}${empty ? "" : ", "}` };
  // An insertion where a removal starts would make two edits at one place: the removal gives way to it.
  const clash = edits.findIndex((edit) => edit.start === open);
  if (clash !== -1) edits[clash] = { ...edits[clash]!, text: metadata.text };
  else edits.unshift(metadata);
  return { edits, added: true, notes };
}

/**
 * A name the module binds to a literal dictionary, in a file that never names the Metadata header: code that
 * worked against the extension sent it, so a file without it was never a working token request as it stands.
 */
function lacksMetadata(text: string, name: string): boolean {
  return new RegExp(`^[ \\t]*${name}[ \\t]*=[ \\t]*\\{`, "m").test(text) && !/\bMetadata\b/i.test(text);
}

/** An entry of a dictionary, with the comma that joins it to the next entry (or to the one before). */
function removeEntry(dictionary: ConcreteNode, entry: ConcreteNode): TextEdit {
  const entries = namedChildren(dictionary);
  const at = entries.indexOf(entry);
  const next = entries[at + 1];
  if (next) return { start: entry.start, end: next.start, text: "" };
  const previous = entries[at - 1];
  return { start: previous ? previous.end : entry.start, end: entry.end, text: "" };
}

/** A plain string literal's value (no interpolation, no escapes), else undefined. */
export function stringValue(text: string, node: ConcreteNode): string | undefined {
  if (node.type !== "string") return undefined;
  const parts = namedChildren(node).filter((c) => c.type !== "string_start" && c.type !== "string_end");
  if (parts.some((part) => part.type !== "string_content")) return undefined;
  const value = parts.map((part) => textOf(text, part)).join("");
  return value.includes("\\") ? undefined : value;
}
