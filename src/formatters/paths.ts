import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { FileFinding } from "../core/finding.js";
import type { LintReport } from "../core/report.js";
import { pathInside } from "../core/relative-path.js";

// Paths in reports: file findings grouped by file, and repository-relative paths for viewers that resolve
// them against the checkout (SARIF, GitHub annotations).

/** File findings grouped by path, in the order given. */
export function groupByFile(findings: readonly FileFinding[]): Map<string, FileFinding[]> {
  const groups = new Map<string, FileFinding[]>();
  for (const finding of findings) {
    const path = finding.location.file.path;
    const group = groups.get(path);
    if (group) group.push(finding);
    else groups.set(path, [finding]);
  }
  return groups;
}

/** A finding path (relative to cwd) relative to the source root; undefined when it lies outside. */
export function rootRelativePath(report: Pick<LintReport, "cwd" | "sourceRoot">, path: string): string | undefined {
  return pathInside(report.sourceRoot, resolve(report.cwd, path));
}

export function fileUrl(path: string, directory = false): string {
  const url = pathToFileURL(path).href;
  return directory && !url.endsWith("/") ? `${url}/` : url;
}
