import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { forEachInOrder } from "./in-order.js";
import { ReadAhead } from "./read-ahead.js";
import { screenFiles, type PatternSet, type ScreenedFile } from "./screen.js";
import { DEFAULT_MAX_FILE_BYTES } from "../files/text-file.js";
import {
  AnalysisLoadError,
  importAnalyzeSource,
  errorMessage,
  runAnalysis,
  type AnalysisRequest,
  type AnalysisResult,
  type AnalysisSource,
  type AnalyzeSource,
} from "./analysis.js";
import { SecondThread } from "./second-thread.js";

// How fix and lint go through files: each is screened first (screen.ts), so that only files where the
// prefilter found something are read as text; then the caller's step runs, with the caller's analysis at
// hand. Nothing (no TypeScript, no thread) is loaded before it is needed. On a large tree a second thread
// screens from the start; on any tree with many files still to read at the first candidate, TypeScript
// loads on that thread while the main thread reads on.

export interface Analyzer {
  analyze(request: AnalysisRequest): Promise<AnalysisResult>;
}

/** Node 20 does not run tsx's hooks in a worker: sources run through tsx (the tests) work in process. */
const THREADS_POSSIBLE = extname(fileURLToPath(import.meta.url)) === ".js";

/** With fewer files than this left to read, a thread would not pay for its own start. */
const THREAD_WORTHWHILE_FILES = 500;
/**
 * With at least this many files to read, screening on two threads pays for the thread from the start
 * (measured, see README).
 */
export const SCREENING_WORTHWHILE_FILES = 4000;

export interface Screening<T> {
  /** The pattern set a file is screened with, or undefined: the file is not read. */
  screenWith: (file: T) => PatternSet | undefined;
  maxFileBytes?: number;
}

/**
 * Screens the files, runs `step` over them with one analyzer and hands its results to `consume` in file
 * order (see forEachInOrder). The analysis is loaded at the first request, on the second thread when one
 * is worth it (a module only: a `load` function runs in process).
 */
export async function forEachWithAnalyzer<T extends { path: string }, R>(
  files: Iterable<T>,
  screening: Screening<T>,
  step: (item: ScreenedFile<T>, analyzer: Analyzer) => R | Promise<R>,
  consume: (result: R) => void,
  analysis: AnalysisSource,
): Promise<void> {
  const module = "module" in analysis ? analysis.module : undefined;
  const load = "load" in analysis ? analysis.load : () => importAnalyzeSource(module!);
  const threads = THREADS_POSSIBLE && module !== undefined;
  const maxFileBytes = screening.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let thread: SecondThread | undefined;
  let started = false;
  const startThread = () => {
    if (!started) [started, thread] = [true, SecondThread.start(maxFileBytes, module!)];
    return thread;
  };
  const walk = new ReadAhead(files);
  if (threads && walk.hasAtLeast(SCREENING_WORTHWHILE_FILES)) startThread();
  const screened = new ReadAhead(
    screenFiles(walk, screening.screenWith, { maxFileBytes, channel: () => thread?.screening }),
  );
  const analyzer = createAnalyzer({
    thread: () => (threads && (started || screened.hasAtLeast(THREAD_WORTHWHILE_FILES)) ? startThread() : undefined),
    load,
  });
  try {
    await forEachInOrder(screened, (file) => step(file, analyzer), consume);
  } finally {
    await thread?.close();
  }
}

interface AnalyzerOptions {
  /** Asked at the first request: the thread to analyse on, if there is one and it is worth it. */
  thread: () => SecondThread | undefined;
  load: () => Promise<AnalyzeSource>;
}

function createAnalyzer({ thread, load }: AnalyzerOptions): Analyzer {
  let started: Analyzer | undefined;
  return {
    analyze(request) {
      const inProcess = () => inProcessAnalyzer(load);
      started ??= thread()?.analyzer(inProcess) ?? inProcess();
      return started.analyze(request);
    },
  };
}

function inProcessAnalyzer(load: () => Promise<AnalyzeSource>): Analyzer {
  const loading = load().catch((error: unknown) => Promise.reject(new AnalysisLoadError(errorMessage(error))));
  return {
    analyze: async (request) => runAnalysis(await loading, request),
  };
}
