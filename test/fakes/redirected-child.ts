// Spawns a Node child with the redirect preload (and tsx, so the entry may be TypeScript), collects its output and
// kills it if it hangs: a client that never answers fails its test instead of blocking the run.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REDIRECT_IMDS_PRELOAD } from "./connection-policy.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CHILD_TIMEOUT_MS = 20_000;

export interface ChildOutcome {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node --import tsx --import <redirect preload> entry ...args` in the repository root; env comes from
 * redirectedChildEnv.
 */
export function runRedirectedChild(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number = CHILD_TIMEOUT_MS,
  /** What Node loads before the entry: tsx and the preload, or (test/fakes/compiled.ts) the compiled preload. */
  preload: readonly string[] = ["--import", "tsx", "--import", REDIRECT_IMDS_PRELOAD],
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...preload, entry, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, timedOut, stdout, stderr });
    });
  });
}
