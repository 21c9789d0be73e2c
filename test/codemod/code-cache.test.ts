import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { Worker } from "node:worker_threads";
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

// The cache is written when a process exits (a worker thread's exit counts: process "exit" fires there too),
// so each load runs on a worker thread of its own, on the build (`npm test` builds first) as the CLI loads it:
// a fresh isolate costs far less than a Node process. The first test loads in two processes, as the CLI does.
const loader = new URL("../../dist/src/codemod/code-cache.js", import.meta.url).href;

type Run = { outcome: string; value: unknown; same: boolean };

async function load(
  file: string,
  cacheDir: string | undefined,
  within: (code: string) => Run | Promise<Run> = onWorker,
): Promise<Omit<Run, "same">> {
  const { same, ...result } = await within(script(file, cacheDir));
  assert.equal(same, true, "a later require returns the same module");
  return result;
}

function script(file: string, cacheDir: string | undefined): string {
  return `import { requireWithCodeCache } from ${JSON.stringify(loader)};
    const { exports, outcome } = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
    const again = (await import("node:module")).createRequire(${JSON.stringify(file)})(${JSON.stringify(file)});
    console.log(JSON.stringify({ outcome, value: exports.describe(20, 22), same: again === exports }));`;
}

async function onWorker(code: string): Promise<Run> {
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
    execArgv: [],
    stdout: true,
  });
  let stdout = "";
  worker.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const [status] = (await once(worker, "exit")) as [number];
  await finished(worker.stdout);
  assert.equal(status, 0);
  return JSON.parse(stdout) as Run;
}

