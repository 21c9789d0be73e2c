import ignore, { type Ignore } from "ignore";
import { lstatSync, readdirSync, statSync, type Dirent } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { findRepositoryRoot } from "../files/repository.js";
import { describeFsError, readSmallTextFile, SMALL_FILE_LIMITS } from "../files/text-file.js";

// File discovery shared by fix and lint: directories walked, .gitignore honoured at every
// level (and above the target, up to the repository root), build output and dependencies skipped.
// Dot folders are walked: CI definitions live in .github/ and .azure-pipelines/.

export const ALWAYS_SKIPPED_DIRS: readonly string[] = ["node_modules", ".git", "dist"];

export interface DiscoverOptions {
  cwd?: string;
  /** File name endings to keep when walking directories, without the dot ("ts", "d.ts"); all when absent. */
  extensions?: readonly string[];
  /** Exact file names to keep as well (e.g. "Dockerfile"), matched case-insensitively. */
  fileNames?: readonly string[];
  /** With `extensions`: keep names without an extension as well (`#!` scripts). */
  extensionless?: boolean;
  /** With neither of the above: file name endings to leave out ("png"), all others kept. */
  exceptExtensions?: readonly string[];
}

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  /** Relative to cwd with forward slashes: what reports show. */
  displayPath: string;
  /** Named on the command line: processed whatever the ignore rules say. */
  explicit: boolean;
  /** Its bytes, already read (standard input): the file is not read from `path`. */
  content?: Buffer;
}

export interface Discovery {
  /**
   * Walked lazily, target by target, each in path order: only the folders on the current path are held, so
   * memory does not grow with the size of the tree. Each iteration walks afresh.
   */
  files: Iterable<DiscoveredFile>;
  /** Targets that could not be read at all (missing path, permission). */
  missing: { target: string; reason: string }[];
}

export function discoverFiles(targets: readonly string[], options: DiscoverOptions = {}): Discovery {
  const cwd = resolve(options.cwd ?? process.cwd());
  const { found, missing } = statTargets(targets, cwd, options);
  return { files: { [Symbol.iterator]: () => walkTargets(found, cwd, options) }, missing };
}

function statTargets(targets: readonly string[], cwd: string, options: DiscoverOptions) {
  const missing: Discovery["missing"] = [];
  const found: Target[] = [];
  for (const target of targets.length > 0 ? targets : ["."]) {
    // Normalised, so that targets which overlap are seen to (`/repo/src/` and `src`).
    const absolute = resolve(cwd, target);
    try {
      found.push({ absolute, isDirectory: statSync(absolute).isDirectory() });
    } catch (error) {
      const glob = globOf(target, cwd);
      // A pattern that matches nothing is a mistake to report (a CI gate given a typo would pass): the walk
      // stops at its first match.
      if (glob && walkTargets([glob], cwd, options).next().done) missing.push({ target, reason: NO_MATCH });
      else if (glob) found.push(glob);
      else missing.push({ target, reason: describeFsError(error) });
    }
  }
  return { found, missing };
}

interface Target {
  absolute: string;
  isDirectory: boolean;
  /** For a glob: the folder walked is `absolute`; only the paths below it that this matches are kept. */
  matches?: (relativePath: string) => boolean;
}

