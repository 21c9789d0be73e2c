import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Runs the command line in a fresh process: the build (dist/, where a second thread can start) or the
// sources through tsx (always in process), and (spawnCli) tells which modules its main thread loaded.

export const ROOT = new URL("../../", import.meta.url);
const ENTRY = { dist: new URL("dist/src/cli.js", ROOT), src: new URL("src/cli.ts", ROOT) };
const RECORDER = new URL("record-modules.mjs", import.meta.url);
/** Node options for a run where no worker thread can start: the build then analyses in process. */
export const NO_THREADS = ["--import", new URL("no-threads.mjs", import.meta.url).href] as const;

export interface CliOutput {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun extends CliOutput {
  /** Every module the main thread loaded (file URLs of ES modules, paths of CommonJS ones). */
  modules: string[];
}

/** Runs the command line and tells which modules its main thread loaded. */
export function spawnCli(
  build: "dist" | "src",
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  preload: readonly string[] = [],
): CliRun {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-modules-"));
  const out = join(dir, "modules.txt");
  try {
    const recorder = ["--import", RECORDER.href, ...preload];
    const run = runCli(build, args, cwd, { ...env, MSI2IMDS_MODULES_OUT: out }, recorder);
    const modules = readFileSync(out, "utf8").split("\n").filter(Boolean);
    return { ...run, modules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the command line without recording its modules: the recorder's hook thread costs about a third of a
 * small run, so tests that do not ask what was loaded do without it.
 */
export function runCli(
  build: "dist" | "src",
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  preload: readonly string[] = [],
): CliOutput {
  const node = [...(build === "src" ? ["--import", import.meta.resolve("tsx")] : []), ...preload];
  const child = spawnSync(process.execPath, [...node, ENTRY[build].pathname, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** TypeScript's compiler (ts-morph's bundle) was loaded on the main thread. */
export function loadedTypeScript(run: CliRun): boolean {
  return run.modules.some((m) => /[/\\](?:ts-morph|typescript)[/\\]|@ts-morph|typescript\.js$/.test(m));
}

/** The syntax service's parser runtime (tree-sitter), loaded only for a file some rule parses. */
export function loadedTreeSitter(run: CliRun): boolean {
  return run.modules.some((m) => /@vscode[/\\]tree-sitter-wasm[/\\]/.test(m));
}

export function loadedJsonParser(run: CliRun): boolean {
  return run.modules.some((m) => /[/\\]jsonc-parser[/\\]/.test(m));
}

export function loadedAzureSdk(run: CliRun): boolean {
  return run.modules.some((m) => /@azure[/\\]/.test(m));
}
