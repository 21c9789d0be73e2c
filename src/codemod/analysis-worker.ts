import { parentPort } from "node:worker_threads";
import { messageOf, runAnalysis, type AnalysisRequest, type WorkerReply } from "./analyzer.js";

// The analysis thread: loads TypeScript (through the codemod's analysis) while the main thread scans,
// then answers each request in turn. "close" lets the thread end, so its exit hooks (the code cache) run.

const port = parentPort!;
const loading = import("./analyze.js");
loading.catch(() => undefined); // reported with each request below

port.on("message", (message: { id: number; request: AnalysisRequest } | "close") => {
  if (message === "close") return port.close();
  const { id, request } = message;
  const reply = (answer: WorkerReply) => port.postMessage(answer);
  loading.then(
    ({ analyzeSource }) => {
      try {
        reply({ id, result: runAnalysis(analyzeSource, request) });
      } catch (error) {
        reply({ id, error: messageOf(error), loading: false });
      }
    },
    (error: unknown) => reply({ id, error: messageOf(error), loading: true }),
  );
});
