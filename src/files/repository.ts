import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The git work tree holding `start` (the nearest folder above with a .git), or undefined outside one. */
export function findRepositoryRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
