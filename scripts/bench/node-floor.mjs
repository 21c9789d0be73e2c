#!/usr/bin/env node
// The floor for any Node tool: start Node, walk the tree, read every file, Buffer.indexOf one needle and
// list the files that hold it (what `rg -l` does). No parsing, no rules, no output but paths.
import { readdirSync, readFileSync } from "node:fs";

const needle = Buffer.from(process.argv[2] ?? "50342");
const found = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = dir === "." ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile() && readFileSync(path).includes(needle)) found.push(path);
  }
};
walk(".");
process.stdout.write(found.map((path) => `${path}\n`).join(""));
