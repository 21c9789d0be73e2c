import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// The pull-request case on a large repository: a git repository of N generated files (a monorepo's worth
// of JS/TS, Python, YAML and JSON, a few of them with extension calls), one commit, then one file changed.
// `lint .` reads the tree; `lint --changed-since HEAD` reads what git says changed.

export const MAX_TREE_FILES = 500_000;
const PER_FOLDER = 1000;
const GIT = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "core.autocrlf=false"];

const KINDS: readonly { ext: string; text: (i: number) => string }[] = [
  { ext: "ts", text: (i) => `export const value${i} = ${i};\nexport function f${i}(x: number) { return x + ${i}; }\n` },
  { ext: "js", text: (i) => `module.exports = { id: ${i}, name: "item-${i}" };\n` },
  { ext: "py", text: (i) => `def handler_${i}(event):\n    return {"id": ${i}}\n` },
  { ext: "json", text: (i) => `{ "id": ${i}, "enabled": true }\n` },
  { ext: "yml", text: (i) => `name: job-${i}\nsteps:\n  - run: echo ${i}\n` },
];
const EXTENSION_CALL = 'TOKEN = "http://localhost:50342/oauth2/token?resource=https://management.azure.com/"\n';

export interface ChangedTree {
  root: string;
  files: number;
  /** The file changed after the commit (relative to root). */
  changed: string;
}

/** Builds the tree once per size (kept in .bench), then changes one file: what a pull request does. */
export function changedTree(benchDir: string, files: number, log: (line: string) => void): ChangedTree {
  if (!Number.isInteger(files) || files < 1 || files > MAX_TREE_FILES)
    throw new Error(`--tree must be 1..${MAX_TREE_FILES}`);
  const root = join(benchDir, `tree-${files}`);
  const done = join(root, ".git", "msi2imds-bench-complete");
  if (!existsSync(done)) {
    rmSync(root, { recursive: true, force: true });
    log(`building a git repository of ${files.toLocaleString("en")} files in ${root} (once)`);
    for (let i = 0; i < files; i++) {
      const folder = join(root, `packages/p${Math.floor(i / PER_FOLDER)}`);
      if (i % PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
      const kind = KINDS[i % KINDS.length]!;
      // One file in ten thousand calls the extension: the gate has something to find in a full lint.
      const text = kind.ext === "py" && i % 10_000 === 2 ? EXTENSION_CALL : kind.text(i);
      writeFileSync(join(folder, `f${i}.${kind.ext}`), text);
    }
    git(root, "init", "-q");
    git(root, "add", "-A");
    git(root, "commit", "-qm", "tree");
    writeFileSync(done, "");
  }
  git(root, "checkout", "-q", "--", ".");
  const changed = "packages/p0/f2.py";
  writeFileSync(join(root, changed), `${readFileSync(join(root, changed), "utf8")}${EXTENSION_CALL}`);
  return { root, files, changed };
}

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync("git", [...GIT, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args[0]} failed in ${cwd}: ${result.stderr}`);
}
