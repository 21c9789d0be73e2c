import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readScanReport } from "../../src/remove/source.js";
import { describeFsError, readSmallTextFile } from "../../src/files/text-file.js";

// The files msi2imds reads on its own are read through one bounded reader: a FIFO or device is refused at
// once (a FIFO with no writer would block an ordinary read forever; /dev/zero never ends), and a file over
// the limit is refused before it is read.

function workspace(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-small-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    return describeFsError(error);
  }
  return "read";
}

describe("readSmallTextFile", () => {
  it("reads a regular file, through a link too", (t) => {
    const dir = workspace(t);
    writeFileSync(join(dir, "a.json"), "{}\n");
    symlinkSync("a.json", join(dir, "link.json"));
    assert.equal(readSmallTextFile(join(dir, "link.json"), 16), "{}\n");
  });

  it("refuses a FIFO, a device behind a link and a folder at once, and a file over the limit", (t) => {
    const dir = workspace(t);
    execFileSync("mkfifo", [join(dir, "fifo")]);
    symlinkSync("/dev/zero", join(dir, "zero"));
    writeFileSync(join(dir, "big"), "x".repeat(2048));
    assert.equal(
      refusal(() => readSmallTextFile(join(dir, "fifo"), 1024)),
      "not a regular file (a FIFO)",
    );
    assert.equal(
      refusal(() => readSmallTextFile(join(dir, "zero"), 1024)),
      "not a regular file (a character device)",
    );
    assert.equal(
      refusal(() => readSmallTextFile(dir, 1024)),
      "not a regular file (a directory)",
    );
    assert.equal(
      refusal(() => readSmallTextFile(join(dir, "big"), 1024)),
      "larger than the 1 KiB limit (2 KiB)",
    );
    assert.equal(
      refusal(() => readSmallTextFile(join(dir, "none"), 1024)),
      "no such file or directory",
    );
  });

  it("a scan report for remove --from that is a FIFO is a usage error, not a hang", (t) => {
    const fifo = join(workspace(t), "report.json");
    execFileSync("mkfifo", [fifo]);
    assert.throws(() => readScanReport(fifo), /cannot read the scan report .*: not a regular file \(a FIFO\)/);
  });
});
