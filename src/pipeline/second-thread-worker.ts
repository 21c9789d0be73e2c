import { parentPort, workerData } from "node:worker_threads";
import { screeningService } from "./screen-service.js";
import { importAnalyzeSource, errorMessage, runAnalysis, type AnalyzeSource } from "./analysis.js";
import type { SecondThreadData, ThreadMessage, ThreadReply } from "./second-thread.js";

// The second thread (see second-thread.ts): screens the batches it is sent and answers analysis requests in
// turn, loading the caller's analysis module (for the codemod's, TypeScript) at the first. "close" lets the
// thread end, so its exit hooks (the code cache) run.

const port = parentPort!;
const { screening, analysisModule } = workerData as SecondThreadData;
const screen = screeningService(screening, screening.maxFileBytes);
let loading: Promise<AnalyzeSource> | undefined;

port.on("message", (message: ThreadMessage) => {
  if (message === "close") return port.close();
  if ("screen" in message) return screen.serve(message.screen);
  const { id, request } = message;
  const reply = (answer: ThreadReply) => port.postMessage(answer);
  if (!loading) {
    // Loading TypeScript takes this thread for a while: the main thread screens alone meanwhile.
    screen.pause();
    loading = importAnalyzeSource(analysisModule);
    loading.catch(() => undefined).finally(() => screen.resume()); // a failure is reported with each request below
  }
  loading.then(
    (analyzeSource) => {
      // An analysis (the fix loop above all) can take a while: batches sent meanwhile are taken back.
      screen.pause();
      try {
        reply({ id, result: runAnalysis(analyzeSource, request) });
      } catch (error) {
        reply({ id, error: errorMessage(error), loading: false });
      } finally {
        screen.resume();
      }
    },
    (error: unknown) => reply({ id, error: errorMessage(error), loading: true }),
  );
});
