import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CLEAN_PY, EXTENSION_PY, lint, lintJson, makeRepo, summary, writeFiles } from "./helpers.js";

// --changed-since: a pull-request gate reads the files git says changed, not the tree.

function git(root: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], {
    cwd: root,
    encoding: "utf8",
  });
}

function repository(files: Record<string, string>): string {
  const root = makeRepo(files);
  rmSync(join(root, ".git"), { recursive: true });
  git(root, "init", "-q", "-b", "main");
  git(root, "add", "-A");
  git(root, "commit", "-qm", "base");
  return root;
}

describe("lint --changed-since", () => {
  it("lints only the files added, modified or renamed since the ref; deleted ones are ignored", () => {
    const root = repository({
      "old/a.py": EXTENSION_PY,
      "old/b.py": EXTENSION_PY,
      "old/gone.py": EXTENSION_PY,
      "old/moved.py": EXTENSION_PY,
      "old/clean.py": CLEAN_PY,
    });
    git(root, "checkout", "-qb", "feature");
    assert.deepEqual(summary(lintJson(root, ["--changed-since", "main"]).results), [], "nothing changed yet");

    writeFileSync(join(root, "old/clean.py"), `${CLEAN_PY}${EXTENSION_PY}`);
    rmSync(join(root, "old/gone.py"));
    renameSync(join(root, "old/moved.py"), join(root, "old/renamed.py"));
    git(root, "add", "-A");
    git(root, "commit", "-qm", "change");
    writeFiles(root, { "new/untracked.py": EXTENSION_PY, "new/notes.txt": EXTENSION_PY });

    const { run, results } = lintJson(root, ["--changed-since", "main"]);
    assert.equal(run.status, 1, run.stderr);
    // notes.txt too: any text file holding the endpoint is read, whatever its name.
    assert.deepEqual(summary(results), [
      "new/notes.txt:1 no-extension-endpoint-text",
      "new/untracked.py:1 no-extension-endpoint-text",
      "old/clean.py:2 no-extension-endpoint-text",
      "old/renamed.py:1 no-extension-endpoint-text",
    ]);
    // Untouched a.py and b.py still hold findings: a full lint sees them.
    assert.equal(summary(lintJson(root).results).length, 6);
  });

  it("keeps to the paths named and to what a walk would read", () => {
    const root = repository({ "svc/a.py": CLEAN_PY, "lib/b.py": CLEAN_PY });
    writeFiles(root, {
      "svc/a.py": EXTENSION_PY,
      "lib/b.py": EXTENSION_PY,
      "svc/node_modules/dep/c.py": EXTENSION_PY,
    });
    assert.deepEqual(summary(lintJson(root, ["svc", "--changed-since", "HEAD"]).results), [
      "svc/a.py:1 no-extension-endpoint-text",
    ]);
  });

  it("an unknown ref or a folder outside git is a usage error", () => {
    const root = repository({ "a.py": CLEAN_PY });
    const run = lint(root, ["--changed-since", "no-such-branch"]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--changed-since: cannot find the merge base of no-such-branch and HEAD/);
  });
});
