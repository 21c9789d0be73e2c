import { copyFileSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, relative, resolve, sep } from "node:path";
import { isJavaScriptLike, languageOf } from "../../src/core/language.js";
import { DEFAULT_MAX_FILE_BYTES } from "../../src/files/text-file.js";
import { isScriptLanguage } from "../../src/codemod/scripts/analyze.js";
import { EXTENSION_TOKEN_PATH } from "../../src/imds.js";
import { PLANTED_FILES, fillPlaceholders, type PlantedFile } from "./planted.js";

// Builds the benchmark corpus: a copy of a real tree's source and config files plus the planted call sites.
// Every tool must read the same bytes, so the copy leaves out what one of them would skip and the others
// not: hidden names (ripgrep and ast-grep skip them) are renamed, `dist` and `node_modules` folders (the
// msi2imds walker skips them) are renamed, and files over msi2imds's size limit are left out.

export interface PlantedSite {
  /** Relative to the corpus root, forward slashes. */
  path: string;
  line: number;
  endLine: number;
  form: string;
  /** In a JS/TS file: what the AST peers can see. */
  jsts: boolean;
  /** What fix rewrites or lists: JS/TS sites, and token calls in Python, shell and PowerShell. */
  codemod: boolean;
}

export interface Corpus {
  root: string;
  source: string;
  files: number;
  bytes: number;
  sites: PlantedSite[];
  decoys: { path: string; reason: string }[];
}

const RENAMED_DIRS: Record<string, string> = { node_modules: "nm", dist: "dist_" };

export function buildCorpus(source: string, root: string): Corpus {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const counts = { files: 0, bytes: 0 };
  // The bench folder is left out in case the source tree contains it.
  copyTree(resolve(source), join(root, "deps"), dirname(resolve(root)), counts);

  const sites: PlantedSite[] = [];
  const decoys: Corpus["decoys"] = [];
  for (const file of PLANTED_FILES) {
    const { text, fileSites } = renderPlantedFile(file);
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    counts.files++;
    counts.bytes += Buffer.byteLength(text);
    sites.push(...fileSites);
    if (file.decoy) decoys.push({ path: file.path, reason: file.decoy });
  }

  // Its own repository, so that no .gitignore above it (the project's ignores .bench/) applies inside.
  const git = spawnSync("git", ["init", "-q", root], { stdio: "ignore" });
  if (git.status !== 0) throw new Error(`git init ${root} failed: the corpus must be its own repository`);

  const corpus: Corpus = { root, source: resolve(source), ...counts, sites, decoys };
  writeFileSync(`${root}.manifest.json`, JSON.stringify(corpus, null, 2));
  return corpus;
}

export function renderPlantedFile(file: PlantedFile): { text: string; fileSites: PlantedSite[] } {
  const jsts = isJavaScriptLike(languageOf(file.path));
  const script = isScriptLanguage(languageOf(file.path));
  const lines: string[] = [];
  const fileSites: PlantedSite[] = [];
  for (const segment of file.segments) {
    const text = fillPlaceholders(typeof segment === "string" ? segment : segment.code);
    const first = lines.length + 1;
    lines.push(...text.split("\n"));
    if (typeof segment !== "string") {
      const codemod = jsts || (script && text.includes(EXTENSION_TOKEN_PATH));
      fileSites.push({ path: file.path, line: first, endLine: lines.length, form: segment.form, jsts, codemod });
    }
  }
  return { text: `${lines.join("\n")}\n`, fileSites };
}

function copyTree(from: string, to: string, skip: string, counts: { files: number; bytes: number }): void {
  // An explicit stack rather than recursion: deep trees cannot overflow it, and symbolic links are never followed.
  const pending: [string, string][] = [[from, to]];
  while (pending.length > 0) {
    const [dir, targetDir] = pending.pop()!;
    let created = false;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (path === skip || entry.name === ".git") continue;
      const name = renamed(entry.name, entry.isDirectory());
      if (entry.isDirectory()) {
        pending.push([path, join(targetDir, name)]);
        continue;
      }
      if (!entry.isFile() || languageOf(entry.name) === undefined) continue;
      const size = lstatSync(path).size;
      if (size > DEFAULT_MAX_FILE_BYTES) continue;
      if (!created) mkdirSync(targetDir, { recursive: true });
      created = true;
      copyFileSync(path, join(targetDir, name));
      counts.files++;
      counts.bytes += size;
    }
  }
}

function renamed(name: string, isDirectory: boolean): string {
  if (name.startsWith(".")) return `_${name.slice(1)}`;
  return (isDirectory && RENAMED_DIRS[name]) || name;
}

export function corpusRelative(corpus: Corpus, path: string): string {
  return relative(corpus.root, resolve(corpus.root, path)).split(sep).join("/");
}
