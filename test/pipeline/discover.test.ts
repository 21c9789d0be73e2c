import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverFiles } from "../../src/pipeline/discover.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "msi2imds-discover-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

test("walks dot folders, skips node_modules, .git and dist, honours nested .gitignore with negation", async (t) => {
  const root = tree({
    ".git/HEAD": "ref: refs/heads/main\n",
    ".gitignore": "generated/\n*.log.ts\n",
    "src/a.ts": "",
    "src/b.log.ts": "",
    "src/keep/.gitignore": "!b.log.ts\nlocal.ts\n",
    "src/keep/b.log.ts": "",
    "src/keep/local.ts": "",
    "generated/c.ts": "",
    ".github/workflows/d.ts": "",
    "node_modules/pkg/e.ts": "",
    "dist/f.ts": "",
    "README.md": "",
  });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { files, missing } = discoverFiles(["."], { cwd: root, extensions: ["ts"] });
  assert.deepEqual(missing, []);
  assert.deepEqual([...files].map((f) => f.displayPath).sort(), [
    ".github/workflows/d.ts",
    "src/a.ts",
    "src/keep/b.log.ts",
  ]);
});

test("a .gitignore above the named directory still applies; explicit files are always kept", async (t) => {
  const root = tree({
    ".git/HEAD": "",
    ".gitignore": "ignored.ts\n",
    "pkg/ignored.ts": "",
    "pkg/kept.ts": "",
  });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const walked = discoverFiles(["pkg"], { cwd: root, extensions: ["ts"] });
  assert.deepEqual(
    [...walked.files].map((f) => f.displayPath),
    ["pkg/kept.ts"],
  );
  const named = discoverFiles(["pkg/ignored.ts"], { cwd: root, extensions: ["ts"] });
  assert.deepEqual(
    [...named.files].map((f) => [f.displayPath, f.explicit]),
    [["pkg/ignored.ts", true]],
  );
});

test(
  "a folder named on the command line is walked even when a .gitignore above excludes it; " +
    "only the lines that exclude it are set aside",
  async (t) => {
    const root = tree({
      ".git/HEAD": "",
      ".gitignore": "node_modules/\nvendor/\n*.gen.ts\n",
      "node_modules/legacy-auth/index.ts": "",
      "node_modules/legacy-auth/node_modules/dep/index.ts": "",
      "vendor/lib/a.ts": "",
      "vendor/lib/b.gen.ts": "",
      "vendor/lib/.gitignore": "local.ts\n",
      "vendor/lib/local.ts": "",
    });
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const all = discoverFiles(["."], { cwd: root, extensions: ["ts"] });
    assert.deepEqual([...all.files], []);
    const named = discoverFiles(["node_modules/legacy-auth", "vendor"], { cwd: root, extensions: ["ts"] });
    // Inside the named folder the walk is as always: node_modules below it skipped, its own .gitignore honoured.
    assert.deepEqual(
      [...named.files].map((f) => f.displayPath),
      ["node_modules/legacy-auth/index.ts", "vendor/lib/a.ts"],
    );
    // A line that excludes everything inside the folder counts as excluding the folder.
    for (const line of ["third_party/**", "third_party/*"]) {
      writeFileSync(join(root, ".gitignore"), `${line}\r\n# generated\r\nthird_party/*.gen.ts\r\n`);
      writeFileSync(join(root, "vendor/lib/.gitignore"), "");
      mkdirSync(join(root, "third_party/lib"), { recursive: true });
      for (const name of ["b.ts", "c.gen.ts", "lib/a.ts"]) writeFileSync(join(root, "third_party", name), "");
      const inside = discoverFiles(["third_party"], { cwd: root, extensions: ["ts"] });
      assert.deepEqual(
        [...inside.files].map((f) => f.displayPath),
        ["third_party/b.ts", "third_party/lib/a.ts"],
        line,
      );
    }
  },
);

test("a missing target is reported with its reason, not thrown", async () => {
  const { files, missing } = discoverFiles(["/definitely/not/here"], {});
  assert.deepEqual([...files], []);
  assert.deepEqual(missing, [{ target: "/definitely/not/here", reason: "no such file or directory" }]);
});

