import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, it } from "node:test";

// The house, kept as docs/architecture.md draws it: each part may import only the parts below it, and only
// the command-line face writes to stdout or stderr. Read from the sources themselves (static and dynamic
// imports), so a new import that breaks a rule fails here before it lands.

const ROOT = resolve(import.meta.dirname, "..");

type Part =
  | "cli"
  | "core"
  | "imds"
  | "package-info"
  | "files"
  | "pipeline"
  | "azure"
  | "formatters"
  | "scan"
  | "remove"
  | "codemod"
  | "lint"
  | "rules"
  | "rules/support"
  | "syntax"
  | "eslint-plugin";

/** What each part may import besides itself. */
const ALLOWED: Record<Part, readonly Part[]> = {
  core: [],
  imds: [],
  "package-info": [],
  files: ["core"],
  syntax: ["core"],
  pipeline: ["core", "files"],
  azure: ["core"],
  formatters: ["core"],
  "rules/support": ["core", "imds"],
  rules: ["core", "imds", "rules/support"],
  codemod: ["core", "imds", "files", "pipeline", "syntax", "rules/support"],
  lint: ["core", "imds", "package-info", "files", "pipeline", "syntax", "rules", "rules/support"],
  scan: ["core", "imds", "package-info", "azure", "rules"],
  remove: ["core", "imds", "files", "azure", "rules"],
  "eslint-plugin": ["core", "imds", "package-info", "pipeline", "syntax", "codemod", "rules"],
  cli: [
    "core",
    "imds",
    "package-info",
    "files",
    "pipeline",
    "syntax",
    "azure",
    "formatters",
    "scan",
    "remove",
    "codemod",
    "lint",
    "rules",
  ],
};

/** Packages other than Node's own, and the parts allowed to load them. */
const PACKAGES: Record<string, readonly Part[]> = {
  "@azure/": ["azure", "scan", "remove"],
  "ts-morph": ["codemod"],
  "@vscode/tree-sitter-wasm": ["syntax"],
  "jsonc-parser": ["syntax"],
  commander: ["cli"],
  picocolors: ["formatters"],
  diff: ["formatters"],
  ignore: ["pipeline", "lint"],
};

function partOf(file: string): Part {
  const rel = relative(ROOT, file).split(sep).join("/");
  if (rel.startsWith("rules/support/")) return "rules/support";
  if (rel.startsWith("rules/")) return "rules";
  const match = /^src\/(?:([\w-]+)\/|([\w-]+)\.ts$)/.exec(rel);
  const part = match?.[1] ?? match?.[2];
  assert.ok(part && part in ALLOWED, `${rel} belongs to no part of the house`);
  return part as Part;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const FILES = [...sources(join(ROOT, "src")), ...sources(join(ROOT, "rules"))];
const IMPORT = /(?:(?<![\w-])from\s+|\bimport\s*\(\s*|^import\s+)["']([^"']+)["']|new URL\(\s*["'](\.[^"']+\.js)["']/gm;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8").replace(/^\s*\/\/.*$/gm, "");
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
}

describe("the house", () => {
  it("knows every source file's part", () => {
    assert.ok(FILES.length > 50);
    for (const file of FILES) partOf(file);
  });

  it("imports go one way between the parts", () => {
    const broken: string[] = [];
    for (const file of FILES) {
      const from = partOf(file);
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith(".")) continue;
        const to = partOf(resolve(dirname(file), specifier).replace(/\.js$/, ".ts"));
        if (to !== from && !ALLOWED[from].includes(to))
          broken.push(`${relative(ROOT, file)} (${from}) imports ${specifier} (${to})`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it("packages are loaded only by the parts that own them", () => {
    const broken: string[] = [];
    for (const file of FILES) {
      const from = partOf(file);
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith(".") || specifier.startsWith("node:") || specifier.startsWith("${")) continue;
        const owner = Object.keys(PACKAGES).find(
          (name) => specifier === name || specifier.startsWith(name.endsWith("/") ? name : `${name}/`),
        );
        assert.ok(owner, `${relative(ROOT, file)} imports ${specifier}, which no part owns`);
        if (from !== "cli" && !PACKAGES[owner]!.includes(from))
          broken.push(`${relative(ROOT, file)} (${from}) imports ${specifier}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it("only the command-line face writes to stdout and stderr", () => {
    const writers = FILES.filter((file) => partOf(file) !== "cli").filter((file) =>
      /\bprocess\.(?:stdout|stderr)\b|\bconsole\.\w+\(|\bwrite(?:File)?Sync\(\s*[12]\s*,/.test(
        readFileSync(file, "utf8"),
      ),
    );
    assert.deepEqual(
      writers.map((f) => relative(ROOT, f)),
      [],
    );
  });

  it("rules read syntax through the engine, never by loading a parser themselves", () => {
    const file = join(ROOT, "rules/no-extension-endpoint-text.ts");
    const to = partOf(resolve(dirname(file), "../src/syntax/index.ts"));
    assert.equal(to, "syntax");
    assert.equal(ALLOWED[partOf(file)].includes(to), false);
  });

  it("the check itself can fail: a formatter importing a command folder is caught", () => {
    const file = join(ROOT, "src/formatters/table.ts");
    const to = partOf(resolve(dirname(file), "../scan/run.ts"));
    assert.equal(ALLOWED[partOf(file)].includes(to), false);
  });
});
