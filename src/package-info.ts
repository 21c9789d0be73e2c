import { readFileSync } from "node:fs";

// The package's own name, version and home, read once from its manifest (two folders up from dist/src/ when
// built, one up from src/ under tsx; the first package.json found going up is ours).

export interface PackageInfo {
  name: string;
  version: string;
  /** The project's home page; rule docs are published under it. */
  homepage: string;
  /** The folder holding package.json. */
  root: URL;
}

let cached: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  for (const relative of ["../package.json", "../../package.json"]) {
    const manifest = new URL(relative, import.meta.url);
    let text: string;
    try {
      text = readFileSync(manifest, "utf8");
    } catch {
      continue;
    }
    const { name, version, homepage } = JSON.parse(text) as { name: string; version: string; homepage?: string };
    cached = { name, version, homepage: homepage ?? "", root: new URL(".", manifest) };
    return cached;
  }
  throw new Error("the package's package.json was not found");
}

export function toolInfo(): { name: string; version: string } {
  const { name, version } = packageInfo();
  return { name, version };
}
