import { existsSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import ignore from "ignore";
import { UsageError } from "../core/exit-codes.js";
import { DIRECTIVE_RULES } from "../core/suppressions.js";
import type { DiscoveredFile } from "../pipeline/discover.js";
import { findConfigFile, loadConfig, type Config } from "./config.js";

// msi2imds.config.json as lint reads it, for fix as well (the command line hands it over): both check the same
// extra ports and leave the same paths alone, so fix touches what lint reports.

/** The config named on the command line, else the one found upwards from `cwd`, else an empty one. */
export async function readProjectConfig(cwd: string, file: string | undefined): Promise<Config> {
  const path = file ? resolve(cwd, file) : findConfigFile(cwd);
  if (file && !existsSync(path!)) throw new UsageError(`config file not found: ${file}`);
  if (!path) return loadConfig(undefined, []);
  // The rules are loaded only to check the ids a config names.
  const { FILE_RULES } = await import("../../rules/index.js");
  return loadConfig(path, [...FILE_RULES.map((r) => r.meta.id), ...Object.keys(DIRECTIVE_RULES)]);
}

/** Config `ignore` globs are relative to the config file's folder; files named on the command line stay. */
export function withoutConfigIgnores(
  files: Iterable<DiscoveredFile>,
  config: Config,
  cwd: string,
): Iterable<DiscoveredFile> {
  if (!config.path || config.ignore.length === 0) return files;
  const base = dirname(config.path);
  const matcher = ignore().add(config.ignore);
  const kept = (file: DiscoveredFile) => {
    const rel = relative(base, resolve(cwd, file.path)).split(sep).join("/");
    return file.explicit || rel.startsWith("..") || !matcher.ignores(rel);
  };
  return (function* () {
    for (const file of files) if (kept(file)) yield file;
  })();
}
