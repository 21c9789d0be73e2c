import { Worker } from "node:worker_threads";
import { allocateScreenMemory, READY, type ScreenMemory, type ScreenRequest } from "./screen-protocol.js";
import type { ScreenChannel } from "./screen.js";
import { AnalysisLoadError, type AnalysisRequest, type AnalysisResult } from "./analysis.js";
import type { Analyzer } from "./analyzer.js";

// The one thread a run starts besides its own: it screens batches of files while the main thread screens
// others, and analyses candidates, loading TypeScript at the first. TypeScript's load takes the thread for a
// while: the batches it has not begun meanwhile are taken back by the main thread (see screen.ts).

export interface SecondThreadData {
  screening: ScreenMemory & { maxFileBytes: number };
  /** The module whose analyzeSource the thread loads at its first analysis. */
  analysisModule: string;
}

export type ThreadMessage = "close" | { screen: ScreenRequest } | { id: number; request: AnalysisRequest };
export type ThreadReply = { id: number; result: AnalysisResult } | { id: number; error: string; loading: boolean };

interface Waiting {
  request: AnalysisRequest;
  resolve: (result: AnalysisResult) => void;
  reject: (error: Error) => void;
}

export class SecondThread {
  readonly screening: ScreenChannel;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  /** Where requests go once the thread is gone: made at the first need. */
  private makeFallback: (() => Analyzer) | undefined;
  private fallback: Analyzer | undefined;
  private analysed = false;
  private closed: Promise<void> | undefined;
  private exited = false;

  /** Undefined where no thread can start (no threads in this sandbox, a flag Node refuses in a worker). */
  static start(maxFileBytes: number, analysisModule: URL): SecondThread | undefined {
    const memory = allocateScreenMemory();
    const workerData: SecondThreadData = {
      screening: { ...memory, maxFileBytes },
      analysisModule: analysisModule.href,
    };
    try {
      // The user's Node flags are for the main program; some (--input-type, --eval) stop a worker from starting.
      return new SecondThread(
        new Worker(new URL("./second-thread-worker.js", import.meta.url), { workerData, execArgv: [] }),
        memory,
      );
    } catch {
      return undefined;
    }
  }

  private constructor(
    private readonly worker: Worker,
    memory: ScreenMemory,
  ) {
    this.screening = { ...memory, post: (request) => worker.postMessage({ screen: request } satisfies ThreadMessage) };
    // Screening alone does not keep the process alive (the main thread never waits on this thread's events);
    // analyses do, while any is unanswered, and so does close() after analyses.
    worker.unref();
    worker.on("message", (reply: ThreadReply) => {
      const pending = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if ("result" in reply) pending?.resolve(reply.result);
      else pending?.reject(reply.loading ? new AnalysisLoadError(reply.error) : new Error(reply.error));
    });
    worker.on("error", () => this.giveUp());
    worker.on("exit", () => {
      this.exited = true;
      this.giveUp();
    });
  }

  /**
   * Analyses on this thread. If it dies, its unanswered requests and all later ones go to `fallback`:
   * requests are pure, so running one again is safe.
   */
  analyzer(fallback: () => Analyzer): Analyzer {
    this.makeFallback = fallback;
    return {
      analyze: (request) => {
        if (this.exited || this.fallback) return this.replacement().analyze(request);
        this.analysed = true;
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
          this.waiting.set(id, { request, resolve, reject });
          this.worker.ref();
          this.worker.postMessage({ id, request } satisfies ThreadMessage);
        });
      },
    };
  }

  /** Ends the thread. After analyses, waits for it to exit, so that TypeScript's code cache is written. */
  close(): Promise<void> {
    this.closed ??= this.exited
      ? Promise.resolve()
      : new Promise((resolve) => {
          this.worker.postMessage("close" satisfies ThreadMessage);
          if (!this.analysed) return resolve();
          this.worker.ref();
          this.worker.once("exit", () => resolve());
        });
    return this.closed;
  }

  private giveUp(): void {
    Atomics.store(this.screening.control, READY, 0); // no more batches; those sent are taken back
    if (this.waiting.size === 0) return; // the ordinary end, or a death before any analysis: nothing to hand over
    for (const { request, resolve, reject } of this.waiting.values())
      this.replacement().analyze(request).then(resolve, reject);
    this.waiting.clear();
  }

  private replacement(): Analyzer {
    this.fallback ??= this.makeFallback!();
    return this.fallback;
  }
}
