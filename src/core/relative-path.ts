import { isAbsolute, relative, sep } from "node:path";

// Whether a path lies inside a folder, told by whole path segments: `..dotdot.py` and `..d/a.py` are inside
// (their names only start with two dots); `..` and `../x` are not.

/** `path` relative to `base`, with forward slashes; undefined when it lies outside `base`. */
export function pathInside(base: string, path: string): string | undefined {
  const rel = relative(base, path);
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}
