import { fixUntilStable, type Analysis, type FixOutcome } from "../core/fix.js";
import type { SourceInput } from "../codemod/analyze.js";

// One file's analysis as it is asked for and answered, on either thread: plain data, so that it crosses
// the thread boundary as it is.

export interface AnalysisRequest {
  input: SourceInput;
  /** Also run the fix loop (not on a file that does not parse). */
  fix: boolean;
}

export interface AnalysisResult {
  first: Analysis;
  fixed?: FixOutcome;
}

/** The analysis could not be loaded at all (as opposed to failing on one file). */
export class AnalysisLoadError extends Error {}

export type AnalyzeSource = (input: SourceInput) => Analysis;

export function runAnalysis(analyzeSource: AnalyzeSource, { input, fix }: AnalysisRequest): AnalysisResult {
  const analyze = (text: string) => analyzeSource({ ...input, text });
  const first = analyze(input.text);
  if (!fix || first.parseErrors > 0) return { first };
  return { first, fixed: fixUntilStable(input.text, analyze, first) };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
