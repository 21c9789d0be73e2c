import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { writeBackText } from "../../src/files/atomic-write.js";
import { readCandidate, type TextFile } from "../../src/files/text-file.js";

// The one write path never clobbers: a file that is no longer the one read (edited, replaced, turned into
// a link) is refused and reported; owner, group and mode are kept; no temp file outlives the run. Races are
// made to happen at a known point: between the read and the write, or inside the write through its
// `refuse` hook, which runs after the target is resolved and before the temp file is written and renamed.

function workspace(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-atomic-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function read(path: string): TextFile {
  const candidate = readCandidate(path, () => true);
  assert.equal(candidate.kind, "text");
  return (candidate as { file: TextFile }).file;
}

describe("writeBackText refuses a file that is no longer the one read", () => {
  it("an edit between read and write is kept, and the refusal says so", (t) => {
    const path = join(workspace(t), "a.js");
    writeFileSync(path, "old\n");
    const original = read(path);
    writeFileSync(path, "user's edit, longer\n");
    assert.match(writeBackText(path, original, "fixed\n") ?? "", /^was changed since it was read/);
    assert.equal(readFileSync(path, "utf8"), "user's edit, longer\n");
  });

  it("an edit of the same size and modification time is told by its content", (t) => {
    const path = join(workspace(t), "a.js");
    writeFileSync(path, "old\n");
    const { mtime } = statSync(path);
    const original = read(path);
    const edit = () => {
      writeFileSync(path, "new\n");
      utimesSync(path, mtime, mtime);
      return undefined;
    };
    assert.match(writeBackText(path, original, "fixed\n", edit) ?? "", /was changed since it was read/);
    assert.equal(readFileSync(path, "utf8"), "new\n");
  });

  it("a file replaced by another (git checkout, an editor's save by rename) is refused", (t) => {
    const dir = workspace(t);
    const path = join(dir, "a.js");
    writeFileSync(path, "old\n");
    const original = read(path);
    const replace = () => {
      writeFileSync(join(dir, "saved"), "old\n");
      renameSync(join(dir, "saved"), path);
      return undefined;
    };
    assert.match(writeBackText(path, original, "fixed\n", replace) ?? "", /was replaced by another file/);
    assert.equal(readFileSync(path, "utf8"), "old\n");
  });

  it("a file replaced by a symbolic link leaves the link's target alone, before or during the write", (t) => {
    const dir = workspace(t);
    const outside = join(dir, "outside.conf");
    writeFileSync(outside, "not JavaScript\n");
    for (const when of ["before", "during"] as const) {
      const path = join(dir, `${when}.js`);
      writeFileSync(path, "old\n");
      const original = read(path);
      const swap = () => {
        unlinkSync(path);
        symlinkSync(outside, path);
        return undefined;
      };
      if (when === "before") swap();
      const refusal = writeBackText(path, original, "fixed\n", when === "during" ? swap : undefined);
      assert.match(refusal ?? "", /replaced by (a symbolic link|another file) since it was read/, when);
      assert.equal(readFileSync(outside, "utf8"), "not JavaScript\n", when);
      assert.ok(lstatSync(path).isSymbolicLink(), when);
    }
    assert.deepEqual(readdirSync(dir).sort(), ["before.js", "during.js", "outside.conf"], "no temp file left");
  });

  it("a file deleted before the write stays deleted", (t) => {
    const path = join(workspace(t), "a.js");
    writeFileSync(path, "old\n");
    const original = read(path);
    const remove = () => {
      unlinkSync(path);
      return undefined;
    };
    assert.match(writeBackText(path, original, "fixed\n", remove) ?? "", /was deleted since it was read/);
    assert.throws(() => statSync(path), /ENOENT/);
  });
});

describe("writeBackText keeps what the file was", () => {
  it("owner and group of another user's file, and its mode, when run as root", {
    skip: process.getuid?.() !== 0 && "needs root",
  }, (t) => {
    const path = join(workspace(t), "a.js");
    writeFileSync(path, "old\n");
    chownSync(path, 4321, 4322);
    chmodSync(path, 0o640);
    assert.equal(writeBackText(path, read(path), "fixed\n"), undefined);
    const after = statSync(path);
    assert.deepEqual([after.uid, after.gid, after.mode & 0o7777], [4321, 4322, 0o640]);
    assert.equal(readFileSync(path, "utf8"), "fixed\n");
  });
});

describe("temp files", () => {
  it("are named for msi2imds and this process; stale ones of processes that are gone are removed", (t) => {
    const dir = workspace(t);
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    const alive = process.ppid;
    const stale = `.b.js.msi2imds-${gone}.tmp`;
    const othersInUse = `.c.js.msi2imds-${alive}.tmp`;
    const notOurs = `.d.js.${gone}.tmp`;
    for (const name of [stale, othersInUse, notOurs]) writeFileSync(join(dir, name), "");
    const path = join(dir, "a.js");
    writeFileSync(path, "old\n");
    const seen: string[] = [];
    const look = () => {
      seen.push(...readdirSync(dir).filter((n) => n.startsWith(".a.js")));
      return undefined;
    };
    assert.equal(writeBackText(path, read(path), "fixed\n", look), undefined);
    assert.deepEqual(readdirSync(dir).sort(), [othersInUse, notOurs, "a.js"].sort());
    assert.deepEqual(seen, [], "the hook runs before the temp file exists");
  });

  it("are removed when the process is stopped by SIGINT or SIGTERM, which still ends it", async (t) => {
    const dir = workspace(t);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const target = join(dir, `${signal}.json`);
      const script = `
        const { removeTempFilesOnSignals } = await import(${JSON.stringify(moduleUrl("cli/signals.ts"))});
        const { AtomicFile } = await import(${JSON.stringify(moduleUrl("files/atomic-write.ts"))});
        removeTempFilesOnSignals();
        const file = new AtomicFile(${JSON.stringify(target)}, { mode: 0o644 });
        file.write("half a report");
        process.stdout.write("ready\\n");
        setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      assert.deepEqual(readdirSync(dir), [`.${signal}.json.msi2imds-${child.pid}.tmp`], "the temp file is there");
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, how) => resolve(how)));
      child.kill(signal);
      assert.equal(await ended, signal);
      assert.deepEqual(readdirSync(dir), [], `no temp file after ${signal}`);
    }
  });
});

function moduleUrl(path: string): string {
  return new URL(`../../src/${path}`, import.meta.url).href;
}
