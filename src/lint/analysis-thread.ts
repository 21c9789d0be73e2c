import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SourceInput } from "../codemod/analyze.js";
import type { Analysis } from "../core/fix.js";
import type { AnalysisReply } from "./analysis-worker.js";

// The main thread's side of analysis-worker: one request per candidate, answered in any order.

export type ThreadAnalysis = { analysis: Analysis } | { error: string; loading: boolean };

export interface AnalysisThread {
  analyze(input: SourceInput): Promise<ThreadAnalysis>;
  close(): Promise<void>;
}

/** Only from the build: Node 20 does not run tsx's hooks in a worker, so sources run through tsx analyse in process. */
export function canStartAnalysisThread(): boolean {
  return extname(fileURLToPath(import.meta.url)) === ".js";
}

export function startAnalysisThread(): AnalysisThread {
  const worker = new Worker(new URL("./analysis-worker.js", import.meta.url));
  const waiting = new Map<number, (reply: ThreadAnalysis) => void>();
  let nextId = 0;
  let failure: string | undefined;
  const failAll = (message: string) => {
    failure ??= message;
    for (const resolve of waiting.values()) resolve({ error: failure, loading: true });
    waiting.clear();
  };
  worker.on("message", (reply: AnalysisReply) => {
    const resolve = waiting.get(reply.id);
    waiting.delete(reply.id);
    resolve?.("analysis" in reply ? { analysis: reply.analysis } : { error: reply.error, loading: reply.loading });
  });
  worker.on("error", (error) => failAll(error.message));
  worker.on("exit", () => failAll("the analysis thread exited"));
  return {
    analyze(input) {
      if (failure !== undefined) return Promise.resolve({ error: failure, loading: true });
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage({ id, input });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
