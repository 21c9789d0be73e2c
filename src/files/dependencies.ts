import { dirname, join, relative, resolve, sep } from "node:path";
import { findRepositoryRoot } from "./repository.js";
import { readSmallTextFile, SMALL_FILE_LIMITS } from "./text-file.js";

// Which version of a library a file's project uses, read from the nearest lock file or manifest above the
// file (up to the repository root). Whether an old SDK still calls the extension depends on its version:
// a lock file says exactly; a manifest's range ("^2.5.5") may resolve either side of the version that moved.

export type Ecosystem = "npm";

export interface PinnedVersion {
  name: string;
  /** The version, or the range a manifest asks for. */
  version: string;
  /** From a lock file (or an exact pin in a manifest): the version that is installed. */
  exact: boolean;
  /** The file it was read from, relative to the working directory. */
  source: string;
}

type Manifest = Record<string, PinnedVersion>;

interface Reader {
  files: readonly string[];
  read(path: string, text: string, cwd: string): Manifest;
}

const READERS: Record<Ecosystem, Reader> = {
  npm: {
    files: ["package-lock.json", "npm-shrinkwrap.json", "package.json"],
    read(path, text, cwd) {
      const data = JSON.parse(text) as NpmFile;
      const source = relative(cwd, path).split(sep).join("/") || path;
      const pins: Manifest = {};
      if (!path.endsWith("package.json")) {
        // lockfileVersion 2 and 3 list packages by their folder; version 1 by name.
        for (const [key, entry] of Object.entries(data.packages ?? {})) {
          const name =
            key.startsWith("node_modules/") && !key.slice(13).includes("/node_modules/") ? key.slice(13) : undefined;
          if (name && typeof entry?.version === "string")
            pins[name] = { name, version: entry.version, exact: true, source };
        }
        for (const [name, entry] of Object.entries(data.dependencies ?? {})) {
          const version = (entry as { version?: unknown } | null)?.version;
          if (!pins[name] && typeof version === "string") pins[name] = { name, version, exact: true, source };
        }
        return pins;
      }
      for (const field of ["dependencies", "devDependencies", "optionalDependencies"] as const) {
        for (const [name, range] of Object.entries(data[field] ?? {})) {
          if (typeof range === "string" && !pins[name])
            pins[name] = { name, version: range, exact: isExactVersion(range), source };
        }
      }
      return pins;
    },
  },
};

interface NpmFile {
  packages?: Record<string, { version?: unknown } | undefined>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
}

export function isExactVersion(version: string): boolean {
  return /^=?v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(version.trim());
}

/** Compares dotted numeric versions ("2.5.9" < "2.6.0" < "2.10.0"); a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = "", pre] = v
      .trim()
      .replace(/^[=v]+/, "")
      .split(/[-+]/, 2);
    return { parts: core.split(".").map((n) => Number.parseInt(n, 10) || 0), pre: pre !== undefined };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return x.pre === y.pre ? 0 : x.pre ? -1 : 1;
}

/** Reads each folder's manifests once per run. */
export class DependencyVersions {
  private readonly byFolder = new Map<string, Manifest[]>();

  constructor(private readonly cwd = process.cwd()) {}

  /** The version of `name` the project holding `file` uses: the nearest lock file, else the nearest manifest. */
  find(file: string, ecosystem: Ecosystem, name: string): PinnedVersion | undefined {
    const stop = findRepositoryRoot(file);
    let ranged: PinnedVersion | undefined;
    for (let dir = dirname(resolve(this.cwd, file)); ; dir = dirname(dir)) {
      for (const manifest of this.manifests(dir, ecosystem)) {
        const pin = manifest[name];
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
      const reader = READERS[ecosystem];
      found = reader.files.flatMap((name) => {
        const text = readSmall(join(dir, name));
        if (text === undefined) return [];
        try {
          return [reader.read(join(dir, name), text, this.cwd)];
        } catch {
          return []; // a manifest that does not parse says nothing
        }
      });
      this.byFolder.set(key, found);
    }
    return found;
  }
}

function readSmall(path: string): string | undefined {
  try {
    return readSmallTextFile(path, SMALL_FILE_LIMITS.manifest);
  } catch {
    return undefined;
  }
}
