import { matchReach, MIN_ANCHOR_LENGTH, requiredAnchors } from "./literal-anchors.js";

// The text prefilter decides from a file's raw bytes whether any pattern can match there, before a byte is
// decoded or parsed. Patterns are regular expressions so that a number can be required to stand alone
// (50342 matches, 50342878 does not); each matches with its own flags: an identifier is matched in its
// case, a URL or an Azure publisher in any case.
//
// Running the patterns over every file costs more than reading the files: V8 tries each alternative at
// each position, and needs a string copy of the bytes first. So the patterns run only on files that hold
// a literal every match needs (read from the sources, see literal-anchors.ts). Those literals are found
// in the raw bytes with Buffer.indexOf and compared letter by letter around each occurrence. The piece
// searched for is one that case cannot change: the anchor itself when the pattern matches case, else a run
// of digits and punctuation in it ("2/" in "oauth2/token"); an anchor matched in any case with no such run
// ("Microsoft.ManagedIdentity") is found through each case of one sign and letter (".m", ".M").
// Where an anchor holds, a pattern whose matches are bounded (see matchReach) runs on the text around that
// occurrence only, so a large file holding an anchor is not copied whole to a string. The answer is exactly
// the patterns': the anchors are necessary, the patterns decide.

export type Prefilter = (bytes: Buffer) => boolean;

/**
 * A pattern, and how far from where a match starts its reading can reach (Infinity: unbounded). A bounded one
 * has a global copy, to step through its matches in a window.
 */
interface Check {
  pattern: RegExp;
  reach: number;
  stepping?: RegExp;
}

/** A literal every match of `checks` holds somewhere; in any case when `ignoreCase`. */
interface Anchor {
  text: string;
  ignoreCase: boolean;
  checks: Check[];
}

/** Where a probe's piece sits in an anchor, and the anchor's bytes to compare around it. */
interface Placement {
  anchor: Anchor;
  expected: Uint8Array;
  fold: Uint8Array;
  offsets: number[];
}

/** A piece searched for with Buffer.indexOf, and where it sits in the anchors it stands for. */
interface Probe {
  needle: Buffer;
  around: Placement[];
}

/**
 * Beyond this reach a window around an occurrence costs about as much as the whole text: such patterns run
 * on the whole text.
 */
const MAX_WINDOW_REACH = 16 * 1024;

export function createPrefilter(patterns: readonly RegExp[]): Prefilter {
  const tests = patterns.map(stateless);
  if (tests.length === 0) return () => false;
  const anchorSets = tests.map((p) => requiredAnchors(p.source, p.flags));
  if (anchorSets.some((a) => a === undefined)) return (bytes) => matchesAny(tests, bytes.toString("latin1"));

  const byKey = new Map<string, Anchor>();
  tests.forEach((pattern, i) => {
    const reach = matchReach(pattern.source, pattern.flags);
    const check: Check =
      reach <= MAX_WINDOW_REACH
        ? { pattern, reach, stepping: new RegExp(pattern, `${pattern.flags}g`) }
        : { pattern, reach };
    for (const text of anchorSets[i]!) {
      const anchor: Anchor = { text, ignoreCase: pattern.ignoreCase, checks: [] };
      const key = `${anchor.ignoreCase}\0${text}`;
      (byKey.get(key) ?? byKey.set(key, anchor).get(key)!).checks.push(check);
    }
  });
  const pieces = new Map([...byKey.values()].map((anchor) => [anchor, new Set(probePieces(anchor))]));
  const probes = [
    ...chooseProbes(new Map([...pieces].filter(([, set]) => set.size > 0))),
    ...foldedProbes([...pieces].filter(([, set]) => set.size === 0).map(([anchor]) => anchor)),
  ];
  return (bytes) => {
    const decide = decider(bytes);
    for (const { needle, around } of probes) {
      for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
        for (const { anchor, expected, fold, offsets } of around) {
          for (const offset of offsets) {
            const start = at - offset;
            if (holdsAt(bytes, start, expected, fold) && decide(anchor.checks, start, expected.length)) return true;
          }
        }
      }
    }
    return false;
  };
}

type Decide = (checks: readonly Check[], start: number, length: number) => boolean;

/**
 * Runs checks for one file's bytes: a bounded pattern on the text around the anchor found at `start`, until
 * the windows tried add up to the file's length; any other on the whole text, once.
 */
