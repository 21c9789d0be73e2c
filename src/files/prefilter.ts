import { coveringSubstrings, requiredAnchors } from "./literal-anchors.js";

// The text prefilter decides from a file's raw bytes whether anything can match there, before a byte is
// decoded or parsed. Patterns are regular-expression sources so that a number can be required to stand
// alone (50342 matches, 50342878 does not); they match case-insensitively.
//
// One combined case-insensitive expression over every file costs more than reading the files: V8 tries
// each alternative at each position. So the expression runs only on files that contain one of a few
// literal anchors every match needs (read from the sources); anchors without letters are found with
// Buffer.indexOf on the raw bytes, the others with one expression of plain literals. The answer is
// exactly the combined expression's: the anchors are necessary, the expression decides.

export type Prefilter = (bytes: Buffer) => boolean;

export function createPrefilter(patterns: readonly string[]): Prefilter {
  if (patterns.length === 0) return () => false;
  const combined = new RegExp(patterns.map((p) => `(?:${p})`).join("|"), "i");
  // latin1 maps each byte to one character without validating anything: the cheapest string V8 makes.
  const exact = (bytes: Buffer) => combined.test(bytes.toString("latin1"));
  const anchors = patterns.map(requiredAnchors);
  if (anchors.some((a) => a === undefined)) return exact;

  const covers = coveringSubstrings(anchors.flat() as string[]);
  const caseless = covers.filter((c) => !/[a-z]/.test(c)).map((c) => Buffer.from(c, "latin1"));
  const letteredSources = covers.filter((c) => /[a-z]/.test(c)).map(escapeRegExp);
  const lettered = letteredSources.length > 0 ? new RegExp(letteredSources.join("|"), "i") : undefined;
  return (bytes) => {
    if (caseless.some((needle) => bytes.includes(needle))) return exact(bytes);
    if (!lettered) return false;
    const text = bytes.toString("latin1");
    return lettered.test(text) && combined.test(text);
  };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A number that is not part of a longer one. */
export function standaloneNumber(n: number | string): string {
  return `(?<![0-9])${escapeRegExp(String(n))}(?![0-9])`;
}

/** A word that is not part of a longer identifier. */
export function standaloneWord(word: string): string {
  return `(?<![A-Za-z0-9_$])${escapeRegExp(word)}(?![A-Za-z0-9_$])`;
}
