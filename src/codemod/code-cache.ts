import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, type Stats } from "node:fs";
import { createRequire, Module } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import { writeFileAtomic } from "../files/atomic-write.js";
import { makeFolders } from "../files/folders.js";

// Loads a large CommonJS bundle with V8's code cache kept on disk: compiling TypeScript's 9 MB bundle
// costs a few hundred milliseconds on every start, reading back the code V8 made last time about a
// third of that. Node 22 offers module.enableCompileCache(); Node 20, which msi2imds supports, does not.
// V8 refuses a cache made by another V8 version or with other flags, but checks only the source's length:
// the key holds a hash of the source itself. V8 runs whatever code a cache holds, so a cache is used only
// from a folder and file that nobody but the current user can write, and a checksum catches a damaged file.

/** "untrusted": the folder is writable by others (or not ours), so it is neither read nor written. */
export type CacheOutcome = "hit" | "miss" | "rejected" | "untrusted" | "off";

export interface CachedModule {
  exports: unknown;
  outcome: CacheOutcome;
}

const CHECKSUM_BYTES = 32;

/** `MSI2IMDS_CACHE_DIR` (empty: no cache), else the user's cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.MSI2IMDS_CACHE_DIR;
  if (configured !== undefined) return configured === "" ? undefined : configured;
  if (process.platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "msi2imds", "Cache");
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "msi2imds");
}

/**
 * Requires `file` (an absolute path to a CommonJS module) through V8's code cache in `cacheDir`. On a
 * miss the cache is written when the process exits, so it also holds the functions this run compiled.
 * A cache that cannot be read or written only costs the time it would have saved.
 */
export function requireWithCodeCache(file: string, cacheDir: string | undefined): CachedModule {
  const bytes = readFileSync(file);
  const source = bytes.toString("utf8");
  const folder = cacheDir === undefined ? "off" : folderState(cacheDir);
  const cacheFile = folder === "private" ? join(cacheDir!, cacheKey(file, bytes)) : undefined;
  // A cache file someone else could have written is not read; the write at exit replaces it.
  const cachedData = cacheFile && isPrivateFile(cacheFile) ? readVerified(cacheFile) : undefined;
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const outcome: CacheOutcome =
    folder !== "private" ? folder : !cachedData ? "miss" : script.cachedDataRejected ? "rejected" : "hit";

  const module = new Module(file);
  module.filename = file;
  const compiled = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  const require = createRequire(file);
  compiled.call(module.exports, module.exports, require, module, file, dirname(file));
  module.loaded = true;
  // Anything that requires the bundle later (ts-morph itself, say) gets this instance, not a second one.
  require.cache[file] = module;

  if (cacheFile && (outcome === "miss" || outcome === "rejected"))
    process.once("exit", () => writeCache(cacheFile, script.createCachedData()));
  // Pruning keeps the most recently used caches: a hit counts as a use.
  if (outcome === "hit") touch(cacheFile!);
  return { exports: module.exports, outcome };
}

function cacheKey(file: string, bytes: Buffer): string {
  const identity = createHash("sha256")
    .update(bytes)
    .update([process.version, process.arch, process.execArgv.join(" ")].join("\0"))
    .digest("hex");
  return `${basename(file)}-${identity.slice(0, 24)}.v8cache`;
}

/**
 * Ours alone: owned by this user and writable by nobody else (POSIX; on Windows the per-user profile
 * folder's ACLs do this). A folder that does not exist yet is created so; one that cannot be is "off".
 */
function folderState(dir: string): "private" | "untrusted" | "off" {
  try {
    makeFolders(dir, 0o700);
    // stat, not lstat: a cache folder reached through a symbolic link is judged by the folder itself.
    const stat = statSync(dir);
    return stat.isDirectory() && ownedByUs(stat) ? "private" : "untrusted";
  } catch {
    return "off";
  }
}

function isPrivateFile(file: string): boolean {
  try {
    const stat = lstatSync(file);
    return stat.isFile() && ownedByUs(stat);
  } catch {
    return false; // no cache yet
  }
}

function ownedByUs(stat: Stats): boolean {
  if (process.platform === "win32" || !process.getuid) return true;
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

function readVerified(cacheFile: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const payload = bytes.subarray(CHECKSUM_BYTES);
  return bytes.length > CHECKSUM_BYTES && checksum(payload).equals(bytes.subarray(0, CHECKSUM_BYTES))
    ? payload
    : undefined;
}

/** Caches kept per bundle: one per Node version and flag set in use, the least recently used dropped. */
const KEPT_PER_BUNDLE = 3;

function writeCache(cacheFile: string, payload: Buffer): void {
  try {
    writeFileAtomic(cacheFile, Buffer.concat([checksum(payload), payload]), { mode: 0o600 });
    pruneSiblings(cacheFile);
  } catch {
    // A read-only home or a full disk: the next run compiles again.
  }
}

function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // Read-only cache folder: pruning may then drop this cache a little early.
  }
}

/** Caches of the same bundle under other keys (an older Node, an older bundle) would otherwise pile up. */
function pruneSiblings(cacheFile: string): void {
  const dir = dirname(cacheFile);
  const prefix = basename(cacheFile).replace(/-[0-9a-f]+\.v8cache$/, "-");
  const siblings = readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith(".v8cache"))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of siblings.slice(KEPT_PER_BUNDLE)) rmSync(path, { force: true });
}

function checksum(payload: Uint8Array): Buffer {
  return createHash("sha256").update(payload).digest();
}
