// Literal text that any match of a regular expression must contain, read from its source. The prefilter
// searches for these with fast substring searches and runs the real expression only where one occurs.
// The reading is deliberately conservative: whatever it does not fully understand ends a literal run,
// so a run it returns is always required (a necessary condition), never merely likely.

/** Shorter runs match too often to save any work. */
export const MIN_ANCHOR_LENGTH = 3;

/**
 * For each top-level alternative of `source`, its longest required literal run (printable ASCII only, so
 * a case-insensitive match of the expression implies a case-insensitive match of the anchor).
 * Undefined when some alternative has no run of at least MIN_ANCHOR_LENGTH characters.
 */
export function requiredAnchors(source: string, flags = ""): string[] | undefined {
  // The v flag's class syntax (nested classes, -- and &&) is not read here.
  if (flags.includes("v")) return undefined;
  const anchors: string[] = [];
  for (const branch of topLevelBranches(source)) {
    const longest = literalRuns(branch).reduce((best, run) => (run.length > best.length ? run : best), "");
    if (longest.length < MIN_ANCHOR_LENGTH) return undefined;
    anchors.push(longest);
  }
  return anchors;
}

/**
 * A few lower-cased substrings such that every anchor contains at least one of them: fewer passes over
 * the text, at the price of a few more candidates for the real expression. Greedy set cover: the piece
 * in the most anchors first, the longest (so likely the rarest) on ties. Pieces start and end on word
 * boundaries of the anchors as written ("MSI" and "ManagedIdentity" in "MSIManagedIdentity"), so a
 * fragment that merely happens to be shared ("denti" in "credentials" and "identity") is never chosen,
 * and neither is a lone common word.
 */
export function coveringSubstrings(anchors: readonly string[]): string[] {
  const lowered = [...new Set(anchors.map((a) => a.toLowerCase()))];
  const pieces = new Set(anchors.flatMap(wordPieces));
  let remaining = lowered;
  const chosen: string[] = [];
  while (remaining.length > 0) {
    let best = remaining[0]!;
    let bestCount = 0;
    for (const piece of pieces) {
      const count = remaining.filter((a) => a.includes(piece)).length;
      if (count > bestCount || (count === bestCount && piece.length > best.length)) {
        best = piece;
        bestCount = count;
      }
    }
    chosen.push(best);
    remaining = remaining.filter((a) => !a.includes(best));
  }
  return chosen;
}

type TokenKind = "lower" | "upper" | "digit" | "other";

function kindOf(c: string): TokenKind {
  return /[a-z]/.test(c) ? "lower" : /[A-Z]/.test(c) ? "upper" : /[0-9]/.test(c) ? "digit" : "other";
}

/**
 * Lower-cased substrings of `anchor` from one word boundary to another, at least MIN_ANCHOR_LENGTH long,
 * that are likely rare: the whole anchor, two or more words ("ManagedIdentity", "oauth2"), or a single
 * acronym or number ("MSI", "50342"). A single ordinary word ("Identity", "token") is common in code.
 */
function wordPieces(anchor: string): string[] {
  const tokens: { text: string; rare: boolean; word: boolean }[] = [];
  let start = 0;
  for (let i = 1; i <= anchor.length; i++) {
    const [before, here, after] = [
      kindOf(anchor[i - 1]!),
      i < anchor.length ? kindOf(anchor[i]!) : undefined,
      i + 1 < anchor.length ? kindOf(anchor[i + 1]!) : undefined,
    ];
    // "MSIVm": an acronym ends before the capital that starts a lower-case word; "Vm" is one word.
    const boundary =
      here === undefined ||
      (before !== here && !(before === "upper" && here === "lower")) ||
      (before === "upper" && here === "upper" && after === "lower");
    if (!boundary) continue;
    const text = anchor.slice(start, i);
    const kinds = new Set([...text].map(kindOf));
    const word = !kinds.has("other");
    tokens.push({
      text,
      word,
      rare: word && text.length > 1 && (!kinds.has("lower") || (kinds.size === 1 && kinds.has("digit"))),
    });
    start = i;
  }
  const pieces = [anchor.toLowerCase()];
  for (let first = 0; first < tokens.length; first++) {
    for (let last = first; last < tokens.length; last++) {
      const span = tokens.slice(first, last + 1);
      const words = span.filter((t) => t.word);
      const rare = words.length >= 2 || (words.length === 1 && words[0]!.rare);
      const text = span.map((t) => t.text).join("");
      if (rare && text.length >= MIN_ANCHOR_LENGTH) pieces.push(text.toLowerCase());
    }
  }
  return pieces;
}

function topLevelBranches(source: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "[") i = classEnd(source, i);
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      branches.push(source.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(source.slice(start));
  return branches;
}

/** The literal runs of one alternative (no top-level "|"). */
function literalRuns(branch: string): string[] {
  const runs: string[] = [];
  let run = "";
  const end = () => {
    if (run) runs.push(run);
    run = "";
  };
  for (let i = 0; i < branch.length; i++) {
    const c = branch[i]!;
    let literal: string | undefined;
    if (c === "\\") {
      const escaped = escapeAt(branch, i);
      literal = escaped.literal;
      i = escaped.last;
    } else if (c === "[") {
      i = classEnd(branch, i);
    } else if (c === "(") {
      // Groups, lookarounds included, end the run: required text inside them is not collected.
      i = groupEnd(branch, i);
    } else if (c === "{" && /^\{\d+(?:,\d*)?\}/.test(branch.slice(i))) {
      // A counted quantifier: the atom before it may repeat or vanish.
      run = run.slice(0, -1);
      i = branch.indexOf("}", i);
      end();
      continue;
    } else if (c === "*" || c === "?") {
      run = run.slice(0, -1);
      end();
      continue;
    } else if (c === "+") {
      end();
      continue;
    } else if (!".^$)".includes(c)) {
      literal = c;
    }
    if (literal !== undefined && /^[\x20-\x7e]$/.test(literal)) {
      run += literal;
      // A quantifier after this atom is handled on the next character.
    } else {
      end();
    }
  }
  end();
  return runs;
}

/**
 * Escapes that span several characters (\x41, \u{1F600}, \k<name>, \p{L}, \12): skipped whole only when
 * well formed; otherwise (outside the u flag, \x and \k are plain letters) only the escaped letter is, so
 * the reading never lands inside a group or class.
 */
const ESCAPE_SPAN =
  /^(?:\d+|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|u\{[0-9A-Fa-f]+\}|c[A-Za-z]|k<[^()[\]|>]*>|[pP]\{[\w=]+\})/;

/** An escape at `i`: its literal character if it stands for one, and the index of its last character. */
function escapeAt(source: string, i: number): { literal?: string; last: number } {
  const c = source[i + 1];
  if (c === undefined) return { last: i };
  const span = ESCAPE_SPAN.exec(source.slice(i + 1));
  if (span) return { last: i + span[0].length };
  // A letter escape (\d, \b, \n) is no literal; an escaped sign (\. \/) is its sign.
  if (/[A-Za-z]/.test(c)) return { last: i + 1 };
  return { literal: c, last: i + 1 };
}

function classEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === "]") return i;
  }
  return source.length;
}

function groupEnd(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "[") i = classEnd(source, i);
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) {
      // A quantifier on the group is skipped with it; the run ended at the group anyway.
      const quantifier = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/.exec(source.slice(i + 1));
      return i + (quantifier ? quantifier[0].length : 0);
    }
  }
  return source.length;
}
