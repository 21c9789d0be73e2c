import { escapeRegExp } from "../core/patterns.js";
import { coveringSubstrings, MIN_ANCHOR_LENGTH, requiredAnchors } from "./literal-anchors.js";

// The text prefilter decides from a file's raw bytes whether any pattern can match there, before a byte is
// decoded or parsed. Patterns are regular expressions so that a number can be required to stand alone
// (50342 matches, 50342878 does not); each matches with its own flags: an identifier is matched in its
// case, a URL or an Azure publisher in any case.
//
// Running the patterns over every file costs more than reading the files: V8 tries each alternative at
// each position, and needs a string copy of the bytes first. So the patterns run only on files that hold
// a literal every match needs (read from the sources, see literal-anchors.ts). Those literals are found
// in the raw bytes with Buffer.indexOf, on a piece that case cannot change: the anchor itself when the
// pattern matches case, else a run of digits and punctuation in it ("2/" in "oauth2/token"), compared
// letter by letter around each occurrence. Only case-insensitive anchors of letters alone
// ("Microsoft.ManagedIdentity") need a string and one expression of plain literals. The answer is
// exactly the patterns': the anchors are necessary, the patterns decide.

export type Prefilter = (bytes: Buffer) => boolean;

/** A literal every match of `patterns` holds somewhere; in any case when `ignoreCase`. */
interface Anchor {
  text: string;
  ignoreCase: boolean;
  patterns: RegExp[];
}

/** A piece searched for with Buffer.indexOf, and where it sits in the anchors it stands for. */
interface Probe {
  needle: Buffer;
  around: { anchor: Anchor; expected: Uint8Array; fold: Uint8Array; offsets: number[] }[];
}

export function createPrefilter(patterns: readonly RegExp[]): Prefilter {
  const tests = patterns.map(stateless);
  if (tests.length === 0) return () => false;
  const anchorSets = tests.map((p) => requiredAnchors(p.source, p.flags));
  if (anchorSets.some((a) => a === undefined)) return (bytes) => matchesAny(tests, bytes.toString("latin1"));

  const byKey = new Map<string, Anchor>();
  tests.forEach((pattern, i) => {
    for (const text of anchorSets[i]!) {
      const anchor: Anchor = { text, ignoreCase: pattern.ignoreCase, patterns: [] };
      const key = `${anchor.ignoreCase}\0${text}`;
      (byKey.get(key) ?? byKey.set(key, anchor).get(key)!).patterns.push(pattern);
    }
  });
  const pieces = new Map([...byKey.values()].map((anchor) => [anchor, new Set(probePieces(anchor))]));
  const probes = chooseProbes(new Map([...pieces].filter(([, set]) => set.size > 0)));
  const lettered = letteredSearch([...pieces].filter(([, set]) => set.size === 0).map(([anchor]) => anchor));

  return (bytes) => {
    let text: string | undefined;
    const latin1 = () => (text ??= bytes.toString("latin1"));
    // A pattern that did not match is not tried again at the next occurrence of its anchor.
    let tried: Set<RegExp> | undefined;
    const decide = (candidates: readonly RegExp[]) => {
      for (const pattern of candidates) {
        if (tried?.has(pattern)) continue;
        if (pattern.test(latin1())) return true;
        tried ??= new Set();
        tried.add(pattern);
      }
      return false;
    };
    for (const { needle, around } of probes) {
      for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
        for (const { anchor, expected, fold, offsets } of around) {
          for (const offset of offsets) {
            if (holdsAt(bytes, at - offset, expected, fold) && decide(anchor.patterns)) return true;
          }
        }
      }
    }
    return lettered?.(latin1, decide) ?? false;
  };
}

/** Without the global flag, which makes test() depend on the previous call. */
export function stateless(pattern: RegExp): RegExp {
  // Anchored at lastIndex, a sticky pattern says nothing about a file as a whole.
  if (pattern.sticky) throw new Error(`a prefilter pattern cannot be sticky: /${pattern.source}/${pattern.flags}`);
  return pattern.global ? new RegExp(pattern.source, pattern.flags.replace("g", "")) : pattern;
}

function matchesAny(patterns: readonly RegExp[], text: string): boolean {
  return patterns.some((p) => p.test(text));
}

/**
 * The pieces of an anchor that Buffer.indexOf can find as they are: any part of an anchor matched in its
 * case; in an anchor matched in any case, only parts without letters (a lone character is too common).
 */