test("file names as well as endings", async (t) => {
  const root = tree({ Dockerfile: "", "infra/x.tf": "", "infra/skip/y.tf": "", "z.txt": "" });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { files } = discoverFiles([root], { cwd: root, extensions: ["tf"], fileNames: ["Dockerfile"] });
  assert.deepEqual(
    [...files].map((f) => f.displayPath),
    ["Dockerfile", "infra/skip/y.tf", "infra/x.tf"],
  );
});

test(
  "symbolic links are not followed, " + "and a folder git ignores is not entered even to re-include a file",
  async (t) => {
    const root = tree({
      ".git/HEAD": "",
      ".gitignore": "build/\n",
      "build/.gitignore": "!keep.ts\n",
      "build/keep.ts": "",
      "src/a.ts": "",
    });
    t.after(() => rmSync(root, { recursive: true, force: true }));
    symlinkSync(join(root, "src/a.ts"), join(root, "link.ts"));
    symlinkSync(join(root, "src"), join(root, "linked-src"));
    const { files } = discoverFiles(["."], { cwd: root, extensions: ["ts"] });
    assert.deepEqual(
      [...files].map((f) => f.displayPath),
      ["src/a.ts"],
    );
  },
);

test("paths come in string order, as if the whole list were sorted, without holding the list", async (t) => {
  const root = tree({
    "a/b.ts": "",
    "a-b.ts": "",
    "a.ts": "",
    "ab/c.ts": "",
    "a/z/y.ts": "",
    "B.ts": "",
    "a/a.ts": "",
  });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const paths = [...discoverFiles(["."], { cwd: root, extensions: ["ts"] }).files].map((f) => f.displayPath);
  assert.deepEqual(paths, [...paths].sort());
  assert.deepEqual(paths, ["B.ts", "a-b.ts", "a.ts", "a/a.ts", "a/b.ts", "a/z/y.ts", "ab/c.ts"]);
});

test("a file reached by two targets comes once; targets keep their order", async (t) => {
  const root = tree({ "src/a.ts": "", "src/b.ts": "", "test/c.ts": "" });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const paths = (targets: string[]) =>
    [...discoverFiles(targets, { cwd: root, extensions: ["ts"] }).files].map((f) => [f.displayPath, f.explicit]);
  assert.deepEqual(paths(["test", "src"]), [
    ["test/c.ts", false],
    ["src/a.ts", false],
    ["src/b.ts", false],
  ]);
  assert.deepEqual(paths(["src/b.ts", "src", "."]), [
    ["src/b.ts", true],
    ["src/a.ts", false],
    ["test/c.ts", false],
  ]);
  assert.deepEqual(paths([join(root, "test/../src/"), "src"]), [
    ["src/a.ts", false],
    ["src/b.ts", false],
  ]);
});

test("globs: the folder before the first glob character is walked and the rest matched, .gitignore honoured", async (t) => {
  const root = tree({
    ".gitignore": "ignored/\n",
    "a.py": "",
    "b.sh": "",
    "sub/c.py": "",
    "sub/deep/d.py": "",
    "sub/deep/x1.py": "",
    "ignored/e.py": "",
    "img.png": "",
  });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const paths = (targets: string[], options = {}) =>
    [...discoverFiles(targets, { cwd: root, ...options }).files].map((f) => f.displayPath).sort();
  assert.deepEqual(paths(["**/*.py"]), ["a.py", "sub/c.py", "sub/deep/d.py", "sub/deep/x1.py"]);
  assert.deepEqual(paths(["*.py"]), ["a.py"], "a glob without a folder matches at the top only, as a shell's");
  assert.deepEqual(paths(["sub/**/x?.py"]), ["sub/deep/x1.py"]);
  assert.deepEqual(paths(["sub/[cd].py"]), ["sub/c.py"]);
  assert.deepEqual(discoverFiles(["nope/*.py"], { cwd: root }).missing, [
    { target: "nope/*.py", reason: "no such file or directory" },
  ]);
  // A pattern that matches nothing (here: no file, or none the caller keeps) is a mistake.
  for (const [pattern, options] of [
    ["**/*.rb", {}],
    ["*.png", { extensions: ["py"] }],
  ] as const)
    assert.deepEqual(discoverFiles([pattern], { cwd: root, ...options }).missing, [
      { target: pattern, reason: "no file matches this pattern" },
    ]);
  assert.deepEqual(paths(["."], { exceptExtensions: ["png", "PY"] }), [".gitignore", "b.sh"]);
});
