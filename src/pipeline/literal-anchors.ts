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

/** Reach beyond which the bound says nothing useful (and products of counts could overflow). */
const UNBOUNDED_FROM = 1 << 20;

/**
 * How many characters on either side of one of its anchors any match of `source` can read, its lookarounds
 * included, or Infinity. Every character of the source reads at most one character of the text each time
 * it runs, and runs at most the product of the counted quantifiers' upper bounds: without `*`, `+`, `{n,}`
 * and backreferences, the source's length times that product bounds the stretch of text a match reads.
 */
export function matchReach(source: string, flags = ""): number {
  if (flags.includes("v")) return Infinity;
  let repeats = 1;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      if (/[1-9k]/.test(source[i + 1] ?? "")) return Infinity; // a backreference
      i++;
    } else if (c === "[") {
      i = classEnd(source, i);
    } else if (c === "*" || c === "+") {
      return Infinity;
    } else if (c === "{") {
      const count = /^\{\d+(?:(,)(\d*))?\}/.exec(source.slice(i));
      if (!count) continue; // a literal brace
      if (count[1] && !count[2]) return Infinity;
      repeats *= Number(count[2] ?? count[0].slice(1, -1));
      if (repeats >= UNBOUNDED_FROM) return Infinity;
    }
  }
  const reach = source.length * repeats;
  return reach < UNBOUNDED_FROM ? reach : Infinity;
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
