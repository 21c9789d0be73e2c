#!/usr/bin/env node
// The floor for any Node tool: start Node, walk the tree, read every file, Buffer.indexOf one needle and
// list the files that hold it (what `rg -l` does). No parsing, no rules, no output but paths. It reads as
// msi2imds does, the cheapest way found: into one reused buffer, until a read returns less than asked, with
// no fstat. It skips the folders msi2imds never walks and any it cannot read, as the tools it is compared
// with do. `node-floor.mjs NEEDLE 2`: the main thread walks and hands every other batch of 128 files to one
// worker thread, as msi2imds's screening does (the worker's own start included).
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const SKIPPED = new Set(["node_modules", ".git", "dist"]);
const BATCH = 128;
const needle = Buffer.from(isMainThread ? (process.argv[2] ?? "50342") : workerData.needle);
let buffer = Buffer.allocUnsafe(1 << 20);

const read = (path) => {
  const fd = openSync(path, "r");
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const wanted = buffer.length - length;
      const n = readSync(fd, buffer, length, wanted, length);
      length += n;
      if (n < wanted) return buffer.subarray(0, length);
    }
  } finally {
    closeSync(fd);
  }
};

const holding = (paths) =>
  paths.filter((path) => {
    try {
      return read(path).includes(needle);
    } catch {
      return false; // unreadable: skipped, as rg does
    }
  });

const walk = (dir, onFile) => {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = dir === "." ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) walk(path, onFile);
    } else if (entry.isFile()) onFile(path);
  }
};

if (!isMainThread) {
  parentPort.on("message", (paths) => parentPort.postMessage(holding(paths)));
} else if (process.argv[3] === "2") {
  const worker = new Worker(new URL(import.meta.url), { workerData: { needle: needle.toString() } });
  const found = [];
  let batch = [];
  let turn = 0;
  let pending = 0;
  const handOn = () => {
    if (turn++ % 2 === 0) {
      pending++;
      worker.postMessage(batch);
    } else found.push(...holding(batch));
    batch = [];
  };
  walk(".", (path) => {
    batch.push(path);
    if (batch.length === BATCH) handOn();
  });
  if (batch.length > 0) handOn();
  const done = () => {
    process.stdout.write(found.map((path) => `${path}\n`).join(""));
    worker.terminate();
  };
  if (pending === 0) done();
  worker.on("message", (paths) => {
    found.push(...paths);
    if (--pending === 0) done();
  });
} else {
  const found = [];
  walk(".", (path) => {
    if (holding([path]).length > 0) found.push(path);
  });
  process.stdout.write(found.map((path) => `${path}\n`).join(""));
}
