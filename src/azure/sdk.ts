import { createRequire } from "node:module";

// The Azure SDK packages, loaded through their CommonJS builds: Node 20 reads those as far fewer files (MSAL
// is one bundle) through its synchronous loader, so scan and remove start sooner than on the ES module
// builds. Every runtime use of an SDK package goes through here, so that only one copy of each is loaded.

const load = createRequire(import.meta.url);

export const armCompute = (): typeof import("@azure/arm-compute") => load("@azure/arm-compute");
export const armResourceGraph = (): typeof import("@azure/arm-resourcegraph") => load("@azure/arm-resourcegraph");
export const armSubscriptions = (): typeof import("@azure/arm-resources-subscriptions") =>
  load("@azure/arm-resources-subscriptions");
export const identity = (): typeof import("@azure/identity") => load("@azure/identity");
