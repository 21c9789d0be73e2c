import { coveringSubstrings, requiredAnchors } from "./literal-anchors.js";

// The text prefilter decides from a file's raw bytes whether anything can match there, before a byte is
// decoded or parsed. Patterns are regular-expression sources so that a number can be required to stand
// alone (50342 matches, 50342878 does not); they match case-insensitively.
//
// One combined case-insensitive expression over every file costs more than reading the files: V8 tries
// each alternative at each position. So the expressions run only on files that contain one of a few
// literal anchors every match needs (read from the sources); anchors without letters are found with
// Buffer.indexOf on the raw bytes, the others with one expression of plain literals. The answer is
// exactly the combined expression's: the anchors are necessary, the expressions decide.

export type Prefilter = (bytes: Buffer) => boolean;

export function createPrefilter(patterns: readonly string[]): Prefilter {
  if (patterns.length === 0) return () => false;
  const combined = new RegExp(patterns.map((p) => `(?:${p})`).join("|"), "i");
  const anchors = patterns.map(requiredAnchors);
  // latin1 maps each byte to one character without validating anything: the cheapest string V8 makes.
  if (anchors.some((a) => a === undefined)) return (bytes) => combined.test(bytes.toString("latin1"));

  // Each cover is checked with only the patterns it covers: a file holding "msi" need not be searched
  // for a Microsoft.ManagedIdentity publisher. A match of any pattern contains one of its anchors, so
  // one of the covers, so it is found by that cover's own expression.
  const covers = coveringSubstrings(anchors.flat() as string[]).map((cover) => {
    const covered = patterns.filter((_, i) => anchors[i]!.some((a) => a.toLowerCase().includes(cover)));
    return { cover, verify: new RegExp(covered.map((p) => `(?:${p})`).join("|"), "i") };
  });
  const caseless = covers.filter(({ cover }) => !/[a-z]/.test(cover)).map((c) => ({ ...c, needle: Buffer.from(c.cover, "latin1") }));
  const lettered = covers.filter(({ cover }) => /[a-z]/.test(cover)).map((c) => ({
    ...c,
    occurrences: new RegExp(escapeRegExp(c.cover), "gi"),
    around: anchorsAround(c.cover, anchors.flat() as string[]),
  }));
  const anyLettered = lettered.length > 0 ? new RegExp(lettered.map((c) => escapeRegExp(c.cover)).join("|"), "i") : undefined;
  return (bytes) => {
    let text: string | undefined;
    const latin1 = () => (text ??= bytes.toString("latin1"));
    if (caseless.some((c) => bytes.includes(c.needle) && c.verify.test(latin1()))) return true;
    if (!anyLettered?.test(latin1())) return false;
    return lettered.some((c) => anchorOccurs(latin1(), c.occurrences, c.around) && c.verify.test(latin1()));
  };
}

/** An anchor holding `cover`, lower-cased, with the offsets at which the cover sits in it. */
interface AnchorAround {
  anchor: string;
  offsets: number[];
}

function anchorsAround(cover: string, anchors: readonly string[]): AnchorAround[] {
  const around = new Map<string, number[]>();
  for (const anchor of anchors.map((a) => a.toLowerCase())) {
    const offsets: number[] = [];
    for (let at = anchor.indexOf(cover); at !== -1; at = anchor.indexOf(cover, at + 1)) offsets.push(at);
    if (offsets.length > 0) around.set(anchor, offsets);
  }
  return [...around].map(([anchor, offsets]) => ({ anchor, offsets }));
}

/**
 * Whether one of the anchors occurs, found from the cover's occurrences: a common cover ("msi") occurs in
 * many files, an anchor ("msivmtokencredentials") in almost none, and comparing a few characters at each
 * occurrence costs far less than the covered patterns' expression over the whole text.
 */
function anchorOccurs(text: string, occurrences: RegExp, around: readonly AnchorAround[]): boolean {
  occurrences.lastIndex = 0;
  for (let match = occurrences.exec(text); match; match = occurrences.exec(text)) {
    for (const { anchor, offsets } of around) {
      for (const offset of offsets) {
        const start = match.index - offset;
        if (start >= 0 && text.slice(start, start + anchor.length).toLowerCase() === anchor) return true;
      }
    }
    occurrences.lastIndex = match.index + 1;
  }
  return false;
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
