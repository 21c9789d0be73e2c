import { createHash } from "node:crypto";
import { dirname } from "node:path";
import type { FileFinding } from "../core/finding.js";
import type { SkippedFile } from "../core/report.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { makeFolders } from "../files/folders.js";
import { readSmallTextFile, SMALL_FILE_LIMITS } from "../files/text-file.js";

// `lint --cache`: what each file gave last time, keyed on the file's text, so a local run re-checks only
// the files that changed. The whole cache belongs to one scope (the tool's version, the rules and their
// severities, the ports, the working directory): a run in another scope starts afresh rather than trust
// results the rules or options of today would not give.

export const DEFAULT_CACHE_FILE = "node_modules/.cache/msi2imds/lint-cache.json";

export interface CachedOutcome {
  findings: FileFinding[];
  skipped: SkippedFile[];
}

interface CacheFile {
  scope: string;
  /** Absolute path → the hash of its text and what linting it gave. */
  files: Record<string, { hash: string } & CachedOutcome>;
}

export class LintCache {
  private readonly previous: CacheFile["files"];
  private readonly next: CacheFile["files"] = {};
  hits = 0;

  private constructor(
    private readonly path: string,
    private readonly scope: string,
    previous: CacheFile["files"],
  ) {
    this.previous = previous;
  }

  /** The cache at `path` for `scope`; empty when it is missing, unreadable or from another scope. */
  static open(path: string, scope: unknown): LintCache {
    const key = hashOf(JSON.stringify(scope));
    let files: CacheFile["files"] = {};
    try {
      const data = JSON.parse(readSmallTextFile(path, SMALL_FILE_LIMITS.cache)) as Partial<CacheFile>;
      if (data.scope === key && typeof data.files === "object" && data.files !== null) files = data.files;
    } catch {
      // No cache yet, or one that cannot be read: this run fills a new one.
    }
    return new LintCache(path, key, files);
  }

  get(path: string, text: string): CachedOutcome | undefined {
    const entry = this.previous[path];
    if (entry === undefined || entry.hash !== hashOf(text)) return undefined;
    this.hits++;
    this.next[path] = entry;
    return { findings: entry.findings, skipped: entry.skipped };
  }

  set(path: string, text: string, outcome: CachedOutcome): void {
    this.next[path] = { hash: hashOf(text), ...outcome };
  }

  /**
   * Writes the files this run saw (entries for files now gone or no longer read drop out). Files no rule
   * could match are not recorded: their bytes were read anyway, so remembering them would save nothing.
   */
  save(): void {
    makeFolders(dirname(this.path));
    writeFileAtomic(this.path, JSON.stringify({ scope: this.scope, files: this.next } satisfies CacheFile), {
      mode: 0o644,
    });
  }
}

function hashOf(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}
