import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import { writeFileAtomic } from "../files/atomic-write.js";

// Loads a large CommonJS bundle with V8's code cache kept on disk: compiling TypeScript's 9 MB bundle
// costs a few hundred milliseconds on every start, reading back the code V8 made last time about a
// third of that. Node 22 offers module.enableCompileCache(); Node 20, which msi2imds supports, does not.
// V8 refuses a cache made by another V8 version, with other flags or for a source of another length;
// the key adds the file's size and modification time, and a checksum guards against a damaged file.

export type CacheOutcome = "hit" | "miss" | "rejected" | "off";

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
  const source = readFileSync(file, "utf8");
  const cacheFile = cacheDir ? join(cacheDir, cacheKey(file)) : undefined;
  const cachedData = cacheFile ? readVerified(cacheFile) : undefined;
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const outcome: CacheOutcome = !cacheFile ? "off" : !cachedData ? "miss" : script.cachedDataRejected ? "rejected" : "hit";

  const module = new Module(file);
  module.filename = file;
  const compiled = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  const require = createRequire(file);
  compiled.call(module.exports, module.exports, require, module, file, dirname(file));
  module.loaded = true;
  // Anything that requires the bundle later (ts-morph itself, say) gets this instance, not a second one.
  require.cache[file] = module;

  if (cacheFile && outcome !== "hit") process.once("exit", () => writeCache(cacheFile, script.createCachedData()));
  return { exports: module.exports, outcome };
}

function cacheKey(file: string): string {
  const { size, mtimeMs } = statSync(file);
  const identity = [file, size, mtimeMs, process.version, process.arch, process.execArgv.join(" ")].join("\0");
  return `${basename(file)}-${createHash("sha256").update(identity).digest("hex").slice(0, 16)}.v8cache`;
}

function readVerified(cacheFile: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const payload = bytes.subarray(CHECKSUM_BYTES);
  return bytes.length > CHECKSUM_BYTES && checksum(payload).equals(bytes.subarray(0, CHECKSUM_BYTES)) ? payload : undefined;
}

function writeCache(cacheFile: string, payload: Buffer): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
    writeFileAtomic(cacheFile, Buffer.concat([checksum(payload), payload]), 0o600);
  } catch {
    // A read-only home or a full disk: the next run compiles again.
  }
}

function checksum(payload: Uint8Array): Buffer {
  return createHash("sha256").update(payload).digest();
}
