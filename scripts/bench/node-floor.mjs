#!/usr/bin/env node
// The floor for any Node tool: start Node, walk the tree, read every file, Buffer.indexOf one needle and
// list the files that hold it (what `rg -l` does). No parsing, no rules, no output but paths. It skips the
// folders msi2imds never walks and any it cannot read, as the tools it is compared with do.
import { readdirSync, readFileSync } from "node:fs";

const SKIPPED = new Set(["node_modules", ".git", "dist"]);
const needle = Buffer.from(process.argv[2] ?? "50342");
const found = [];
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
        if (readFileSync(path).includes(needle)) found.push(path);
      } catch {
        // unreadable: skipped, as rg does
      }
    }
  }
};
walk(".");
process.stdout.write(found.map((path) => `${path}\n`).join(""));
