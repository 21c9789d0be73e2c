import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeText, encodeText, readCandidate, type FileStamp } from "../../src/files/text-file.js";
import { writeBackText } from "../../src/files/atomic-write.js";
import { createPrefilter } from "../../src/pipeline/prefilter.js";
import { standaloneNumber } from "../../src/core/patterns.js";

/** Where only the mode matters. */
const stamp = (mode: number): FileStamp => ({ mode, uid: 0, gid: 0, dev: 0, ino: 0, size: 0, mtimeMs: 0 });

test(
  "decodeText keeps CRLF, strips and remembers the BOM, reads UTF-16 behind its BOM, " +
    "rejects binary and invalid text",
  () => {
    const crlfBom = decodeText(Buffer.from("\uFEFFa\r\nb", "utf8"), stamp(0o644));
    assert.ok(crlfBom.ok);
    assert.deepEqual(crlfBom.ok && crlfBom.file, { text: "a\r\nb", bom: true, encoding: "utf-8", stamp: stamp(0o644) });
    assert.deepEqual(decodeText(Buffer.from([0x61, 0x00, 0x62]), stamp(0)), { ok: false, reason: "binary file" });
    assert.deepEqual(decodeText(Buffer.from([0x61, 0xc3, 0x28]), stamp(0)), { ok: false, reason: "invalid UTF-8" });
    assert.deepEqual(
      decodeText(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x61, 0x00]), stamp(0)),
      { ok: false, reason: "invalid UTF-16" },
      "a lone surrogate",
    );
    assert.deepEqual(
      decodeText(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00]), stamp(0)),
      { ok: false, reason: "binary file" },
      "UTF-32LE",
    );
    for (const [encoding, bytes] of [
      ["utf-16le", Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x0d, 0x00, 0x0a, 0x00, 0x3d, 0xd8, 0x00, 0xde])],
      ["utf-16be", Buffer.from([0xfe, 0xff, 0x00, 0x61, 0x00, 0x0d, 0x00, 0x0a, 0xd8, 0x3d, 0xde, 0x00])],
    ] as const) {
      const decoded = decodeText(bytes, stamp(0o600));
      assert.deepEqual(
        decoded.ok && decoded.file,
        { text: "a\r\n\u{1F600}", bom: true, encoding, stamp: stamp(0o600) },
        encoding,
      );
      assert.ok(decoded.ok && encodeText(decoded.file.text, decoded.file).equals(bytes), `${encoding} round trip`);
    }
  },
);

test("writeBackText keeps BOM and mode and leaves no temp file", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-write-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "a.ts");
  writeFileSync(path, "\uFEFFold\r\n");
  chmodSync(path, 0o751);
  const read = readCandidate(path, () => true);
  assert.equal(read.kind, "text");
  if (read.kind !== "text") return;
  assert.equal(writeBackText(path, read.file, "new\r\n"), undefined);
  assert.deepEqual(readFileSync(path), Buffer.from("\uFEFFnew\r\n", "utf8"));
  assert.equal(statSync(path).mode & 0o777, 0o751);
  assert.deepEqual(readdirSync(dir), ["a.ts"]);
});

test("readCandidate: size limit and missing files said in words, text only where the prefilter matches", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-read-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "big.ts"), "x".repeat(2048));
  const big = readCandidate(join(dir, "big.ts"), () => true, 1024);
  assert.deepEqual(big, { kind: "unreadable", reason: "larger than the 1 KiB limit (2 KiB)", tooLarge: true });
  assert.deepEqual(
    readCandidate(join(dir, "nope.ts"), () => true),
    { kind: "unreadable", reason: "no such file or directory" },
  );
  writeFileSync(join(dir, "a.ts"), "port 50342\n");
  writeFileSync(join(dir, "bin.ts"), Buffer.from([0x35, 0x30, 0x33, 0x34, 0x32, 0x00]));
  const prefilter = createPrefilter([new RegExp(standaloneNumber(50342))]);
  assert.deepEqual(readCandidate(join(dir, "big.ts"), prefilter), { kind: "no-match" });
  assert.equal(readCandidate(join(dir, "a.ts"), prefilter).kind, "text");
  assert.deepEqual(readCandidate(join(dir, "bin.ts"), prefilter), { kind: "undecodable", reason: "binary file" });
});

