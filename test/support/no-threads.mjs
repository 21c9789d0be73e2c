// Loaded with `node --import` into a spawned CLI: no worker thread can start, as in a sandbox without threads,
// so the built CLI analyses everything in process (SecondThread.start gives up when the Worker throws).
import { syncBuiltinESMExports } from "node:module";
import workerThreads from "node:worker_threads";

workerThreads.Worker = class {
  constructor() {
    throw new Error("no threads in this run");
  }
};
syncBuiltinESMExports();
