#!/usr/bin/env node
// The floor for any Node tool: start Node, walk the tree, read every file, Buffer.indexOf one needle and
// list the files that hold it (what `rg -l` does). No parsing, no rules, no output but paths. It reads as
// msi2imds does, the cheapest way found: into one reused buffer, until the end, with no fstat. It skips
// the folders msi2imds never walks and any it cannot read, as the tools it is compared with do.
import { closeSync, openSync, readdirSync, readSync } from "node:fs";

const SKIPPED = new Set(["node_modules", ".git", "dist"]);
const needle = Buffer.from(process.argv[2] ?? "50342");
const found = [];
let buffer = Buffer.allocUnsafe(1 << 20);
const read = (path) => {
  const fd = openSync(path, "r");
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return buffer.subarray(0, length);
      length += n;
    }
  } finally {
    closeSync(fd);
  }
};
const walk = (dir) => {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = dir === "." ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) walk(path);
    } else if (entry.isFile()) {
      try {
        if (read(path).includes(needle)) found.push(path);
      } catch {
        // unreadable: skipped, as rg does
      }
    }
  }
};
walk(".");
process.stdout.write(found.map((path) => `${path}\n`).join(""));
