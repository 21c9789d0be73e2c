// A library's version as a project pins it (read by files/dependencies.ts from its lock files and
// manifests), and how versions compare: what a rule needs to say whether an old SDK still calls the
// extension.

/** Package ecosystems: npm, PyPI, RubyGems, Go modules, NuGet, Maven (and Gradle). */
export type Ecosystem = "npm" | "pypi" | "rubygems" | "go" | "nuget" | "maven";

export interface PinnedVersion {
  name: string;
  /** The version, or the range a manifest asks for. */
  version: string;
  /** From a lock file (or an exact pin in a manifest): the version that is installed. */
  exact: boolean;
  /** The file it was read from, relative to the working directory. */
  source: string;
}

export function isExactVersion(version: string): boolean {
  return /^=?v?\d+(?:\.\d+){1,3}(?:[-+][\w.-]+)?$/.test(version.trim());
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
