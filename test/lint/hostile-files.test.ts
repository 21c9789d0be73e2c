import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lstatSync, readFileSync, readlinkSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { EXTENSION_PY, lint, makeRepo, summary, type JsonResult } from "./helpers.js";

// Files lint reads or writes on its own that are not what they seem (git can commit a symbolic link to
// /dev/zero; a FIFO can sit where a config is looked for): refused at once with the reason, never read
// without end, never replaced by a regular file.

/** A spawned lint that reads without end is stopped here rather than by the machine. */
const BOUNDED = { timeout: 20_000 };

describe("lint refuses files it reads on its own that are not small regular files", () => {
  it("a config or baseline that links to /dev/zero, or a config that is a FIFO, fails at once with exit 2", () => {
    const zero = makeRepo({ "a.py": EXTENSION_PY });
    symlinkSync("/dev/zero", join(zero, "msi2imds.config.json"));
    const run = lint(zero, [], {}, BOUNDED);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /cannot read config .*msi2imds\.config\.json: not a regular file \(a character device\)/);

    const fifo = makeRepo({ "a.py": EXTENSION_PY });
    execFileSync("mkfifo", [join(fifo, "msi2imds.config.json")]);
    const blocked = lint(fifo, [], {}, BOUNDED);
    assert.equal(blocked.status, 2, blocked.stderr);
    assert.match(blocked.stderr, /not a regular file \(a FIFO\)/);

    const baseline = makeRepo({ "a.py": EXTENSION_PY });
    symlinkSync("/dev/zero", join(baseline, "baseline.json"));
    const endless = lint(baseline, ["--baseline", "baseline.json"], {}, BOUNDED);
    assert.equal(endless.status, 2, endless.stderr);
    assert.match(endless.stderr, /cannot read baseline .*baseline\.json: not a regular file \(a character device\)/);
  });

  it("a config over 1 MiB is refused before it is read", () => {
    const root = makeRepo({
      "a.py": EXTENSION_PY,
      "msi2imds.config.json": `{"ignore":[${'"x",'.repeat(300_000)}"y"]}`,
    });
    const run = lint(root, []);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /cannot read config .*: larger than the 1\.0 MiB limit \(1\.1 MiB\)/);
  });

  it("a .gitignore above the folder linted that links to /dev/zero is passed over; the lint completes", () => {
    const root = makeRepo({ "sub/a.py": EXTENSION_PY });
    symlinkSync("/dev/zero", join(root, ".gitignore"));
    execFileSync("mkfifo", [join(root, "sub/.gitignore")]);
    const run = lint(join(root, "sub"), ["--format", "json"], {}, BOUNDED);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(summary(JSON.parse(run.stdout) as JsonResult[]), ["a.py:1 no-extension-endpoint-text"]);
  });
});

describe("--update-baseline never replaces a link or a device with a file", () => {
  it("a symbolic link is written through and stays a link", () => {
    const root = makeRepo({ "a.py": EXTENSION_PY, "kept/real.json": "{}\n" });
    symlinkSync("kept/real.json", join(root, "baseline.json"));
    const run = lint(root, ["--update-baseline", "--baseline", "baseline.json"]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readlinkSync(join(root, "baseline.json")), "kept/real.json");
    assert.match(readFileSync(join(root, "kept/real.json"), "utf8"), /"a\.py"/);
  });

  it("a device is written to and stays a device", { skip: process.getuid?.() !== 0 && "mknod needs root" }, () => {
    const root = makeRepo({ "a.py": EXTENSION_PY });
    const device = join(root, "null");
    execFileSync("mknod", [device, "c", "1", "3"]);
    const run = lint(root, ["--update-baseline", "--baseline", "null"]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(statSync(device).isCharacterDevice());
  });

  it("a dangling link is refused with exit 2 and left as it is", () => {
    const root = makeRepo({ "a.py": EXTENSION_PY });
    symlinkSync("nowhere/baseline.json", join(root, "baseline.json"));
    const run = lint(root, ["--update-baseline", "--baseline", "baseline.json"]);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /cannot write baseline .*baseline\.json: dangling symbolic link; not replaced by a file/);
    assert.ok(lstatSync(join(root, "baseline.json")).isSymbolicLink());
  });

  it("-o to a dangling link sends the report to stdout and leaves the link", () => {
    const root = makeRepo({ "a.py": EXTENSION_PY });
    symlinkSync("nowhere/report.json", join(root, "report.json"));
    const run = lint(root, ["--format", "json", "-o", "report.json"]);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /cannot write report\.json: dangling symbolic link; not replaced by a file/);
    assert.match(run.stdout, /no-extension-endpoint-text/);
    assert.ok(lstatSync(join(root, "report.json")).isSymbolicLink());
  });
});
