import { readdirSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Ecosystem, PinnedVersion } from "../core/dependency.js";
import { MANIFEST_READERS } from "./manifests.js";
import { findRepositoryRoot } from "./repository.js";
import { readSmallTextFile, SMALL_FILE_LIMITS } from "./text-file.js";

// Which version of a library a file's project uses, read from the nearest lock file or manifest above the
// file (up to the repository root). Whether an old SDK still calls the extension depends on its version:
// a lock file says exactly; a manifest's range ("^2.5.5") may resolve either side of the version that moved.

/** Lock and manifest files larger than this are not read: nothing a project commits is that large. */

type Manifest = Map<string, PinnedVersion>;

/** Reads each folder's manifests once per run. */
export class DependencyVersions {
  private readonly byFolder = new Map<string, Manifest[]>();
  private readonly listings = new Map<string, string[]>();

  constructor(private readonly cwd = process.cwd()) {}

  /** The version of `name` the project holding `file` uses: the nearest lock file, else the nearest manifest. */
  find(file: string, ecosystem: Ecosystem, name: string): PinnedVersion | undefined {
    const stop = findRepositoryRoot(file);
    const key = MANIFEST_READERS[ecosystem].normalize(name);
    let ranged: PinnedVersion | undefined;
    for (let dir = dirname(resolve(this.cwd, file)); ; dir = dirname(dir)) {
      for (const manifest of this.manifests(dir, ecosystem)) {
        const pin = manifest.get(key);
        if (pin?.exact) return pin;
        ranged ??= pin;
      }
      if (dir === stop || dirname(dir) === dir) return ranged;
    }
  }

  private manifests(dir: string, ecosystem: Ecosystem): Manifest[] {
    const key = `${ecosystem}\0${dir}`;
    let found = this.byFolder.get(key);
    if (!found) {
      const reader = MANIFEST_READERS[ecosystem];
      const names = this.namesIn(dir);
      found = reader.files
        .flatMap((file) => names.filter((name) => (typeof file === "string" ? name === file : file.test(name))))
        .flatMap((name) => {
          const text = readSmall(join(dir, name));
          if (text === undefined) return [];
          const source = relative(this.cwd, join(dir, name)).split(sep).join("/") || name;
          try {
            const manifest: Manifest = new Map();
            for (const pin of reader.read(name, text)) {
              const pinKey = reader.normalize(pin.name);
              if (!manifest.has(pinKey)) manifest.set(pinKey, { ...pin, source });
            }
            return [manifest];
          } catch {
            return []; // a manifest that does not parse says nothing
          }
        });
      this.byFolder.set(key, found);
    }
    return found;
  }

  /** A folder's file names, listed once whatever the ecosystems asked. */
  private namesIn(dir: string): string[] {
    let names = this.listings.get(dir);
    if (!names) {
      try {
        names = readdirSync(dir);
      } catch {
        names = [];
      }
      this.listings.set(dir, names);
    }
    return names;
  }
}

function readSmall(path: string): string | undefined {
  try {
    return readSmallTextFile(path, SMALL_FILE_LIMITS.manifest);
  } catch {
    return undefined;
  }
}
