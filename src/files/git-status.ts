import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { findRepositoryRoot } from "./repository.js";

// Which files have uncommitted changes: one `git status` per work tree, asked only when a write is due.

export class UncommittedChanges {
  private readonly byRoot = new Map<string, Set<string> | Error>();

  /** True when git reports the file modified, staged, or untracked; undefined outside a work tree. */
  has(path: string): boolean | undefined {
    const root = findRepositoryRoot(path);
    if (!root) return undefined;
    let dirty = this.byRoot.get(root);
    if (!dirty) {
      dirty = readStatus(root);
      this.byRoot.set(root, dirty);
    }
    if (dirty instanceof Error) throw dirty;
    return dirty.has(resolve(path));
  }
}

function readStatus(root: string): Set<string> | Error {
  let output: string;
  try {
    output = execFileSync("git", ["status", "--porcelain=v1", "-z", "--untracked-files=all"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    return new Error(`git status failed in ${root}: ${(error as Error).message.split("\n")[0]}`);
  }
  const dirty = new Set<string>();
  const entries = output.split("\0");
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    dirty.add(join(root, entry.slice(3)));
    // A rename or copy is followed by its source path.
    if (entry[0] === "R" || entry[0] === "C") i++;
  }
  return dirty;
}
