import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

// Fresh folders for the install and CI recipes: a git repository holding this working tree as the next
// commit would (what `git clone` of the project gives), npm pointed at its cache (CI has run `npm ci`, so
// nothing is fetched twice) and at a global prefix of the test's own, and a bash that runs a recipe's
// commands as written.

export const ROOT = resolve(import.meta.dirname, "../..");

/** A temporary folder of the test's own. */
export function freshFolder(name: string): string {
  return mkdtempSync(join(tmpdir(), `msi2imds-${name}-`));
}

/** A git repository of the working tree's files (tracked and new, nothing ignored), committed once. */
export function snapshotRepository(into: string): string {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split("\0")) {
    if (!file || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(into, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(into, file));
  }
  for (const args of [
    ["init", "-q", "-b", "main"],
    ["add", "-A"],
    ["commit", "-qm", "snapshot"],
  ]) {
    const git = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: into });
    if (git.status !== 0) throw new Error(`git ${args[0]} failed: ${git.stderr}`);
  }
  return into;
}

/**
 * The environment of a fresh machine's shell: npm's settings from a parent `npm test` dropped, a global
 * prefix of its own (on the PATH), the cache preferred to the registry, and no CI variables of this run.
 */
export function freshEnv(prefix: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|GITHUB_|INIT_CWD$|MSI2IMDS_)/i.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    PATH: `${join(prefix, "bin")}:${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
    npm_config_prefix: prefix,
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_loglevel: "error",
    NO_COLOR: "1",
    ...extra,
  };
}

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script as GitHub and Azure run a bash step: `bash --noprofile --norc -eo pipefail`. */
export function runBash(script: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 900_000): Promise<ScriptRun> {
  return new Promise((done, fail) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", fail);
    child.on("close", (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

/**
 * Removed by a detached `rm -rf`: the recipes leave several node_modules behind, and deleting them took
 * minutes on a busy machine, all of it time the test run would wait for nothing.
 */
export function removeFolder(path: string): void {
  spawn("rm", ["-rf", path], { detached: true, stdio: "ignore" }).unref();
}

/** Fills `${{ name }}` expressions of a workflow or pipeline file from `values`; an unknown one throws. */
export function expand(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for \${{ ${name} }}`);
    return values[name]!;
  });
}
