import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openOutput } from "../../src/cli/emit.js";

// The one emit path: a report reaches its file whole or not at all, and never replaces what the user
// pointed -o at with something else (a link, a FIFO).

const dir = mkdtempSync(join(tmpdir(), "msi2imds-emit-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("openOutput", () => {
  it("creates parent folders and puts the report in place only at close", () => {
    const target = join(dir, "a/b/report.json");
    const out = openOutput(target);
    out.write('{"half":');
    assert.throws(() => statSync(target), /ENOENT/, "nothing at the target before close");
    out.write("1}\n");
    assert.equal(out.close(), "written");
    assert.equal(readFileSync(target, "utf8"), '{"half":1}\n');
    assert.deepEqual(readdirSync(join(dir, "a/b")), ["report.json"], "no temp file left");
  });

  it("a run that fails before the end leaves the old report and no temp file", () => {
    const target = join(dir, "kept.json");
    writeFileSync(target, "old\n");
    const out = openOutput(target);
    out.write("new, half");
    out.abort();
    assert.equal(readFileSync(target, "utf8"), "old\n");
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes("kept")),
      ["kept.json"],
    );
  });

  it("a symbolic link is written through: the link stays, its target gets the report", () => {
    const real = join(dir, "real.sarif");
    const link = join(dir, "link.sarif");
    writeFileSync(real, "old\n", { mode: 0o640 });
    symlinkSync(real, link);
    const out = openOutput(link);
    out.write("new\n");
    assert.equal(out.close(), "written");
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), real);
    assert.equal(readFileSync(real, "utf8"), "new\n");
    assert.equal(statSync(real).mode & 0o777, 0o640, "the target keeps its mode");
  });

  it("a FIFO is written to, not replaced by a file", async () => {
    const fifo = join(dir, "pipe");
    spawnSync("mkfifo", [fifo]);
    const reader = spawn("cat", [fifo]);
    let read = "";
    reader.stdout.on("data", (chunk: Buffer) => {
      read += chunk.toString();
    });
    const done = new Promise((resolve) => reader.on("close", resolve));
    const out = openOutput(fifo);
    out.write("through the pipe\n");
    assert.equal(out.close(), "written");
    await done;
    assert.equal(read, "through the pipe\n");
    assert.ok(lstatSync(fifo).isFIFO(), "still a FIFO");
  });

  it("a path that cannot be a file falls back to stdout, said once", () => {
    writeFileSync(join(dir, "plain"), "");
    const script = `
      const { openOutput } = await import(${JSON.stringify(new URL("../../src/cli/emit.ts", import.meta.url).href)});
      const out = openOutput(${JSON.stringify(join(dir, "plain/report.json"))});
      out.write("the report\\n");
      process.exitCode = out.close() === "fallback" ? 0 : 1;`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, "the report\n");
    assert.match(
      child.stderr,
      /^msi2imds: cannot write .*plain\/report\.json: not a directory; the report follows on stdout\n$/,
    );
  });
});