function probePieces(anchor: Anchor): string[] {
  const pieces: string[] = [];
  const runs = anchor.ignoreCase ? (anchor.text.match(/[^A-Za-z]{2,}/g) ?? []) : [anchor.text];
  const shortest = anchor.ignoreCase ? 2 : MIN_ANCHOR_LENGTH;
  for (const run of runs) {
    for (let start = 0; start < run.length; start++) {
      for (let end = start + shortest; end <= run.length; end++) pieces.push(run.slice(start, end));
    }
  }
  return pieces;
}

/** Few passes over the bytes: greedily, the piece in the most anchors, the longest (so likely the rarest) on ties. */
function chooseProbes(pieces: ReadonlyMap<Anchor, ReadonlySet<string>>): Probe[] {
  let remaining = [...pieces.keys()];
  const probes: Probe[] = [];
  while (remaining.length > 0) {
    let best = "";
    let bestCount = 0;
    for (const piece of new Set(remaining.flatMap((a) => [...pieces.get(a)!]))) {
      const count = remaining.filter((a) => pieces.get(a)!.has(piece)).length;
      if (count > bestCount || (count === bestCount && piece.length > best.length)) {
        best = piece;
        bestCount = count;
      }
    }
    const covered = remaining.filter((a) => pieces.get(a)!.has(best));
    probes.push({
      needle: Buffer.from(best, "latin1"),
      around: covered.map((anchor) => ({ anchor, ...comparison(anchor), offsets: offsetsOf(anchor.text, best) })),
    });
    remaining = remaining.filter((a) => !covered.includes(a));
  }
  return probes;
}

/**
 * The bytes an anchor must have, and the bits to set in the file's byte first (0x20 folds ASCII letters to
 * lower case).
 */
function comparison(anchor: Anchor): { expected: Uint8Array; fold: Uint8Array } {
  const bytes = Buffer.from(anchor.text, "latin1");
  const fold = bytes.map((b) => (anchor.ignoreCase && /[A-Za-z]/.test(String.fromCharCode(b)) ? 0x20 : 0));
  return { expected: bytes.map((b, i) => b | fold[i]!), fold };
}

function holdsAt(bytes: Buffer, start: number, expected: Uint8Array, fold: Uint8Array): boolean {
  if (start < 0 || start + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i++) {
    if ((bytes[start + i]! | fold[i]!) !== expected[i]) return false;
  }
  return true;
}

function offsetsOf(text: string, piece: string): number[] {
  const offsets: number[] = [];
  for (let at = text.indexOf(piece); at !== -1; at = text.indexOf(piece, at + 1)) offsets.push(at);
  return offsets;
}

type LetteredSearch = (latin1: () => string, decide: (patterns: readonly RegExp[]) => boolean) => boolean;

/**
 * Anchors of letters matched in any case: one expression of a few covering pieces on word boundaries
 * ("managedidentity") tells whether any can be there; a common cover is followed to its anchors around each
 * occurrence before the patterns run.
 */
function letteredSearch(anchors: readonly Anchor[]): LetteredSearch | undefined {
  if (anchors.length === 0) return undefined;
  const covers = coveringSubstrings(anchors.map((a) => a.text)).map((cover) => ({
    occurrences: new RegExp(escapeRegExp(cover), "gi"),
    around: anchors
      .filter((a) => a.text.toLowerCase().includes(cover))
      .map((anchor) => ({
        anchor,
        lower: anchor.text.toLowerCase(),
        offsets: offsetsOf(anchor.text.toLowerCase(), cover),
      })),
  }));
  const anyCover = new RegExp(covers.map((c) => c.occurrences.source).join("|"), "i");
  return (latin1, decide) => {
    if (!anyCover.test(latin1())) return false;
    const text = latin1();
    for (const { occurrences, around } of covers) {
      occurrences.lastIndex = 0;
      for (let match = occurrences.exec(text); match; match = occurrences.exec(text)) {
        for (const { anchor, lower, offsets } of around) {
          for (const offset of offsets) {
            const start = match.index - offset;
            if (
              start >= 0 &&
              text.slice(start, start + lower.length).toLowerCase() === lower &&
              decide(anchor.patterns)
            )
              return true;
          }
        }
        occurrences.lastIndex = match.index + 1;
      }
    }
    return false;
  };
}
