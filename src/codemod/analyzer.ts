import { fixUntilStable, type Analysis, type FixOutcome } from "../core/fix.js";
import { forEachInOrder } from "../core/in-order.js";
import { ReadAhead } from "../core/read-ahead.js";
import { threadsPossible } from "../core/threads.js";
import { screenFiles, type ScreenedFile } from "../files/screen.js";
import { DEFAULT_MAX_FILE_BYTES } from "../files/text-file.js";
import type { SourceInput } from "./analyze.js";
import { AnalysisLoadError, SecondThread } from "./second-thread.js";

// How fix and lint go through files: each is screened first (screen.ts), so that only files where the
// prefilter found something are read as text; then the caller's step runs, with the codemod's analysis at
// hand. Nothing (no TypeScript, no thread) is loaded before it is needed. On a large tree a second thread
// screens from the start; on any tree with many files still to read at the first candidate, TypeScript
// loads on that thread while the main thread reads on. Analyses are plain data, so they cross the thread
// boundary as they are.

export interface AnalysisRequest {
  input: SourceInput;
  /** Also run the fix loop (not on a file that does not parse). */
  fix: boolean;
}

export interface AnalysisResult {
  first: Analysis;
  fixed?: FixOutcome;
}

export interface Analyzer {
  analyze(request: AnalysisRequest): Promise<AnalysisResult>;
}

/** The analysis could not be loaded at all (as opposed to failing on one file). */
export { AnalysisLoadError };

export type AnalyzeSource = (input: SourceInput) => Analysis;

export function runAnalysis(analyzeSource: AnalyzeSource, { input, fix }: AnalysisRequest): AnalysisResult {
  const analyze = (text: string) => analyzeSource({ ...input, text });
  const first = analyze(input.text);
  if (!fix || first.parseErrors > 0) return { first };
  return { first, fixed: fixUntilStable(input.text, analyze, first) };
}

/** With fewer files than this left to read, a thread would not pay for its own start. */
const THREAD_WORTHWHILE_FILES = 500;
/** With at least this many files to read, screening on two threads pays for the thread from the start (measured, see README). */
export const SCREENING_WORTHWHILE_FILES = 4000;

export interface Screening<T> {
  /** The prefilter patterns a file is read with (the same array for the same set), or undefined: not read. */
  patternsOf: (file: T) => RegExp[] | undefined;
  maxFileBytes?: number;
}

/**
 * Screens the files, runs `step` over them with one analyzer and hands its results to `consume` in file
 * order (see forEachInOrder). `load` replaces the codemod's analysis (tests), in process.
 */
export async function forEachWithAnalyzer<T extends { path: string }, R>(files: Iterable<T>, screening: Screening<T>, step: (item: ScreenedFile<T>, analyzer: Analyzer) => R | Promise<R>, consume: (result: R) => void, load?: () => Promise<AnalyzeSource>): Promise<void> {
  const threads = threadsPossible(import.meta.url) && !load;
  const maxFileBytes = screening.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let thread: SecondThread | undefined;
  let started = false;
  const startThread = () => {
    if (!started) [started, thread] = [true, SecondThread.start(maxFileBytes)];
    return thread;
  };
  const walk = new ReadAhead(files);
  if (threads && walk.hasAtLeast(SCREENING_WORTHWHILE_FILES)) startThread();
  const screened = new ReadAhead(screenFiles(walk, screening.patternsOf, { maxFileBytes, channel: () => thread?.screening }));
  const analyzer = createAnalyzer({ thread: () => (threads && (started || screened.hasAtLeast(THREAD_WORTHWHILE_FILES)) ? startThread() : undefined), load });
  try {
    await forEachInOrder(screened, (file) => step(file, analyzer), consume);
  } finally {
    await thread?.close();
  }
}

interface AnalyzerOptions {
  /** Asked at the first request: the thread to analyse on, if there is one and it is worth it. */
  thread: () => SecondThread | undefined;
  load: (() => Promise<AnalyzeSource>) | undefined;
}

function createAnalyzer({ thread, load }: AnalyzerOptions): Analyzer {
  let started: Analyzer | undefined;
  return {
    analyze(request) {
      const inProcess = () => inProcessAnalyzer(load ?? loadAnalyzeSource);
      started ??= thread()?.analyzer(inProcess) ?? inProcess();
      return started.analyze(request);
    },
  };
}

function loadAnalyzeSource(): Promise<AnalyzeSource> {
  return import("./analyze.js").then((module) => module.analyzeSource);
}

function inProcessAnalyzer(load: () => Promise<AnalyzeSource>): Analyzer {
  const loading = load().catch((error: unknown) => Promise.reject(new AnalysisLoadError(messageOf(error))));
  return {
    analyze: async (request) => runAnalysis(await loading, request),
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