const GLOB_CHARACTER = /[*?[]/;
export const NO_MATCH = "no file matches this pattern";

/**
 * A path that names no file but holds `*`, `?`, `[…]` or `**` (quoted, so the shell did not expand it):
 * the folder before its first glob character is walked, as any folder is (.gitignore honoured), and the
 * files matching the rest kept. Matched as git matches a pattern anchored to that folder.
 */
function globOf(target: string, cwd: string): Target | undefined {
  const parts = target.split(/[/\\]/);
  const firstGlob = parts.findIndex((part) => GLOB_CHARACTER.test(part));
  if (firstGlob === -1) return undefined;
  const base = resolve(cwd, parts.slice(0, firstGlob).join("/") || ".");
  const pattern = ignore().add(`/${parts.slice(firstGlob).join("/")}`);
  try {
    if (!statSync(base).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return { absolute: base, isDirectory: true, matches: (path) => pattern.ignores(path) };
}

function* walkTargets(targets: readonly Target[], cwd: string, options: DiscoverOptions): Generator<DiscoveredFile> {
  // Only targets that overlap (`src src/a.ts`, `. pkg`) can yield a file twice: only then are paths remembered.
  const seen = overlapping(targets.map((t) => t.absolute)) ? new Set<string>() : undefined;
  for (const { absolute, isDirectory, matches } of targets) {
    const paths = isDirectory ? walkDirectory(absolute, options) : [absolute];
    for (const path of paths) {
      if (matches && !matches(toDisplayPath(absolute, path))) continue;
      if (seen?.has(path)) continue;
      seen?.add(path);
      yield { path, displayPath: toDisplayPath(cwd, path), explicit: !isDirectory };
    }
  }
}

/** Whether a path is named twice or lies below another: a walk up from each, not a comparison of every pair. */
function overlapping(paths: readonly string[]): boolean {
  const named = new Set(paths);
  if (named.size < paths.length) return true;
  return paths.some((path) => {
    for (let child = path, dir = dirname(path); dir !== child; child = dir, dir = dirname(dir)) {
      if (named.has(dir)) return true;
    }
    return false;
  });
}

interface Folder {
  dir: string;
  /** The entries to visit, in the order that yields paths sorted as whole strings. */
  entries: { name: string; isDirectory: boolean; sortKey: string }[];
  next: number;
  rules: GitignoreRules[];
}

/**
 * A synchronous depth-first walk: for thousands of small folders it beats an asynchronous glob several
 * times over. A folder git ignores is not entered (git cannot re-include a file below an excluded folder),
 * and the .gitignore rules in force are handed down the walk rather than looked up for every file.
 */
function* walkDirectory(root: string, options: DiscoverOptions): Generator<string> {
  const wanted = wantedNames(options);
  const open = (dir: string, inherited: GitignoreRules[]): Folder | undefined => {
    let dirents: Dirent[];
    try {
      dirents = readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined; // unreadable folder: skipped, as a glob with suppressed errors would
    }
    const own = dirents.some((e) => e.name === ".gitignore" && e.isFile()) ? loadGitignore(dir) : undefined;
    const entries: Folder["entries"] = [];
    // Symbolic links are neither files nor folders here: never followed, never read.
    for (const entry of dirents) {
      if (entry.isDirectory() ? !ALWAYS_SKIPPED_DIRS.includes(entry.name) : entry.isFile() && wanted(entry.name)) {
        // A folder's paths all start with "name/": sorted by that, the walk yields paths in the string order
        // of their "/"-separated form, the one reports show.
        const isDirectory = entry.isDirectory();
        entries.push({ name: entry.name, isDirectory, sortKey: isDirectory ? `${entry.name}/` : entry.name });
      }
    }
    entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    return { dir, entries, next: 0, rules: own ? [...inherited, own] : inherited };
  };
  const stack: Folder[] = [];
  const first = open(root, withoutRulesExcluding(root, ancestorGitignores(root)));
  if (first) stack.push(first);
  while (stack.length > 0) {
    const folder = stack.at(-1)!;
    const entry = folder.entries[folder.next++];
    if (!entry) {
      stack.pop();
      continue;
    }
    const path = childPath(folder.dir, entry.name);
    if (isIgnored(folder.rules, path, entry.isDirectory)) continue;
    if (!entry.isDirectory) yield path;
    else {
      const inner = open(path, folder.rules);
      if (inner) stack.push(inner);
    }
  }
}

/** Whether a file name is one the caller asked for (its ending, or its exact name). */
function wantedNames(options: DiscoverOptions): (name: string) => boolean {
  const endings = options.extensions?.map((e) => `.${e.toLowerCase()}`);
  const names = options.fileNames?.map((n) => n.toLowerCase());
  const unwanted = new Set(options.exceptExtensions?.map((e) => e.toLowerCase()));
  return (name) => {
    if (!endings && !names) {
      if (unwanted.size === 0) return true;
      const dot = name.lastIndexOf(".");
      return dot === -1 || !unwanted.has(name.slice(dot + 1).toLowerCase());
    }
    const lower = name.toLowerCase();
    return (
      endings?.some((e) => lower.endsWith(e)) ||
      names?.includes(lower) ||
      (options.extensionless === true && !lower.includes("."))
    );
  };
}

/**
 * The files of a list made elsewhere (git's changed files) that lie in one of the targets and that a walk
 * would have kept: a wanted name, no skipped folder on the way, a regular file. Nothing is walked, so the
 * cost follows the list, not the tree.
 */
export function discoverListed(
  listed: readonly string[],
  targets: readonly string[],
  options: DiscoverOptions = {},
): Discovery {
  const cwd = resolve(options.cwd ?? process.cwd());
  const { found, missing } = statTargets(targets, cwd, options);
  const roots = found.map((f) => f.absolute);
  const wanted = wantedNames(options);
  const kept = (path: string) => {
    const root = roots.find((r) => path === r || path.startsWith(r.endsWith(sep) ? r : `${r}${sep}`));
    if (root === undefined || !wanted(basename(path))) return false;
    const folders = relative(root, path).split(sep).slice(0, -1);
    if (folders.some((name) => ALWAYS_SKIPPED_DIRS.includes(name))) return false;
    try {
      return lstatSync(path).isFile();
    } catch {
      return false; // gone since git listed it
    }
  };
  const files = [...new Set(listed.map((p) => resolve(cwd, p)))].filter(kept).sort();
  return {
    files: files.map((path) => ({ path, displayPath: toDisplayPath(cwd, path), explicit: false })),
    missing,
  };
}

/** path.join for a name read from a folder: nothing to normalise, so plain concatenation. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

interface GitignoreRules {
  /** The folder holding the .gitignore, with a trailing separator. */
  prefix: string;
  rules: Ignore;
  /** Its lines, as read. */
  lines: string[];
}

function loadGitignore(dir: string): GitignoreRules | undefined {
  try {
    const lines = readSmallTextFile(join(dir, ".gitignore"), SMALL_FILE_LIMITS.gitignore).split(/\r?\n/);
    return { prefix: dir.endsWith(sep) ? dir : `${dir}${sep}`, rules: ignore().add(lines), lines };
  } catch {
    return undefined; // No readable .gitignore here: nothing to honour.
  }
}

/** The .gitignore files of the folders above `root`, up to the repository root, outermost first. */
function ancestorGitignores(root: string): GitignoreRules[] {
  const repoRoot = findRepositoryRoot(root);
  const found: GitignoreRules[] = [];
  if (!repoRoot) return found;
  for (let dir = dirname(root); dir.length >= repoRoot.length && dir.startsWith(repoRoot); dir = dirname(dir)) {
    const rules = loadGitignore(dir);
    if (rules) found.unshift(rules);
    if (dir === repoRoot) break;
  }
  return found;
}

/**
 * A folder named on the command line is walked even if a .gitignore above it excludes it or everything in
 * it (`vendor/`, `vendor/**`): naming it is the user's choice. Only those lines are set aside; the others
 * (`*.gen.ts`, `vendor/*.gen.ts`) apply.
 */
function withoutRulesExcluding(root: string, ancestors: GitignoreRules[]): GitignoreRules[] {
  // Names no pattern aimed at particular files would match: a line that ignores them ignores the whole folder.
  const inside = childPath(root, "\u0000msi2imds-any-name");
  const excludesAll = (rules: GitignoreRules) =>
    isIgnored([rules], root, true) || isIgnored([rules], inside, false) || isIgnored([rules], inside, true);
  if (!ancestors.some(excludesAll)) return ancestors;
  return ancestors.map(({ prefix, lines }) => {
    const kept = lines.filter((line) => !excludesAll({ prefix, rules: ignore().add(line), lines: [line] }));
    return { prefix, rules: ignore().add(kept), lines: kept };
  });
}

/** Git's precedence: a deeper .gitignore overrides a shallower one, negations included. */
function isIgnored(applicable: readonly GitignoreRules[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const { prefix, rules } of applicable) {
    const relativePath = sep === "/" ? path.slice(prefix.length) : path.slice(prefix.length).split(sep).join("/");
    const verdict = rules.test(isDirectory ? `${relativePath}/` : relativePath);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

export function toDisplayPath(cwd: string, path: string): string {
  // The common case, a file below cwd, without path.relative's normalising (it showed in profiles).
  const below = path.startsWith(cwd) && path[cwd.length] === sep && !cwd.endsWith(sep);
  const rel = below ? path.slice(cwd.length + 1) : relative(cwd, path);
  if (rel === "") return ".";
  return sep === "/" ? rel : rel.split(sep).join("/");
}
