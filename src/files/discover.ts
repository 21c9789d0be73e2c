import fg from "fast-glob";
import ignore, { type Ignore } from "ignore";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { describeFsError } from "./text-file.js";

// File discovery shared by fix and lint: directories walked with fast-glob, .gitignore honoured at every
// level (and above the target, up to the repository root), build output and dependencies skipped.
// Dot folders are walked: CI definitions live in .github/ and .azure-pipelines/.

export const ALWAYS_SKIPPED_DIRS: readonly string[] = ["node_modules", ".git", "dist"];

export interface DiscoverOptions {
  cwd?: string;
  /** File name endings to keep when walking directories, without the dot ("ts", "d.ts"); all when absent. */
  extensions?: readonly string[];
  /** Exact file names to keep as well (e.g. "Dockerfile"), matched case-insensitively. */
  fileNames?: readonly string[];
  /** Extra globs to leave out, relative to cwd (from config). */
  ignoreGlobs?: readonly string[];
}

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  /** Relative to cwd with forward slashes: what reports show. */
  displayPath: string;
  /** Named on the command line: processed whatever the ignore rules say. */
  explicit: boolean;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Targets that could not be read at all (missing path, permission). */
  missing: { target: string; reason: string }[];
}

export async function discoverFiles(targets: readonly string[], options: DiscoverOptions = {}): Promise<Discovery> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const seen = new Set<string>();
  const files: DiscoveredFile[] = [];
  const missing: Discovery["missing"] = [];
  const extraIgnore = options.ignoreGlobs?.length ? ignore().add([...options.ignoreGlobs]) : undefined;
  const add = (path: string, explicit: boolean) => {
    if (seen.has(path)) return;
    const displayPath = toDisplayPath(cwd, path);
    if (!explicit && extraIgnore && !displayPath.startsWith("../") && extraIgnore.ignores(displayPath)) return;
    seen.add(path);
    files.push({ path, displayPath, explicit });
  };

  for (const target of targets.length > 0 ? targets : ["."]) {
    const absolute = isAbsolute(target) ? target : resolve(cwd, target);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch (error) {
      missing.push({ target, reason: describeFsError(error) });
      continue;
    }
    if (!isDirectory) {
      add(absolute, true);
      continue;
    }
    for (const path of await walkDirectory(absolute, options)) add(path, false);
  }
  return { files, missing };
}

async function walkDirectory(root: string, options: DiscoverOptions): Promise<string[]> {
  const endings = options.extensions?.map((e) => `.${e.toLowerCase()}`);
  const names = options.fileNames?.map((n) => n.toLowerCase());
  const entries = await fg(["**/*"], {
    cwd: root,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    suppressErrors: true,
    ignore: ALWAYS_SKIPPED_DIRS.map((d) => `**/${d}/**`),
  });
  const gitignores = new GitignoreSet(root);
  for (const entry of entries) {
    if (entry === ".gitignore" || entry.endsWith("/.gitignore")) gitignores.load(join(root, dirname(entry)));
  }
  const kept: string[] = [];
  for (const entry of entries) {
    const lower = entry.toLowerCase();
    const base = lower.slice(lower.lastIndexOf("/") + 1);
    const wanted = (!endings && !names) || endings?.some((e) => lower.endsWith(e)) || names?.includes(base);
    if (!wanted) continue;
    const path = join(root, entry);
    if (!gitignores.ignores(path)) kept.push(path);
  }
  kept.sort();
  return kept;
}

/** Every .gitignore that applies below `root`, including those of its ancestors inside the repository. */
class GitignoreSet {
  private readonly byDir = new Map<string, Ignore>();

  constructor(root: string) {
    const repoRoot = findRepositoryRoot(root);
    if (repoRoot) {
      for (let dir = dirname(root); dir.length >= repoRoot.length && dir.startsWith(repoRoot); dir = dirname(dir)) {
        this.load(dir);
        if (dir === repoRoot) break;
      }
    }
  }

  load(dir: string): void {
    if (this.byDir.has(dir)) return;
    try {
      this.byDir.set(dir, ignore().add(readFileSync(join(dir, ".gitignore"), "utf8")));
    } catch {
      // No readable .gitignore here: nothing to honour.
    }
  }

  /** Git's precedence: a deeper .gitignore overrides a shallower one, negations included. */
  ignores(path: string): boolean {
    const applicable: [string, Ignore][] = [];
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const rules = this.byDir.get(dir);
      if (rules) applicable.push([dir, rules]);
      if (dirname(dir) === dir) break;
    }
    let ignored = false;
    for (let i = applicable.length - 1; i >= 0; i--) {
      const [dir, rules] = applicable[i]!;
      const verdict = rules.test(relative(dir, path).split(sep).join("/"));
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}

export function findRepositoryRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export function toDisplayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return (rel === "" ? "." : rel).split(sep).join("/");
}
