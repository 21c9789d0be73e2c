import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { EXTENSION_PY, lint, makeRepo, summary, type JsonResult } from "./helpers.js";

// Files lint cannot read are reported as skipped with the reason, and the run goes on.

const DEFAULT_LIMIT = 4 * 1024 * 1024;

function skippedLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("msi2imds: skipped "))
    .map((l) => l.slice("msi2imds: skipped ".length))
    .sort();
}

describe("bad input", () => {
  it("skips binary, oversized, invalid UTF-8 and UTF-16 files with reasons and lints the rest", () => {
    const root = makeRepo({
      "binary.py": Buffer.concat([Buffer.from(EXTENSION_PY), Buffer.from([0, 1, 2, 3])]),
      "huge.py": Buffer.concat([Buffer.from(EXTENSION_PY), Buffer.alloc(DEFAULT_LIMIT, 0x20)]),
      "latin1.py": Buffer.concat([Buffer.from(EXTENSION_PY), Buffer.from([0xe9, 0x0a])]),
      "utf16.ps1": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(EXTENSION_PY, "utf16le")]),
      // Starts like UTF-16 but is not, and holds nothing a rule looks for: passed over, as any such file.
      "data.json": Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x7b, 0x00]),
      "good.py": EXTENSION_PY,
    });
    const run = lint(root, ["--format", "json"]);
    assert.equal(run.status, 1);
    // UTF-16 behind its BOM (Windows PowerShell's default) is read like any text.
    assert.deepEqual(summary(JSON.parse(run.stdout) as JsonResult[]), [
      "good.py:1 no-extension-endpoint-text",
      "utf16.ps1:1 no-extension-endpoint-text",
    ]);
    const skipped = skippedLines(run.stderr);
    assert.equal(skipped.length, 3, run.stderr);
    assert.equal(skipped[0], "binary.py: binary file");
    assert.match(skipped[1]!, /^huge\.py: larger than the 4\.0 MiB limit/);
    assert.equal(skipped[2], "latin1.py: invalid UTF-8");
  });

  it("skips a dangling symlink, a symlink loop and a FIFO named on the command line", () => {
    const root = makeRepo({ "good.py": EXTENSION_PY });
    symlinkSync("missing.py", join(root, "dangling.py"));
    symlinkSync("loop.py", join(root, "loop.py"));
    execFileSync("mkfifo", [join(root, "pipe.py")]);
    const run = lint(root, ["--format", "json", "dangling.py", "loop.py", "pipe.py", "good.py"]);
    assert.equal(run.status, 1);
    assert.deepEqual(summary(JSON.parse(run.stdout) as JsonResult[]), ["good.py:1 no-extension-endpoint-text"]);
    assert.deepEqual(skippedLines(run.stderr), [
      "dangling.py: dangling symbolic link",
      "loop.py: symbolic link loop",
      "pipe.py: not a regular file",
    ]);
  });

  it("walking past symlinks, loops and FIFOs does not hang or fail", () => {
    const root = makeRepo({ "src/good.py": EXTENSION_PY });
    symlinkSync("..", join(root, "src/up"));
    symlinkSync("nowhere.py", join(root, "src/dangling.py"));
    execFileSync("mkfifo", [join(root, "src/pipe.py")]);
    const run = lint(root, ["--format", "json"]);
    assert.equal(run.status, 1);
    assert.deepEqual(summary(JSON.parse(run.stdout) as JsonResult[]), ["src/good.py:1 no-extension-endpoint-text"]);
  });

  it("reads JS that does not parse as text, so that an extension call in it still fails the gate", () => {
    const root = makeRepo({
      "broken.ts":
        `const x = ;\n` +
        `await fetch("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x", ` +
        `{ method: "POST", headers: { Metadata: "true" } });\n` +
        `fetch("http://localhost:50342/oauth2/token?resource=x", {\n`,
    });
    const run = lint(root, ["--format", "json"]);
    assert.equal(run.status, 1);
    assert.deepEqual(summary(JSON.parse(run.stdout) as JsonResult[]), [
      "broken.ts:2 imds-request-shape",
      "broken.ts:3 no-extension-endpoint-text",
    ]);
    assert.match(
      skippedLines(run.stderr)[0]!,
      /^broken\.ts: JavaScript\/TypeScript does not parse \(\d+ syntax error\(s\)\); read as plain text by the text rules$/,
    );
    // A comment is still a comment when the file is read as text, and a directive covers what it names once.
    const commented = makeRepo({
      "old.js": `const x = {;\n// was fetch("http://localhost:50342/oauth2/token")\n`,
      "draft.js":
        `const x = {;\n// msi2imds-disable-next-line no-extension-endpoint-text -- a draft\n` +
        `fetch("http://localhost:50342/oauth2/token?resource=x", { headers: { Metadata: "true" } });\n`,
    });
    const quiet = lint(commented, ["--format", "json", "--max-warnings", "0"]);
    assert.equal(quiet.status, 0, quiet.stdout);
    assert.deepEqual(summary(JSON.parse(quiet.stdout) as JsonResult[]), []);
  });

  it("a file no enabled rule reads, named on the command line, is skipped with a reason", () => {
    const root = makeRepo({
      "notes.txt": "http://localhost:50342/oauth2/token\n",
      "msi2imds.config.json": JSON.stringify({
        rules: { "no-extension-endpoint-text": "off", "no-legacy-msi-sdk": "off", "no-extension-deployment": "off" },
      }),
    });
    const run = lint(root, ["notes.txt"]);
    assert.equal(run.status, 0);
    assert.deepEqual(skippedLines(run.stderr), ["notes.txt: no rule reads this kind of file"]);
  });
});
