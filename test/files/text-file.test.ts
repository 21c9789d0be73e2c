import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeText, readTextFile } from "../../src/files/text-file.js";
import { writeTextFileAtomic } from "../../src/files/atomic-write.js";
import { createPrefilter, standaloneNumber } from "../../src/files/prefilter.js";

test("decodeText keeps CRLF, strips and remembers the BOM, rejects binary, UTF-16 and invalid UTF-8", () => {
  const crlfBom = decodeText(Buffer.from("\uFEFFa\r\nb", "utf8"), 0o644);
  assert.ok(crlfBom.ok);
  assert.deepEqual(crlfBom.ok && crlfBom.file, { text: "a\r\nb", bom: true, eol: "\r\n", mode: 0o644 });
  assert.deepEqual(decodeText(Buffer.from([0x61, 0x00, 0x62]), 0), { ok: false, reason: "binary file" });
  assert.deepEqual(decodeText(Buffer.from([0xff, 0xfe, 0x61, 0x00]), 0), { ok: false, reason: "UTF-16 text is not supported" });
  assert.deepEqual(decodeText(Buffer.from([0x61, 0xc3, 0x28]), 0), { ok: false, reason: "invalid UTF-8" });
});

test("writeTextFileAtomic keeps BOM and mode and leaves no temp file", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-write-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "a.ts");
  writeFileSync(path, "\uFEFFold\r\n");
  chmodSync(path, 0o751);
  const read = readTextFile(path);
  assert.ok(read.ok);
  if (!read.ok) return;
  writeTextFileAtomic(path, read.file, "new\r\n");
  assert.deepEqual(readFileSync(path), Buffer.from("\uFEFFnew\r\n", "utf8"));
  assert.equal(statSync(path).mode & 0o777, 0o751);
  assert.deepEqual(readdirSync(dir), ["a.ts"]);
});

test("readTextFile reports size limit and missing files", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-read-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "big.ts"), "x".repeat(2048));
  const big = readTextFile(join(dir, "big.ts"), 1024);
  assert.equal(big.ok, false);
  assert.match(!big.ok ? big.reason : "", /larger than the 1 KiB limit/);
  assert.deepEqual(readTextFile(join(dir, "nope.ts")), { ok: false, reason: "no such file or directory" });
});

test("the prefilter needs a number to stand alone and ignores case", () => {
  const matches = createPrefilter([new RegExp(standaloneNumber(50342)), /managedidentityextension/i]);
  assert.equal(matches(Buffer.from("port: 50342,")), true);
  assert.equal(matches(Buffer.from("id 50342878 and 150342")), false);
  assert.equal(matches(Buffer.from("type: 'MANAGEDIDENTITYEXTENSIONFORLINUX'")), true);
  assert.equal(createPrefilter([])(Buffer.from("50342")), false);
});

