import type { Finding, TextEdit } from "./finding.js";

// Fix application as ESLint and Semgrep do it: sort, refuse overlaps, apply end to start, re-check,
// reject a fix that makes the file parse worse, repeat a bounded number of passes.

export interface EditResult {
  text: string;
  applied: number;
  /** Edits left out because they overlapped an earlier one; a later pass may take them. */
  skipped: number;
}

/** Applies every edit whose range does not overlap one already taken (earliest first wins). */
export function applyEdits(text: string, edits: readonly TextEdit[]): EditResult {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const taken: TextEdit[] = [];
  for (const edit of sorted) {
    if (edit.start < 0 || edit.end > text.length || edit.end < edit.start) {
      throw new RangeError(`edit [${edit.start}, ${edit.end}) is outside the text (${text.length} characters)`);
    }
    const previous = taken.at(-1);
    if (previous && editsOverlap(previous, edit)) continue;
    taken.push(edit);
  }
  // Pieces joined once: rebuilding the whole text per edit is quadratic in a bundle with thousands of fixes.
  const pieces: string[] = [];
  let copied = 0;
  for (const edit of taken) {
    pieces.push(text.slice(copied, edit.start), edit.text);
    copied = edit.end;
  }
  pieces.push(text.slice(copied));
  return { text: pieces.join(""), applied: taken.length, skipped: sorted.length - taken.length };
}

/** Two edits overlap when their ranges intersect; two insertions at one offset do too: their order would be a guess. */
export function editsOverlap(a: TextEdit, b: TextEdit): boolean {
  return (a.start < b.end && b.start < a.end) || (a.start === b.start && a.end === b.end);
}

/** Whether any two of the edits overlap (sorted by start, an overlap always shows between neighbours). */
export function anyOverlap(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.some((edit, i) => i > 0 && editsOverlap(sorted[i - 1]!, edit));
}

export interface Analysis {
  findings: readonly Finding[];
  /** How many syntax errors the parser saw; a fix must never raise it. */
  parseErrors: number;
}

export interface FixOutcome {
  text: string;
  /** The analysis of `text`; its findings are what is left for a person. */
  analysis: Analysis;
  fixesApplied: number;
  /** The applied fixes' notes for a person (Finding.fixNotes), in the order they were applied. */
  notes: string[];
  /** Set when a pass was thrown away because the fixed text parsed worse. */
  rejected?: string;
}

export const MAX_FIX_PASSES = 10;

/**
 * Repeats analyse → apply until nothing fixable is left. Each finding's edits are applied together
 * or not at all, so a half-applied rewrite can never reach the file. `first` is the analysis of `text`
 * when the caller already has it: every text is analysed once.
 */
export function fixUntilStable(
  text: string,
  analyze: (text: string) => Analysis,
  first?: Analysis,
  maxPasses = MAX_FIX_PASSES,
): FixOutcome {
  let current = text;
  let analysis = first ?? analyze(current);
  let fixesApplied = 0;
  const notes: string[] = [];
  for (let pass = 0; pass < maxPasses; pass++) {
    const fixable = analysis.findings.filter((f) => f.fix && f.fix.length > 0);
    if (fixable.length === 0) break;
    const { text: next, applied } = applyFindingFixes(current, fixable);
    const findingsApplied = applied.length;
    if (findingsApplied === 0 || next === current) break;
    const nextAnalysis = analyze(next);
    if (nextAnalysis.parseErrors > analysis.parseErrors) {
      return {
        text: current,
        analysis,
        fixesApplied,
        notes,
        rejected:
          `the rewrite would add ${nextAnalysis.parseErrors - analysis.parseErrors} parse error(s); ` +
          `left as it was`,
      };
    }
    current = next;
    analysis = nextAnalysis;
    fixesApplied += findingsApplied;
    for (const note of applied.flatMap((f) => f.fixNotes ?? [])) if (!notes.includes(note)) notes.push(note);
  }
  return { text: current, analysis, fixesApplied, notes };
}

/** Takes whole findings whose edits overlap nothing taken so far. */
function applyFindingFixes(text: string, findings: readonly Finding[]): { text: string; applied: Finding[] } {
  const taken = new TakenEdits();
  const applied: Finding[] = [];
  for (const finding of findings) {
    const edits = finding.fix ?? [];
    if (edits.some((e) => taken.overlaps(e))) continue;
    for (const edit of edits) taken.add(edit);
    applied.push(finding);
  }
  return { text: applyEdits(text, taken.edits).text, applied };
}

/**
 * Edits that overlap none of each other, sorted by start (so their ends are sorted too): whether a new edit
 * overlaps one is told by its neighbours, found by binary search, not by a walk over all of them.
 * Findings come in text order, so an edit is nearly always added at the end.
 */
class TakenEdits {
  readonly edits: TextEdit[] = [];

  overlaps(edit: TextEdit): boolean {
    // The one starting before it, then those starting inside it or at its end (an insertion there).
    for (let i = Math.max(0, this.firstAtOrAfter(edit.start) - 1); i < this.edits.length; i++) {
      const other = this.edits[i]!;
      if (other.start > edit.end) break;
      if (editsOverlap(other, edit)) return true;
    }
    return false;
  }

  add(edit: TextEdit): void {
    const at = this.firstAtOrAfter(edit.start, edit.end);
    if (at === this.edits.length) this.edits.push(edit);
    else this.edits.splice(at, 0, edit);
  }

  /** The index of the first edit that sorts at or after (start, end). */
  private firstAtOrAfter(start: number, end = -1): number {
    let lo = 0;
    let hi = this.edits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = this.edits[mid]!;
      if (other.start < start || (other.start === start && other.end < end)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