test(
  "readCandidate reads to the end whatever the size, " + "up to the limit and not a byte past it, and keeps the mode",
  (t) => {
    const dir = mkdtempSync(join(tmpdir(), "msi2imds-read-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const needle = "port 50342";
    const prefilter = createPrefilter([new RegExp(standaloneNumber(50342))]);
    const limit = 3 * 1024 * 1024;
    // Past the 1 MiB read buffer, the call at the very end: found only if the whole file was read.
    const cases: [name: string, size: number, expected: string][] = [
      ["empty.ts", 0, "no-match"],
      // Filled by one read that gives all it was asked for: only the next read tells the end.
      ["the-buffer.ts", 1024 * 1024, "text"],
      ["at-limit.ts", limit, "text"],
      ["one-over.ts", limit + 1, "unreadable"],
      ["half.ts", 1536 * 1024, "text"],
    ];
    for (const [name, size, expected] of cases) {
      const content = size === 0 ? "" : `${"x".repeat(size - needle.length)}${needle}`;
      writeFileSync(join(dir, name), content);
      chmodSync(join(dir, name), 0o640);
      const read = readCandidate(join(dir, name), prefilter, limit);
      assert.equal(read.kind, expected, name);
      if (read.kind === "text") {
        assert.ok(read.file.text === content, name);
        assert.equal(read.file.stamp.mode & 0o777, 0o640, name);
      }
      if (read.kind === "unreadable")
        assert.deepEqual(read, {
          kind: "unreadable",
          reason: "larger than the 3.0 MiB limit (3.0 MiB)",
          tooLarge: true,
        });
    }
    // After a large file, a small one is read whole and alone (the buffer is reused).
    writeFileSync(join(dir, "small.ts"), needle);
    const small = readCandidate(join(dir, "small.ts"), prefilter, limit);
    assert.equal(small.kind === "text" && small.file.text, needle);
    // A UTF-16 file is decoded before the prefilter sees it: its mode is kept too.
    writeFileSync(join(dir, "utf16.ps1"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(needle, "utf16le")]));
    chmodSync(join(dir, "utf16.ps1"), 0o600);
    const utf16 = readCandidate(join(dir, "utf16.ps1"), prefilter, limit);
    assert.deepEqual(utf16.kind === "text" && [utf16.file.text, utf16.file.encoding, utf16.file.stamp.mode & 0o777], [
      needle,
      "utf-16le",
      0o600,
    ]);
  },
);

test(
  "readCandidate: a limit below the read buffer holds to the byte; " + "devices and folders are not regular files",
  (t) => {
    const dir = mkdtempSync(join(tmpdir(), "msi2imds-read-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "at-limit.ts"), "x".repeat(100));
    writeFileSync(join(dir, "one-over.ts"), "x".repeat(101));
    assert.deepEqual(
      readCandidate(join(dir, "at-limit.ts"), () => false, 100),
      { kind: "no-match" },
    );
    assert.deepEqual(
      readCandidate(join(dir, "one-over.ts"), () => false, 100),
      { kind: "unreadable", reason: "larger than the 1 KiB limit (1 KiB)", tooLarge: true },
    );
    for (const path of [dir, "/dev/null", "/dev/zero"].filter((p) => existsSync(p))) {
      assert.deepEqual(
        readCandidate(path, () => true, 100),
        { kind: "unreadable", reason: "not a regular file" },
        path,
      );
    }
  },
);

test("readCandidate does not read from a pipe, even one holding data: it is not a regular file", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-read-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pipe = join(dir, "pipe.ts");
  execFileSync("mkfifo", [pipe]);
  // Opened for reading and writing, the pipe neither blocks nor ends; what is written waits in it.
  const fd = openSync(pipe, constants.O_RDWR | constants.O_NONBLOCK);
  t.after(() => closeSync(fd));
  writeSync(fd, "const port = 50342;\n");
  const prefilter = createPrefilter([new RegExp(standaloneNumber(50342))]);
  assert.deepEqual(readCandidate(pipe, prefilter), { kind: "unreadable", reason: "not a regular file" });
  const left = Buffer.alloc(64);
  assert.equal(left.toString("utf8", 0, readSync(fd, left)), "const port = 50342;\n", "the data is still in the pipe");
});

test("the prefilter needs a number to stand alone and ignores case", () => {
  const matches = createPrefilter([new RegExp(standaloneNumber(50342)), /managedidentityextension/i]);
  assert.equal(matches(Buffer.from("port: 50342,")), true);
  assert.equal(matches(Buffer.from("id 50342878 and 150342")), false);
  assert.equal(matches(Buffer.from("type: 'MANAGEDIDENTITYEXTENSIONFORLINUX'")), true);
  assert.equal(createPrefilter([])(Buffer.from("50342")), false);
});
