import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultCacheDir } from "../../src/codemod/code-cache.js";

// The cache is written when a process exits, so each load runs in a process of its own: plain Node on the
// build (`npm test` builds first), as the CLI loads it, without paying for tsx in each of some thirty children.
const loader = new URL("../../dist/src/codemod/code-cache.js", import.meta.url).href;

function load(file: string, cacheDir: string | undefined): { outcome: string; value: unknown } {
  const { same, ...result } = run(file, cacheDir);
  assert.equal(same, true, "a later require returns the same module");
  return result;
}

function run(file: string, cacheDir: string | undefined): { outcome: string; value: unknown; same: boolean } {
  const script = `import { requireWithCodeCache } from ${JSON.stringify(loader)};
    const { exports, outcome } = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
    const again = (await import("node:module")).createRequire(${JSON.stringify(file)})(${JSON.stringify(file)});
    console.log(JSON.stringify({ outcome, value: exports.describe(20, 22), same: again === exports }));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { outcome: string; value: unknown; same: boolean };
}

function fixture(t: { after: (fn: () => void) => void }): { dir: string; file: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-code-cache-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "bundle.cjs");
  // require, module and __filename must be the CommonJS ones.
  writeFileSync(
    file,
    `const { basename } = require("node:path");
module.exports.describe = (a, b) => ({ sum: a + b, file: basename(__filename), self: module.exports === exports });\n`,
  );
  return { dir, file, cache: join(dir, "cache") };
}

const EXPECTED = { sum: 42, file: "bundle.cjs", self: true };

test("the first load compiles and leaves a cache, the second reads it back", (t) => {
  const { file, cache } = fixture(t);
  assert.deepEqual(load(file, cache), { outcome: "miss", value: EXPECTED });
  assert.equal(readdirSync(cache).length, 1);
  assert.deepEqual(load(file, cache), { outcome: "hit", value: EXPECTED });
});

test("a damaged cache file is ignored and replaced", (t) => {
  const { file, cache } = fixture(t);
  load(file, cache);
  const cacheFile = join(cache, readdirSync(cache)[0]!);
  const bytes = readFileSync(cacheFile);
  bytes[bytes.length - 1]! ^= 0xff;
  writeFileSync(cacheFile, bytes);
  assert.deepEqual(load(file, cache), { outcome: "miss", value: EXPECTED });
  assert.deepEqual(load(file, cache), { outcome: "hit", value: EXPECTED });
});

test("a cache V8 refuses (intact file, foreign content) is reported as rejected and replaced", (t) => {
  const { file, cache } = fixture(t);
  load(file, cache);
  const cacheFile = join(cache, readdirSync(cache)[0]!);
  const payload = Buffer.from("not code V8 ever made".repeat(10));
  writeFileSync(cacheFile, Buffer.concat([createHash("sha256").update(payload).digest(), payload]));
  assert.deepEqual(load(file, cache), { outcome: "rejected", value: EXPECTED });
  assert.deepEqual(load(file, cache), { outcome: "hit", value: EXPECTED });
});

test("a changed bundle gets a cache of its own, even at the same length (all V8 checks)", (t) => {
  const { file, cache } = fixture(t);
  load(file, cache);
  const changed = readFileSync(file, "utf8").replace("sum: a + b", "sum: b + a");
  writeFileSync(file, changed);
  assert.deepEqual(load(file, cache), { outcome: "miss", value: EXPECTED });
  assert.equal(readdirSync(cache).length, 2);
});

test("only the newest few caches of one bundle are kept", (t) => {
  const { file, cache } = fixture(t);
  const source = readFileSync(file, "utf8");
  for (let version = 1; version <= 5; version++) {
    writeFileSync(file, `${source}// version ${version}\n`);
    assert.equal(load(file, cache).outcome, "miss");
  }
  assert.equal(readdirSync(cache).filter((name) => name.startsWith("bundle.cjs-")).length, 3);
  assert.equal(load(file, cache).outcome, "hit", "the newest is one of them");
});

test("a cache in use survives pruning: a hit counts as a use", (t) => {
  const { file, cache } = fixture(t);
  const source = readFileSync(file, "utf8");
  load(file, cache);
  const daily = readdirSync(cache)[0]!;
  const past = new Date(Date.now() - 60_000);
  for (let version = 1; version <= 3; version++) {
    writeFileSync(file, `${source}// version ${version}\n`);
    load(file, cache);
    // The first bundle's cache is made the oldest written: only its use can keep it.
    for (const name of readdirSync(cache)) utimesSync(join(cache, name), past, past);
    utimesSync(join(cache, daily), new Date(past.getTime() - 60_000), new Date(past.getTime() - 60_000));
    writeFileSync(file, source);
    assert.equal(load(file, cache).outcome, "hit", `the first bundle's cache is still there after ${version} other(s)`);
  }
  assert.ok(readdirSync(cache).includes(daily));
});

test("a cache folder reached through a symbolic link is used", (t) => {
  const { dir, file, cache } = fixture(t);
  mkdirSync(cache, { mode: 0o700 });
  const link = join(dir, "linked-cache");
  symlinkSync(cache, link);
  assert.equal(load(file, link).outcome, "miss");
  assert.equal(load(file, link).outcome, "hit");
});

test("a cache folder or file others can write to is never read", (t) => {
  const { file, cache } = fixture(t);
  load(file, cache);
  const cacheFile = join(cache, readdirSync(cache)[0]!);
  chmodSync(cacheFile, 0o666);
  assert.deepEqual(load(file, cache), { outcome: "miss", value: EXPECTED });
  assert.equal(statSync(join(cache, readdirSync(cache)[0]!)).mode & 0o777, 0o600, "replaced by a private file");
  assert.deepEqual(load(file, cache), { outcome: "hit", value: EXPECTED });
  chmodSync(cache, 0o777);
  assert.deepEqual(load(file, cache), { outcome: "untrusted", value: EXPECTED });
  chmodSync(cache, 0o700);
  assert.deepEqual(load(file, cache), { outcome: "hit", value: EXPECTED });
});

test("no cache folder, or one that cannot be written, only costs the time", (t) => {
  const { dir, file } = fixture(t);
  assert.deepEqual(load(file, undefined), { outcome: "off", value: EXPECTED });
  const blocked = join(dir, "blocked");
  writeFileSync(blocked, "a file where the cache folder would go");
  assert.deepEqual(load(file, join(blocked, "cache")), { outcome: "off", value: EXPECTED });
});

test("MSI2IMDS_CACHE_DIR chooses the folder; empty turns the cache off", () => {
  assert.equal(defaultCacheDir({ MSI2IMDS_CACHE_DIR: "/x/y" }), "/x/y");
  assert.equal(defaultCacheDir({ MSI2IMDS_CACHE_DIR: "" }), undefined);
  if (process.platform !== "win32") assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "/c" }), join("/c", "msi2imds"));
});
