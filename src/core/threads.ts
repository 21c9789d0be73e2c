import { extname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Whether a module can start a worker thread on a sibling module: only when built. Node 20 does not run
 * tsx's hooks in a worker, so sources run through tsx (the tests) do the work in process.
 */
export function threadsPossible(moduleUrl: string): boolean {
  return extname(fileURLToPath(moduleUrl)) === ".js";
}
