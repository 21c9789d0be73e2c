import { parentPort } from "node:worker_threads";
import type { SourceInput } from "../codemod/analyze.js";

// Loads TypeScript (through the codemod's analysis) off the main thread while the main thread scans,
// then analyses the candidates it is sent. Analyses are plain data, so they cross the thread boundary as is.

export type AnalysisReply = { id: number; analysis: import("../core/fix.js").Analysis } | { id: number; error: string; loading: boolean };

const loading = import("../codemod/analyze.js");
loading.catch(() => undefined); // reported per request below

parentPort!.on("message", ({ id, input }: { id: number; input: SourceInput }) => {
  loading.then(
    ({ analyzeSource }) => {
      try {
        parentPort!.postMessage({ id, analysis: analyzeSource(input) } satisfies AnalysisReply);
      } catch (error) {
        parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error), loading: false } satisfies AnalysisReply);
      }
    },
    (error: unknown) => parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error), loading: true } satisfies AnalysisReply),
  );
});
