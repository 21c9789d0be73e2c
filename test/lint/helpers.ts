import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after } from "node:test";

// A throwaway repository on disk and the built CLI run against it, as CI would.

export const CLI = resolve(import.meta.dirname, "../../dist/src/cli.js");

export function makeRepo(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "msi2imds-lint-"));
  mkdirSync(join(root, ".git"));
  writeFiles(root, files);
  after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function lint(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  { timeout = 60_000, input }: { timeout?: number; input?: string } = {},
): CliRun {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...env };
  delete childEnv.GITHUB_STEP_SUMMARY;
  if (env.GITHUB_STEP_SUMMARY) childEnv.GITHUB_STEP_SUMMARY = env.GITHUB_STEP_SUMMARY;
  const result = spawnSync(process.execPath, [CLI, "lint", ...args], {
    cwd,
    env: childEnv,
    encoding: "utf8",
    timeout,
    ...(input === undefined ? {} : { input }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface JsonResult {
  filePath: string;
  messages: {
    ruleId: string;
    severity: 1 | 2;
    message: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
  }[];
  errorCount: number;
  warningCount: number;
}

export function lintJson(cwd: string, args: string[] = []): { run: CliRun; results: JsonResult[] } {
  const run = lint(cwd, ["--format", "json", ...args]);
  return { run, results: JSON.parse(run.stdout) as JsonResult[] };
}

/** `path:line rule` for every message, sorted: compact to compare. */
export function summary(results: readonly JsonResult[]): string[] {
  return results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}`)).sort();
}

export const EXTENSION_PY = 'TOKEN_URL = "http://localhost:50342/oauth2/token"\n';
export const CLEAN_PY = 'IMDS = "http://169.254.169.254/metadata/identity/oauth2/token"\n';
