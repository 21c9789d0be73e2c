import { buildSync, transformSync } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { REPO_ROOT } from "./redirected-child.js";

// Workers (or children) that run fixtures start as plain Node: the TypeScript they need (the redirect preload,
// the runner, TypeScript fixtures) is compiled here with esbuild, as tsx would compile it in each of them, but
// once per test process. Loading tsx costs about twice what a fixture's run costs, and the runtime proofs
// start some ninety runs. Output goes below node_modules/.cache, so a fixture's imports resolve to the
// repository's packages as they do from fixtures/.

const DIR = join(REPO_ROOT, "node_modules", ".cache", "msi2imds-test", String(process.pid));
let cleanupRegistered = false;

/** Where a compiled file goes: the source's name with another extension. */
function outputPath(source: string, extension: string): string {
  if (!cleanupRegistered) {
    process.once("exit", () => rmSync(DIR, { recursive: true, force: true }));
    cleanupRegistered = true;
  }
  mkdirSync(DIR, { recursive: true });
  return join(DIR, `${basename(source, extname(source))}${extension}`);
}

const entries = new Map<string, string>();

/** A TypeScript entry point bundled with the project's own modules it imports (packages stay imports). */
export function compiledEntry(source: string): string {
  let outfile = entries.get(source);
  if (outfile) return outfile;
  outfile = outputPath(source, ".entry.mjs");
  buildSync({ entryPoints: [source], bundle: true, platform: "node", format: "esm", packages: "external", outfile });
  entries.set(source, outfile);
  return outfile;
}

const TYPESCRIPT = /\.(ts|tsx|mts|cts)$/;

/**
 * A fixture as Node can load it: JavaScript as it is; TypeScript with its types stripped, in the module
 * system its name says (.cts CommonJS; .ts and .tsx follow package.json's "type": module).
 */
export function compiledModule(source: string): string {
  const match = TYPESCRIPT.exec(source);
  if (!match) return source;
  const commonjs = match[1] === "cts";
  const { code } = transformSync(readFileSync(source, "utf8"), {
    loader: match[1] === "tsx" ? "tsx" : "ts",
    format: commonjs ? "cjs" : "esm",
    target: "node20",
    sourcefile: source,
  });
  const outfile = outputPath(source, commonjs ? ".cjs" : ".mjs");
  writeFileSync(outfile, code);
  return outfile;
}
