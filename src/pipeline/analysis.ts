import { fixUntilStable, type Analysis, type FixOutcome } from "../core/fix.js";
import type { DocumentSetting } from "../core/rule.js";

// One file's analysis as it is asked for and answered, on either thread: plain data, so that it crosses
// the thread boundary as it is. What analyses a file is the caller's: a module exporting `analyzeSource`
// (fix and lint hand in the codemod's), loaded in process or on the second thread at the first request.

export interface SourceInput {
  path: string;
  displayPath: string;
  text: string;
  ports: readonly number[];
  apiVersion: string;
  /** For a code block of a document: where the document says its samples run. */
  setting?: DocumentSetting | undefined;
}

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

/** A module (by URL) whose `analyzeSource` export analyses a file; `load` replaces it in process (tests). */
export type AnalysisSource = { module: URL } | { load: () => Promise<AnalyzeSource> };

export async function importAnalyzeSource(module: URL | string): Promise<AnalyzeSource> {
  const loaded = (await import(typeof module === "string" ? module : module.href)) as { analyzeSource?: unknown };
  if (typeof loaded.analyzeSource !== "function") throw new Error(`${String(module)} does not export analyzeSource`);
  return loaded.analyzeSource as AnalyzeSource;
}

export function runAnalysis(analyzeSource: AnalyzeSource, { input, fix }: AnalysisRequest): AnalysisResult {
  const analyze = (text: string) => analyzeSource({ ...input, text });
  const first = analyze(input.text);
  if (!fix || first.parseErrors > 0) return { first };
  return { first, fixed: fixUntilStable(input.text, analyze, first) };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
