import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { fixUntilStable, type Analysis, type FixOutcome } from "../core/fix.js";
import { forEachInOrder } from "../core/in-order.js";
import type { SourceInput } from "./analyze.js";

// The codemod's analysis as fix and lint use it: nothing (no TypeScript, no thread) is loaded before
// the first request. A caller with many files still to scan asks for a thread: TypeScript then loads and
// the candidates are analysed on the second core while the main thread reads on. Analyses are plain data,
// so they cross the thread boundary as they are.

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
  close(): Promise<void>;
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

/** Node 20 does not run tsx's hooks in a worker: sources run through tsx analyse in process. */
const THREADS_POSSIBLE = extname(fileURLToPath(import.meta.url)) === ".js";

/** With fewer files than this left to read, a thread would not pay for its own start. */
const THREAD_WORTHWHILE_FILES = 500;

/**
 * Runs `step` over the files and hands its results to `consume` in file order (see forEachInOrder), with one
 * analyzer, which can ask the loop whether many files are left, and is closed when the loop ends.
 * `load` replaces the codemod's analysis (tests).
 */
export async function forEachWithAnalyzer<T, R>(files: Iterable<T>, step: (file: T, analyzer: Analyzer) => R | Promise<R>, consume: (result: R) => void, load?: () => Promise<AnalyzeSource>): Promise<void> {
  const stream = new ReadAhead(files);
  const analyzer = createAnalyzer({ manyFilesLeft: () => stream.hasAtLeast(THREAD_WORTHWHILE_FILES), load });
  try {
    await forEachInOrder(stream, (file) => step(file, analyzer), consume);
  } finally {
    await analyzer.close();
  }
}

/** A stream that can tell whether n more items are to come, by reading at most n ahead. */
class ReadAhead<T> implements Iterable<T>, Iterator<T> {
  private ahead: T[] = [];
  private head = 0;
  private readonly source: Iterator<T>;

  constructor(items: Iterable<T>) {
    this.source = items[Symbol.iterator]();
  }

  hasAtLeast(n: number): boolean {
    while (this.ahead.length - this.head < n) {
      const next = this.source.next();
      if (next.done) break;
      this.ahead.push(next.value);
    }
    return this.ahead.length - this.head >= n;
  }

  next(): IteratorResult<T> {
    if (this.head === this.ahead.length) return this.source.next();
    const value = this.ahead[this.head++]!;
    if (this.head === this.ahead.length) {
      this.ahead = [];
      this.head = 0;
    }
    return { done: false, value };
  }

  /** A loop that stops early closes the walk behind it. */
  return(): IteratorResult<T> {
    this.ahead = [];
    this.head = 0;
    return this.source.return?.() ?? { done: true, value: undefined };
  }

  [Symbol.iterator](): Iterator<T> {
    return this;
  }
}

interface AnalyzerOptions {
  /** Asked at the first request: whether the caller has many files still to read. */
  manyFilesLeft: () => boolean;
  load: (() => Promise<AnalyzeSource>) | undefined;
}

function createAnalyzer({ manyFilesLeft, load }: AnalyzerOptions): Analyzer {
  let started: Analyzer | undefined;
  return {
    analyze(request) {
      const inProcess = () => inProcessAnalyzer(load ?? loadAnalyzeSource);
      started ??= THREADS_POSSIBLE && !load && manyFilesLeft() ? threadAnalyzer(inProcess) : inProcess();
      return started.analyze(request);
    },
    close: () => started?.close() ?? Promise.resolve(),
  };
}

function loadAnalyzeSource(): Promise<AnalyzeSource> {
  return import("./analyze.js").then((module) => module.analyzeSource);
}

function inProcessAnalyzer(load: () => Promise<AnalyzeSource>): Analyzer {
  const loading = load().catch((error: unknown) => Promise.reject(new AnalysisLoadError(messageOf(error))));
  return {
    analyze: async (request) => runAnalysis(await loading, request),
    close: () => Promise.resolve(),
  };
}

export type WorkerReply = { id: number; result: AnalysisResult } | { id: number; error: string; loading: boolean };

/**
 * A thread that cannot start or dies (no threads in this sandbox, a flag Node refuses in a worker) hands
 * its unanswered requests and all later ones to `fallback`: requests are pure, so running one again is safe.
 */
function threadAnalyzer(fallback: () => Analyzer): Analyzer {
  let worker: Worker;
  try {
    // The user's Node flags are for the main program; some (--input-type, --eval) stop a worker from starting.
    worker = new Worker(new URL("./analysis-worker.js", import.meta.url), { execArgv: [] });
  } catch {
    return fallback();
  }
  const waiting = new Map<number, { request: AnalysisRequest; resolve: (result: AnalysisResult) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let replacement: Analyzer | undefined;
  let closing = false;
  let exited = false;
  const giveUp = () => {
    if (closing && waiting.size === 0) return; // the ordinary end: nothing to hand over, nothing to load
    replacement ??= fallback();
    for (const { request, resolve, reject } of waiting.values()) replacement.analyze(request).then(resolve, reject);
    waiting.clear();
  };
  worker.on("message", (reply: WorkerReply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ("result" in reply) pending?.resolve(reply.result);
    else pending?.reject(reply.loading ? new AnalysisLoadError(reply.error) : new Error(reply.error));
  });
  worker.on("error", giveUp);
  worker.on("exit", () => {
    exited = true;
    giveUp();
  });
  return {
    analyze(request) {
      if (exited) replacement ??= fallback();
      if (replacement) return replacement.analyze(request);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { request, resolve, reject });
        worker.postMessage({ id, request });
      });
    },
    // The worker ends on its own once its port closes, so TypeScript's code cache is written at its exit.
    close: () => new Promise((resolve) => {
      closing = true;
      if (exited) return resolve();
      worker.once("exit", () => resolve());
      worker.postMessage("close");
    }),
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