function decider(bytes: Buffer): Decide {
  let whole: string | undefined;
  let failedOnWhole: Set<RegExp> | undefined;
  let windowBudget = bytes.length;
  return (checks, start, length) => {
    for (const { pattern, reach, stepping } of checks) {
      if (failedOnWhole?.has(pattern)) continue;
      if (stepping && windowBudget > 0) {
        const from = Math.max(0, start - 2 * reach);
        const to = Math.min(bytes.length, start + length + 2 * reach);
        windowBudget -= to - from;
        const window = bytes.toString("latin1", from, to);
        const first = from === 0 ? 0 : reach;
        const last = to === bytes.length ? window.length : window.length - reach;
        if (matchesWithin(stepping, window, first, last)) return true;
        continue;
      }
      whole ??= bytes.toString("latin1");
      if (pattern.test(whole)) return true;
      failedOnWhole ??= new Set();
      failedOnWhole.add(pattern);
    }
    return false;
  };
}

/**
 * Whether `stepping` matches `window` at a start between `first` and `last`, where everything a match reads
 * lies in the window, so that it matches there in the whole text too; a match nearer an edge may owe itself
 * to the cut (a lookbehind with nothing to see). Any match that holds the anchor the window is centred on
 * starts in that range: the window spans twice the reach on either side of it.
 */
function matchesWithin(stepping: RegExp, window: string, first: number, last: number): boolean {
  stepping.lastIndex = first; // a lookbehind still sees the text before it
  const match = stepping.exec(window);
  return match !== null && match.index <= last;
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
 * None for an anchor matched in any case that has no two signs or digits in a row: see foldedProbes.
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
  // Which anchors hold each piece, worked out once: each probe chosen is then one pass over the pieces.
  const holders = new Map<string, Anchor[]>();
  for (const [anchor, set] of pieces) {
    for (const piece of set) (holders.get(piece) ?? holders.set(piece, []).get(piece)!).push(anchor);
  }
  const remaining = new Set(pieces.keys());
  const probes: Probe[] = [];
  while (remaining.size > 0) {
    let best = "";
    let bestCount = 0;
    for (const [piece, anchors] of holders) {
      let count = 0;
      for (const anchor of anchors) if (remaining.has(anchor)) count++;
      if (count > bestCount || (count === bestCount && piece.length > best.length)) {
        best = piece;
        bestCount = count;
      }
    }
    const covered = holders.get(best)!.filter((anchor) => remaining.has(anchor));
    probes.push({
      needle: Buffer.from(best, "latin1"),
      around: covered.map((anchor) => ({ anchor, ...comparison(anchor), offsets: offsetsOf(anchor.text, best) })),
    });
    for (const anchor of covered) remaining.delete(anchor);
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

/**
 * Probes for anchors matched in any case with no piece that case cannot change: every case of one two-character
 * piece, a sign with the letter after or before it where the anchor has a sign (".m" and ".M" for
 * "Microsoft.ManagedIdentity"), else its first two letters. Anchors that share the piece share its probes.
 */
function foldedProbes(anchors: readonly Anchor[]): Probe[] {
  const byPiece = new Map<string, Placement[]>();
  for (const anchor of anchors) {
    const lower = anchor.text.toLowerCase();
    const sign = lower.search(/[^a-z]/);
    const at = sign === -1 ? 0 : sign + 1 < lower.length ? sign : sign - 1;
    const piece = lower.slice(at, at + 2);
    const placement = { anchor, ...comparison(anchor), offsets: offsetsOf(lower, piece) };
    (byPiece.get(piece) ?? byPiece.set(piece, []).get(piece)!).push(placement);
  }
  return [...byPiece].flatMap(([piece, around]) =>
    caseVariants(piece).map((variant) => ({
      needle: Buffer.from(variant, "latin1"),
      around,
    })),
  );
}

/** Every spelling of `text` in upper and lower case ("t.m": "t.m", "T.m", "t.M", "T.M"). */
function caseVariants(text: string): string[] {
  let variants = [""];
  for (const c of text) {
    const cases = c.toLowerCase() === c.toUpperCase() ? [c] : [c.toLowerCase(), c.toUpperCase()];
    variants = variants.flatMap((v) => cases.map((x) => v + x));
  }
  return variants;
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
