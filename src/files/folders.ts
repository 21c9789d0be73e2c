import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

// mkdir -p, one folder at a time. Node 20's own ({ recursive: true }) never returns where mkdir answers
// ENOENT for a folder whose parent exists (under /proc): `-o /proc/x/report.json` hung instead of failing.

/**
 * Makes `dir` and the folders above it that are missing, each with `mode`. A file in the way is "not a
 * directory"; a folder that cannot be made fails with its own error.
 */
export function makeFolders(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let folder = resolve(dir); ; folder = dirname(folder)) {
    const stat = statSync(folder, { throwIfNoEntry: false });
    if (stat?.isDirectory()) break;
    if (stat) throw Object.assign(new Error(`${folder}: not a directory`), { code: "ENOTDIR", path: folder });
    missing.push(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder, mode === undefined ? undefined : { mode });
    } catch (error) {
      // Made meanwhile by another process: as good as made here.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(folder).isDirectory()) throw error;
    }
  }
}
