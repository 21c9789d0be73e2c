// Runs a compiled entry like a redirected child (redirected-child.ts), but on a worker thread of the test process:
// a fresh V8 isolate with its own module caches, globals, http agents and process.env, behind the same redirect
// preload, without the cost of starting a Node process. The entry must be JavaScript Node loads as it is
// (test/fakes/compiled.ts): the worker gets none of the test process's options, tsx included.
import { Worker } from "node:worker_threads";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { CHILD_TIMEOUT_MS, type ChildOutcome } from "./redirected-child.js";

/**
 * Runs `entry` with `args` as a child would (process.argv is [node, entry, ...args]), `preload` imported first,
 * `env` as its process.env; the worker is stopped once the entry exits, or after `timeoutMs`.
 */
export async function runRedirectedWorker(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  preload: string,
  timeoutMs: number = CHILD_TIMEOUT_MS,
): Promise<ChildOutcome> {
  const worker = new Worker(pathToFileURL(entry), {
    argv: [...args],
    env,
    execArgv: ["--import", preload],
    stdout: true,
    stderr: true,
  });
  let stdout = "";
  let stderr = "";
  worker.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  worker.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  // An error the entry leaves uncaught ends the worker as it would end a process: on stderr, exit code 1.
  worker.on("error", (error: Error) => (stderr += `${error.stack ?? error}\n`));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void worker.terminate();
  }, timeoutMs);
  const [exitCode] = (await once(worker, "exit")) as [number];
  clearTimeout(timer);
  await Promise.all([finished(worker.stdout), finished(worker.stderr)]);
  return { exitCode: timedOut ? null : exitCode, timedOut, stdout, stderr };
}
