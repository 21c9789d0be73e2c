import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";

// Runs one command under GNU time (CPU and peak RSS of the whole process tree) and coreutils timeout
// (a hung tool cannot stall the benchmark), with its output sent to a file rather than kept in memory.

export const GNU_TIME = "/usr/bin/time";

export interface Invocation {
  file: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export interface Sample {
  wallMs: number;
  /** user + sys of the tool and all its children; undefined without GNU time. */
  cpuMs?: number;
  peakRssKb?: number;
  exitCode: number;
  timedOut: boolean;
}

const TIMEOUT_EXIT = 124;
const KILLED_AFTER_TIMEOUT_EXIT = 137;

export function runMeasured(invocation: Invocation, outputFile: string, timeoutSeconds: number): Sample {
  const { argv, timeFile } = measuredArgv(invocation, outputFile, timeoutSeconds);
  const out = openSync(outputFile, "w");
  const err = openSync(`${outputFile}.stderr`, "w");
  const started = process.hrtime.bigint();
  try {
    const result = spawnSync(argv[0]!, argv.slice(1), {
      cwd: invocation.cwd,
      env: invocation.env ?? process.env,
      stdio: ["ignore", out, err],
      // A backstop in case timeout itself hangs.
      timeout: (timeoutSeconds + 30) * 1000,
    });
    return sampleOf(started, result.status, result.error !== undefined, timeFile);
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

/** The same, without blocking the event loop: for tools that talk to a server in this process. */
export async function runMeasuredAsync(
  invocation: Invocation,
  outputFile: string,
  timeoutSeconds: number,
): Promise<Sample> {
  const { argv, timeFile } = measuredArgv(invocation, outputFile, timeoutSeconds);
  const out = openSync(outputFile, "w");
  const err = openSync(`${outputFile}.stderr`, "w");
  const started = process.hrtime.bigint();
  try {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: invocation.cwd,
      env: invocation.env ?? process.env,
      stdio: ["ignore", out, err],
      timeout: (timeoutSeconds + 30) * 1000,
    });
    const [status, failed] = await new Promise<[number | null, boolean]>((resolve) => {
      child.on("error", () => resolve([null, true]));
      child.on("close", (code) => resolve([code, false]));
    });
    return sampleOf(started, status, failed, timeFile);
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

function measuredArgv(
  invocation: Invocation,
  outputFile: string,
  timeoutSeconds: number,
): { argv: string[]; timeFile: string } {
  const timeFile = `${outputFile}.time`;
  rmSync(timeFile, { force: true });
  const withTimeout = ["timeout", "-k", "5", String(timeoutSeconds), invocation.file, ...invocation.args];
  return {
    argv: existsSync(GNU_TIME) ? [GNU_TIME, "-f", "%U %S %M", "-o", timeFile, ...withTimeout] : withTimeout,
    timeFile,
  };
}

function sampleOf(started: bigint, status: number | null, failed: boolean, timeFile: string): Sample {
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const exitCode = status ?? 128;
  const sample: Sample = {
    wallMs,
    exitCode,
    timedOut: exitCode === TIMEOUT_EXIT || exitCode === KILLED_AFTER_TIMEOUT_EXIT || failed,
  };
  const usage = existsSync(timeFile) ? parseTimeOutput(readFileSync(timeFile, "utf8")) : undefined;
  return usage ? { ...sample, ...usage } : sample;
}

/** GNU time writes "Command exited with non-zero status N" before the format line when the tool fails. */
function parseTimeOutput(text: string): { cpuMs: number; peakRssKb: number } | undefined {
  const last = text.trim().split("\n").pop() ?? "";
  const match = /^([\d.]+) ([\d.]+) (\d+)$/.exec(last);
  if (!match) return undefined;
  return { cpuMs: (Number(match[1]) + Number(match[2])) * 1000, peakRssKb: Number(match[3]) };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
