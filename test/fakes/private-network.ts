import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordedRequest } from "./identity-endpoint.js";

// Runs a program of any language (python3, curl, wget, sh) where 169.254.169.254 is reachable, and only to the
// strict fake IMDS: a private network namespace (`unshare -rn`, no privileges needed beyond a user namespace)
// holding the fake IMDS on 169.254.169.254:80, the fake extension on 127.0.0.1:50342 and :50343, and a proxy
// that forwards nothing (set in the environment when `proxy` is true, so a client that does not bypass
// proxies for IMDS fails as it would on a real VM behind a corporate proxy).

export interface PrivateNetworkJob {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  /** Set http(s)_proxy to the proxy that forwards nothing. */
  proxy?: boolean;
  /** 20 s unless set. */
  timeoutMs?: number;
}

/** What the runner is handed: the jobs, run one after the other, and where their results go. */
export interface PrivateNetworkBatch {
  jobs: PrivateNetworkJob[];
  resultFile: string;
}

export interface PrivateNetworkResult {
  status: number | null;
  stdout: string;
  stderr: string;
  imds: RecordedRequest[];
  extension: RecordedRequest[];
  /** Requests that reached the proxy (none should). */
  proxied: { method: string; url: string }[];
}

const RUNNER = new URL("./private-network-runner.ts", import.meta.url).pathname;

/** Whether this machine lets a process make its own network namespace (a reason when it does not). */
export function privateNetworkUnavailable(): string | undefined {
  const probe = spawnSync("unshare", ["-rn", "ip", "link", "set", "lo", "up"], { encoding: "utf8" });
  if (probe.error) return `unshare cannot run: ${probe.error.message}`;
  return probe.status === 0 ? undefined : `unshare -rn failed: ${probe.stderr.trim()}`;
}

export const DEFAULT_JOB_TIMEOUT_MS = 20_000;

export function runInPrivateNetwork(job: PrivateNetworkJob): PrivateNetworkResult {
  return runAllInPrivateNetwork([job])[0]!;
}

/**
 * Runs the jobs one after the other in one private network (starting one costs about a second); each result
 * holds only the requests its own job made.
 */
export function runAllInPrivateNetwork(jobs: PrivateNetworkJob[]): PrivateNetworkResult[] {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-netns-"));
  const resultFile = join(dir, "result.json");
  try {
    const batch: PrivateNetworkBatch = { jobs, resultFile };
    const timeout = jobs.reduce((sum, job) => sum + (job.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS), 15_000);
    const runner = spawnSync("unshare", ["-rn", process.execPath, "--import", import.meta.resolve("tsx"), RUNNER], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, PRIVATE_NETWORK_JOBS: JSON.stringify(batch) },
      timeout,
    });
    if (runner.status !== 0) throw new Error(`the private network runner failed (${runner.status}): ${runner.stderr}`);
    return JSON.parse(readFileSync(resultFile, "utf8")) as PrivateNetworkResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
