import { stripVTControlCharacters } from "node:util";
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, execFileSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixtureWorkspace } from "../support/workspace.js";

// `msi2imds fix` as a user runs it: the built CLI in a child process, over copies of the fixtures in a
// temporary directory.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "dist/src/cli.js");
const FIXTURES = join(ROOT, "fixtures/no-extension-endpoint");

function workspace(files: Record<string, string>): string {
  return fixtureWorkspace(FIXTURES, files);
}

function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, "fix", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(cwd: string, ...args: string[]) {
  const result = run(cwd, "--format", "json", ...args);
  return {
    ...result,
    report: JSON.parse(result.stdout) as {
      files: {
        path: string;
        status: string;
        reason?: string;
        review: { line: number; column: number; message: string }[];
      }[];
      summary: Record<string, number>;
    },
  };
}

test("dry run prints a unified diff and a summary, writes nothing, exits 1: the rewrites are not applied", (t) => {
  const dir = workspace({ "token.ts": "fetch-literal.input.ts" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const before = readFileSync(join(dir, "token.ts"));
  const { code, stdout } = run(dir, "--no-color");
  assert.equal(code, 1);
  assert.match(stdout, /^--- a\/token\.ts\n\+\+\+ b\/token\.ts\n@@ -1,6 \+1,6 @@/m);
  assert.match(stdout, /^-.*localhost:50342/m);
  assert.match(stdout, /^\+.*169\.254\.169\.254\/metadata\/identity\/oauth2\/token\?api-version=2018-02-01&resource=/m);
  assert.match(stdout, /1 to change, 0 unchanged, 0 skipped, 0 error\(s\), 0 need review \(\d+ ms\)/);
  assert.equal(stdout, stripVTControlCharacters(stdout), "no colour codes with --no-color");
  assert.ok(readFileSync(join(dir, "token.ts")).equals(before));
});

test("--write applies the rewrite byte for byte, keeps the mode, and a second run changes nothing", (t) => {
  const dir = workspace({ "a.ts": "fetch-form-post.input.ts", "b.cjs": "http-get-url.input.cjs" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(join(dir, "b.cjs"), 0o755);
  const { code, stdout } = run(dir, "--write", ".");
  assert.equal(code, 0, stdout);
  assert.match(stdout, /2 changed, 0 unchanged/);
  assert.ok(readFileSync(join(dir, "a.ts")).equals(readFileSync(join(FIXTURES, "fetch-form-post.output.ts"))));
  assert.ok(readFileSync(join(dir, "b.cjs")).equals(readFileSync(join(FIXTURES, "http-get-url.output.cjs"))));
  assert.equal(statSync(join(dir, "b.cjs")).mode & 0o777, 0o755);
  const again = json(dir, "--write");
  assert.equal(again.code, 0);
  assert.deepEqual(again.report.summary, { changed: 0, unchanged: 2, skipped: 0, errors: 0, review: 0 });
});

test("a CRLF file with a BOM keeps both", (t) => {
  const dir = workspace({ "crlf.ts": "fetch-form-post-crlf-bom.input.ts" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(run(dir, "--write").code, 0);
  const written = readFileSync(join(dir, "crlf.ts"));
  assert.ok(written.equals(readFileSync(join(FIXTURES, "fetch-form-post-crlf-bom.output.ts"))));
  assert.deepEqual([...written.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.doesNotMatch(written.toString("latin1"), /[^\r]\n/);
});

test("--format json gives the issue's shape; a case for a person exits 1", (t) => {
  const dir = workspace({
    "fix.ts": "fetch-literal.input.ts",
    "env.ts": "port-from-environment.review.ts",
    "ok.ts": "azure-arc.valid.ts",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { code, report } = json(dir);
  assert.equal(code, 1);
  assert.deepEqual(report.summary, { changed: 1, unchanged: 2, skipped: 0, errors: 0, review: 1 });
  const byPath = Object.fromEntries(report.files.map((f) => [f.path, f]));
  assert.deepEqual(Object.keys(byPath).sort(), ["env.ts", "fix.ts", "ok.ts"]);
  assert.equal(byPath["fix.ts"]!.status, "changed");
  assert.deepEqual(byPath["ok.ts"], { path: "ok.ts", status: "unchanged", review: [] });
  const [item] = byPath["env.ts"]!.review;
  assert.equal(item!.line, 3);
  assert.equal(item!.column, 26);
  assert.match(item!.message, /port comes from the environment \(process\.env\.MSI_PORT\)/);
  assert.equal(byPath["env.ts"]!.status, "unchanged");
});

test("a UTF-16 file (little or big endian, with its BOM) is rewritten and written back as UTF-16", (t) => {
  const dir = workspace({});
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const input = readFileSync(join(FIXTURES, "fetch-form-post-crlf-bom.input.ts"), "utf8").replace(/^\uFEFF/, "");
  const output = readFileSync(join(FIXTURES, "fetch-form-post-crlf-bom.output.ts"), "utf8").replace(/^\uFEFF/, "");
  const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  const utf16be = (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
  writeFileSync(join(dir, "le.ts"), utf16le(input));
  writeFileSync(join(dir, "be.ts"), utf16be(input));
  assert.equal(run(dir, "--write").code, 0);
  assert.ok(readFileSync(join(dir, "le.ts")).equals(utf16le(output)));
  assert.ok(readFileSync(join(dir, "be.ts")).equals(utf16be(output)));
});

test("fix - says fix does not read standard input (exit 2)", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-fix-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { code, stderr } = run(dir, "-");
  assert.equal(code, 2);
  assert.match(stderr, /^msi2imds: fix rewrites files where they are and does not read standard input/);
});

test("a file that does not parse is skipped with its reason, and left for a person (exit 1)", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-fix-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const broken =
    `const u = "http://localhost:50342/oauth2/token?resource=r";\n` + `fetch(u, { headers: { Metadata: "true" } ;\n`;
  writeFileSync(join(dir, "broken.ts"), broken);
  const { code, report } = json(dir, "--write");
  assert.equal(code, 1);
  assert.equal(report.files[0]!.status, "skipped");
  assert.match(report.files[0]!.reason!, /does not parse/);
  assert.equal(readFileSync(join(dir, "broken.ts"), "utf8"), broken);
});

test("a read-only file is not written: reported as an error from its mode bits", (t) => {
  const dir = workspace({ "ro.ts": "fetch-literal.input.ts" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(join(dir, "ro.ts"), 0o444);
  const { code, report } = json(dir, "--write");
  assert.equal(code, 2);
  assert.equal(report.files[0]!.status, "error");
  assert.match(report.files[0]!.reason!, /read-only/);
  assert.ok(readFileSync(join(dir, "ro.ts")).equals(readFileSync(join(FIXTURES, "fetch-literal.input.ts"))));
});

test("--write refuses a file with uncommitted changes in git unless --force", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-fix-git-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.invalid", "-c", "user.name=t", ...args], {
      cwd: dir,
      stdio: "ignore",
    });
  git("init", "-q");
  mkdirSync(join(dir, "src"));
  copyFileSync(join(FIXTURES, "fetch-literal.input.ts"), join(dir, "src/clean.ts"));
  copyFileSync(join(FIXTURES, "fetch-template.input.mts"), join(dir, "src/dirty.mts"));
  git("add", ".");
  git("commit", "-q", "-m", "init");
  writeFileSync(join(dir, "src/dirty.mts"), `${readFileSync(join(dir, "src/dirty.mts"), "utf8")}// local edit\n`);

  const refused = json(dir, "--write", "src");
  assert.equal(refused.code, 2);
  const byPath = Object.fromEntries(refused.report.files.map((f) => [f.path, f]));
  assert.equal(byPath["src/clean.ts"]!.status, "changed");
  assert.equal(byPath["src/dirty.mts"]!.status, "error");
  assert.match(byPath["src/dirty.mts"]!.reason!, /uncommitted changes/);
  assert.match(readFileSync(join(dir, "src/dirty.mts"), "utf8"), /localhost:50342/);

  const forced = json(dir, "--write", "--force", "src");
  assert.equal(forced.code, 0);
  assert.doesNotMatch(readFileSync(join(dir, "src/dirty.mts"), "utf8"), /localhost:50342/);
});

test("usage errors exit 2 with a one-line message", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-fix-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const missing = run(dir, "no/such/path");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/path: no such file or directory/);
  const badVersion = run(dir, "--api-version", "2017-09-01");
  assert.equal(badVersion.code, 2);
  assert.match(badVersion.stderr, /2017-09-01 is not an IMDS identity api-version/);
  assert.equal(run(dir, "--format", "xml").code, 2);
  assert.equal(run(dir, "--port", "http").code, 2);
});

test("a FIFO named on the command line is reported as not a regular file instead of blocking the run", (t) => {
  const dir = workspace({ "a.ts": "fetch-literal.input.ts" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync("mkfifo", [join(dir, "pipe.js")]);
  const result = spawnSync(process.execPath, [CLI, "fix", "--format", "json", "pipe.js", "a.ts"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(result.signal, null, "the run ended by itself");
  assert.equal(result.status, 2);
  const report = JSON.parse(result.stdout) as { files: { path: string; status: string; reason?: string }[] };
  assert.deepEqual(
    report.files.map((f) => [f.path, f.status, f.reason]),
    [
      ["pipe.js", "error", "not a regular file"],
      ["a.ts", "changed", undefined],
    ],
  );
});

test("a file over the size limit is skipped with its reason, like lint does, not an error", (t) => {
  const dir = workspace({ "a.ts": "fetch-literal.input.ts" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "bundle.js"), `// http://localhost:50342/oauth2/token\n${"x;\n".repeat(2_200_000)}`);
  const { code, report } = json(dir, "--write");
  assert.equal(code, 0, JSON.stringify(report.summary));
  assert.deepEqual(
    report.files.map((f) => [f.path, f.status]),
    [
      ["a.ts", "changed"],
      ["bundle.js", "skipped"],
    ],
  );
  assert.match(report.files[1]!.reason!, /^larger than the 4\.0 MiB limit/);
});

test("a file of another language named on the command line is skipped as such, not parsed as JavaScript", (t) => {
  const dir = workspace({});
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "token.rb"), 'Net::HTTP.get(URI("http://localhost:50342/oauth2/token"))\n');
  const { code, report } = json(dir, "token.rb");
  assert.equal(code, 0);
  assert.deepEqual(
    report.files.map((f) => [f.path, f.status, f.reason]),
    [
      [
        "token.rb",
        "skipped",
        "msi2imds fix rewrites JavaScript/TypeScript, Python, shell and PowerShell " +
          "(this is ruby: msi2imds lint checks it)",
      ],
    ],
  );
});

test("an empty directory gives a summary of zeros and exit 0", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-fix-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { code, report } = json(dir);
  assert.equal(code, 0);
  assert.deepEqual(report, { files: [], summary: { changed: 0, unchanged: 0, skipped: 0, errors: 0, review: 0 } });
});

test("50343 is rewritten by default, as lint flags it; --port adds another port", (t) => {
  const dir = workspace({ "p.ts": "fetch-port-50343.input.ts", "q.ts": "fetch-port-50343.input.ts" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "q.ts"), readFileSync(join(dir, "q.ts"), "utf8").replaceAll("50343", "50444"));
  assert.deepEqual(
    json(dir).report.files.map((f) => [f.path, f.status]),
    [
      ["p.ts", "changed"],
      ["q.ts", "unchanged"],
    ],
  );
  assert.equal(json(dir, "--port", "50444").report.summary.changed, 2);
});

test("--write through a symbolic link rewrites the file it points to and keeps the link", (t) => {
  const dir = workspace({ "real.ts": "fetch-literal.input.ts" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync("real.ts", join(dir, "link.ts"));
  const { code } = run(dir, "--write", "link.ts");
  assert.equal(code, 0);
  assert.ok(lstatSync(join(dir, "link.ts")).isSymbolicLink());
  assert.ok(readFileSync(join(dir, "real.ts")).equals(readFileSync(join(FIXTURES, "fetch-literal.output.ts"))));
});

test("output closed early (| head) stops the run with one line and exit 2, not a stack trace", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-fix-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // More JSON than a pipe holds: the writes outlast the reader.
  for (let i = 0; i < 3000; i++) writeFileSync(join(dir, `f${i}.ts`), `export const n = ${i};\n`);
  const child = spawn(process.execPath, [CLI, "fix", "--format", "json"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdout.once("data", () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(stderr, "msi2imds: stopped: the output was closed before the end\n");
  assert.equal(code, 2);
});

test("output that cannot be written (a full disk) stops the run with one line and exit 2", (t) => {
  if (!existsSync("/dev/full")) return t.skip("no /dev/full here");
  const dir = workspace({ "token.ts": "fetch-literal.input.ts" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const full = openSync("/dev/full", "w");
  t.after(() => closeSync(full));
  const result = spawnSync(process.execPath, [CLI, "fix", "--format", "json"], {
    cwd: dir,
    stdio: ["ignore", full, "pipe"],
    encoding: "utf8",
  });
  assert.equal(result.stderr, "msi2imds: stopped: cannot write the output (ENOSPC)\n");
  assert.equal(result.status, 2);
});

test("-f json -o FILE: the report goes to the file whole, a one-line summary to stderr, nothing to stdout", () => {
  const dir = workspace({ "a.ts": "fetch-literal.input.ts", "b.ts": "port-from-environment.review.ts" });
  const result = run(dir, "-f", "json", "-o", "reports/fix.json");
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    "msi2imds: fix: 1 to change, 1 need review, 0 error(s); report written to reports/fix.json\n",
  );
  const report = JSON.parse(readFileSync(join(dir, "reports/fix.json"), "utf8")) as {
    files: { path: string; status: string; review: { ruleId: string; fingerprint: string }[] }[];
  };
  assert.deepEqual(
    report.files.map((f) => [f.path, f.status, f.review.map((r) => r.ruleId)]),
    [
      ["a.ts", "changed", []],
      ["b.ts", "unchanged", ["no-extension-endpoint"]],
    ],
  );
  assert.match(report.files[1]!.review[0]!.fingerprint, /^[0-9a-f]{32}$/);
});

test("a usage error leaves no report file and no temp file behind", () => {
  const dir = workspace({});
  const result = run(dir, "missing.ts", "-o", "fix.json");
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^msi2imds: missing\.ts: no such file or directory\n$/);
  assert.deepEqual(readdirSync(dir), []);
});