function inProcess(code: string): Run {
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as Run;
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

test("the first load compiles and leaves a cache, the second reads it back", async (t) => {
  const { file, cache } = fixture(t);
  assert.deepEqual(await load(file, cache, inProcess), { outcome: "miss", value: EXPECTED });
  assert.equal(readdirSync(cache).length, 1);
  assert.deepEqual(await load(file, cache, inProcess), { outcome: "hit", value: EXPECTED });
});

test("a damaged cache file is ignored and replaced", async (t) => {
  const { file, cache } = fixture(t);
  await load(file, cache);
  const cacheFile = join(cache, readdirSync(cache)[0]!);
  const bytes = readFileSync(cacheFile);
  bytes[bytes.length - 1]! ^= 0xff;
  writeFileSync(cacheFile, bytes);
  assert.deepEqual(await load(file, cache), { outcome: "miss", value: EXPECTED });
  assert.deepEqual(await load(file, cache), { outcome: "hit", value: EXPECTED });
});

test("a cache V8 refuses (intact file, foreign content) is reported as rejected and replaced", async (t) => {
  const { file, cache } = fixture(t);
  await load(file, cache);
  const cacheFile = join(cache, readdirSync(cache)[0]!);
  const payload = Buffer.from("not code V8 ever made".repeat(10));
  writeFileSync(cacheFile, Buffer.concat([createHash("sha256").update(payload).digest(), payload]));
  assert.deepEqual(await load(file, cache), { outcome: "rejected", value: EXPECTED });
  assert.deepEqual(await load(file, cache), { outcome: "hit", value: EXPECTED });
});

test("a changed bundle gets a cache of its own, even at the same length (all V8 checks)", async (t) => {
  const { file, cache } = fixture(t);
  await load(file, cache);
  const changed = readFileSync(file, "utf8").replace("sum: a + b", "sum: b + a");
  writeFileSync(file, changed);
  assert.deepEqual(await load(file, cache), { outcome: "miss", value: EXPECTED });
  assert.equal(readdirSync(cache).length, 2);
});

test("only the newest few caches of one bundle are kept", async (t) => {
  const { file, cache } = fixture(t);
  const source = readFileSync(file, "utf8");
  for (let version = 1; version <= 5; version++) {
    writeFileSync(file, `${source}// version ${version}\n`);
    assert.equal((await load(file, cache)).outcome, "miss");
  }
  assert.equal(readdirSync(cache).filter((name) => name.startsWith("bundle.cjs-")).length, 3);
  assert.equal((await load(file, cache)).outcome, "hit", "the newest is one of them");
});

test("a cache in use survives pruning: a hit counts as a use", async (t) => {
  const { file, cache } = fixture(t);
  const source = readFileSync(file, "utf8");
  await load(file, cache);
  const daily = readdirSync(cache)[0]!;
  const past = new Date(Date.now() - 60_000);
  for (let version = 1; version <= 3; version++) {
    writeFileSync(file, `${source}// version ${version}\n`);
    await load(file, cache);
    // The first bundle's cache is made the oldest written: only its use can keep it.
    for (const name of readdirSync(cache)) utimesSync(join(cache, name), past, past);
    utimesSync(join(cache, daily), new Date(past.getTime() - 60_000), new Date(past.getTime() - 60_000));
    writeFileSync(file, source);
    assert.equal(
      (await load(file, cache)).outcome,
      "hit",
      `the first bundle's cache is still there after ${version} other(s)`,
    );
  }
  assert.ok(readdirSync(cache).includes(daily));
});

test("a cache folder reached through a symbolic link is used", async (t) => {
  const { dir, file, cache } = fixture(t);
  mkdirSync(cache, { mode: 0o700 });
  const link = join(dir, "linked-cache");
  symlinkSync(cache, link);
  assert.equal((await load(file, link)).outcome, "miss");
  assert.equal((await load(file, link)).outcome, "hit");
});

test("a cache folder or file others can write to is never read", async (t) => {
  const { file, cache } = fixture(t);
  await load(file, cache);
  const cacheFile = join(cache, readdirSync(cache)[0]!);
  chmodSync(cacheFile, 0o666);
  assert.deepEqual(await load(file, cache), { outcome: "miss", value: EXPECTED });
  assert.equal(statSync(join(cache, readdirSync(cache)[0]!)).mode & 0o777, 0o600, "replaced by a private file");
  assert.deepEqual(await load(file, cache), { outcome: "hit", value: EXPECTED });
  chmodSync(cache, 0o777);
  assert.deepEqual(await load(file, cache), { outcome: "untrusted", value: EXPECTED });
  chmodSync(cache, 0o700);
  assert.deepEqual(await load(file, cache), { outcome: "hit", value: EXPECTED });
});

test("no cache folder, or one that cannot be written, only costs the time", async (t) => {
  const { dir, file } = fixture(t);
  assert.deepEqual(await load(file, undefined), { outcome: "off", value: EXPECTED });
  const blocked = join(dir, "blocked");
  writeFileSync(blocked, "a file where the cache folder would go");
  assert.deepEqual(await load(file, join(blocked, "cache")), { outcome: "off", value: EXPECTED });
});

test("MSI2IMDS_CACHE_DIR chooses the folder; empty turns the cache off", () => {
  assert.equal(defaultCacheDir({ MSI2IMDS_CACHE_DIR: "/x/y" }), "/x/y");
  assert.equal(defaultCacheDir({ MSI2IMDS_CACHE_DIR: "" }), undefined);
  if (process.platform !== "win32") assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "/c" }), join("/c", "msi2imds"));
});

test("TypeScript's cache is still accepted after a run that also parsed a script", (t) => {
  // A grammar's load sets a V8 flag for the process, and V8 refuses a cache made under other flags. A cache
  // that is refused is replaced (a new file by rename); one that is accepted is only touched.
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-code-cache-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dist = (path: string) => JSON.stringify(new URL(`../../dist/src/${path}`, import.meta.url).href);
  const code = `const { ts } = await import(${dist("codemod/ts.js")});
    const { loadParser } = await import(${dist("syntax/index.js")});
    const parse = await loadParser("python");
    console.log(ts.version.length > 0 && parse("x = 1  # old\\n").nodes.some((node) => node.kind === "comment"));`;
  const inode = () => {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
      encoding: "utf8",
      env: { ...process.env, MSI2IMDS_CACHE_DIR: dir },
    });
    assert.equal(child.stdout.trim(), "true", child.stderr);
    const caches = readdirSync(dir).filter((name) => name.startsWith("typescript.js-"));
    assert.equal(caches.length, 1);
    return statSync(join(dir, caches[0]!)).ino;
  };
  const written = inode();
  assert.equal(inode(), written, "the second run read the first run's cache");
});
