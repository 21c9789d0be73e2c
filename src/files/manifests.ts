import { isExactVersion, type Ecosystem } from "../core/dependency.js";

// How each ecosystem's lock files and manifests name the versions a project uses, read as text: no package
// manager is run. Each reader lists its files in the order they are believed, lock files first.

export interface Pin {
  name: string;
  version: string;
  /** The version installed (a lock file, an exact pin), not a range a manifest asks for. */
  exact: boolean;
}

export interface ManifestReader {
  /** File names, most trusted first; a RegExp matches names such as requirements-dev.txt or App.csproj. */
  files: readonly (string | RegExp)[];
  read(fileName: string, text: string): Pin[];
  /** A library's name as this ecosystem compares names. */
  normalize(name: string): string;
}

const exactPin = (name: string, version: string): Pin => ({ name, version, exact: true });
/** A version as a manifest writes it: exact when it names one version (`1.2.3`, `==1.2.3`), else a range. */
function pinOf(name: string, written: string): Pin {
  const version = written.trim().replace(/^==(?=\d)/, "");
  return { name, version, exact: isExactVersion(version) };
}
const asIs = (name: string) => name;

function matchAll(text: string, pattern: RegExp, pin: (m: RegExpMatchArray) => Pin | undefined): Pin[] {
  return [...text.matchAll(pattern)].flatMap((m) => pin(m) ?? []);
}

export const MANIFEST_READERS: Record<Ecosystem, ManifestReader> = {
  npm: {
    files: ["package-lock.json", "npm-shrinkwrap.json", "package.json"],
    normalize: asIs,
    read(fileName, text) {
      const data = JSON.parse(text) as NpmFile;
      if (fileName !== "package.json") {
        // lockfileVersion 2 and 3 list packages by their folder; version 1 by name.
        const pins = Object.entries(data.packages ?? {}).flatMap(([key, entry]) => {
          const name = key.startsWith("node_modules/") ? key.slice(13) : undefined;
          return name && !name.includes("/node_modules/") && typeof entry?.version === "string"
            ? [exactPin(name, entry.version)]
            : [];
        });
        for (const [name, entry] of Object.entries(data.dependencies ?? {})) {
          const version = (entry as { version?: unknown } | null)?.version;
          if (typeof version === "string") pins.push(exactPin(name, version));
        }
        return pins;
      }
      return (["dependencies", "devDependencies", "optionalDependencies"] as const).flatMap((field) =>
        Object.entries(data[field] ?? {}).flatMap(([name, range]) =>
          typeof range === "string" ? [pinOf(name, range)] : [],
        ),
      );
    },
  },
  pypi: {
    files: ["poetry.lock", "Pipfile.lock", /^requirements.*\.txt$/i],
    // PEP 503: case, "-", "_" and "." do not tell names apart.
    normalize: (name) => name.toLowerCase().replace(/[-_.]+/g, "-"),
    read(fileName, text) {
      if (fileName === "poetry.lock")
        return matchAll(text, /^\[\[package\]\]\s*\nname\s*=\s*"([^"]+)"\s*\nversion\s*=\s*"([^"]+)"/gm, (m) =>
          exactPin(m[1]!, m[2]!),
        );
      if (fileName === "Pipfile.lock") {
        const data = JSON.parse(text) as Record<string, Record<string, { version?: unknown }> | undefined>;
        return ["default", "develop"].flatMap((section) =>
          Object.entries(data[section] ?? {}).flatMap(([name, entry]) =>
            typeof entry?.version === "string" ? [pinOf(name, entry.version)] : [],
          ),
        );
      }
      // requirements.txt: `name==1.2.3` is what is installed; `name>=1.2` only a floor.
      return matchAll(text, /^\s*([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*((?:==|>=|~=|<=|!=|>|<)[^;#\s]+)/gm, (m) =>
        pinOf(m[1]!, m[2]!),
      );
    },
  },
  rubygems: {
    files: ["Gemfile.lock"],
    normalize: asIs,
    read: (_, text) => matchAll(text, /^ {4}([\w.-]+) \(([^)\s]+)\)$/gm, (m) => exactPin(m[1]!, m[2]!)),
  },
  go: {
    files: ["go.mod", "Gopkg.lock"],
    normalize: asIs,
    read(fileName, text) {
      // dep's lock: a [[projects]] table per library, its tag in `version` (a project pinned to a commit alone
      // says no version).
      if (fileName === "Gopkg.lock")
        return text.split(/^\[\[projects\]\]/m).flatMap((table) => {
          const name = /^\s*name\s*=\s*"([^"]+)"/m.exec(table)?.[1];
          const version = /^\s*version\s*=\s*"(v?\d[^"]*)"/m.exec(table)?.[1];
          return name && version ? [exactPin(name, version)] : [];
        });
      // `require path v1.2.3` and the lines of a `require ( … )` block; +incompatible is no part of the version.
      return matchAll(
        text,
        /^\s*(?:require\s+)?([\w.~-]+(?:\/[\w.~-]+)+)\s+(v[\w.-]+)(?:\+incompatible)?\s*(?:\/\/.*)?$/gm,
        (m) => exactPin(m[1]!, m[2]!),
      );
    },
  },
  nuget: {
    files: ["packages.lock.json", "packages.config", /\.(?:cs|fs|vb)proj$/i, "Directory.Packages.props"],
    normalize: (name) => name.toLowerCase(),
    read(fileName, text) {
      if (fileName === "packages.lock.json") {
        const data = JSON.parse(text) as { dependencies?: Record<string, Record<string, { resolved?: unknown }>> };
        return Object.values(data.dependencies ?? {}).flatMap((framework) =>
          Object.entries(framework).flatMap(([name, entry]) =>
            typeof entry?.resolved === "string" ? [exactPin(name, entry.resolved)] : [],
          ),
        );
      }
      // <PackageReference Include="X" Version="1.2.3" />, <PackageVersion …>, <package id="X" version="1.2.3" />;
      // a NuGet version alone is the lowest it accepts, which is what it restores.
      return matchAll(
        text,
        /<(?:PackageReference|PackageVersion|package)\s[^>]*?\b(?:Include|id)="([^"]+)"[^>]*?\b[Vv]ersion="([^"]+)"/g,
        (m) => pinOf(m[1]!, m[2]!),
      );
    },
  },
  maven: {
    files: ["gradle.lockfile", "pom.xml", "build.gradle", "build.gradle.kts"],
    normalize: asIs,
    read(fileName, text) {
      if (fileName === "pom.xml")
        return matchAll(
          text,
          /<dependency>\s*<groupId>([^<]+)<\/groupId>\s*<artifactId>([^<]+)<\/artifactId>\s*<version>([^<]+)<\/version>/g,
          (m) => pinOf(`${m[1]!.trim()}:${m[2]!.trim()}`, m[3]!.trim()),
        );
      // build.gradle 'group:artifact:version' strings; gradle.lockfile group:artifact:version=configurations.
      return matchAll(text, /["'\s^]([\w.-]+):([\w.-]+):(\d[\w.-]*)(?=["'=\s])/gm, (m) =>
        pinOf(`${m[1]}:${m[2]}`, m[3]!),
      );
    },
  },
};

interface NpmFile {
  packages?: Record<string, { version?: unknown } | undefined>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
}
