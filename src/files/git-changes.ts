import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { UsageError } from "../core/exit-codes.js";

// The files a pull request touches: what changed between a ref and the work tree, so that a gate on a large
// repository reads only those. Git names them; nothing is walked.

/**
 * Absolute paths of the files added, copied, modified or renamed (the new name) since the merge base of
 * `ref` and HEAD, uncommitted edits included, plus untracked files not ignored. Deleted files are left out:
 * there is nothing to lint.
 */
export function changedFiles(ref: string, cwd: string): string[] {
  const root = git(["rev-parse", "--show-toplevel"], cwd, "not in a git work tree").trim();
  const base = git(["merge-base", ref, "HEAD"], root, `cannot find the merge base of ${ref} and HEAD`).trim();
  const changed = git(["diff", "--name-only", "-z", "--diff-filter=ACMR", "--find-renames", base, "--"], root);
  const untracked = git(["ls-files", "--others", "--exclude-standard", "-z"], root);
  const names = new Set([...changed.split("\0"), ...untracked.split("\0")].filter(Boolean));
  return [...names].sort().map((name) => join(root, name));
}

function git(args: string[], cwd: string, meaning?: string): string {
  try {
    return execFileSync("git", ["-c", "core.quotePath=false", ...args], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "")
      .trim()
      .split("\n")[0];
    const reason = stderr || (error as Error).message.split("\n")[0];
    throw new UsageError(`--changed-since: ${meaning ?? `git ${args[0]} failed`}: ${reason}`);
  }
}
