import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { isFileFinding, type FileRange, type Finding, type Severity } from "../core/finding.js";
import { findRepositoryRoot } from "../pipeline/discover.js";

// What the lint formatters (stylish, json, sarif, github) render: file findings of the core model plus
// the rules that ran and the files that could not be read.

export interface RuleDescriptor {
  id: string;
  description: string;
  severity: Severity;
  fixable: boolean;
  /** Absolute path of the rule's Markdown doc, when it has one. */
  docPath?: string | undefined;
}

export interface LintReport {
  findings: readonly Finding[];
  /** The directory finding paths are relative to. */
  cwd: string;
  rules: readonly RuleDescriptor[];
  skipped: readonly { path: string; reason: string }[];
  /** Failures of the tool itself: the run is incomplete. */
  toolErrors: readonly string[];
  toolVersion: string;
}

export type LintFormatter = (report: LintReport) => string;

export type FileFinding = Finding & { location: { file: FileRange } };

/** File findings grouped by path, in the order given. */
export function groupByFile(findings: readonly Finding[]): Map<string, FileFinding[]> {
  const groups = new Map<string, FileFinding[]>();
  for (const finding of findings) {
    if (!isFileFinding(finding)) continue;
    const path = finding.location.file.path;
    groups.set(path, [...(groups.get(path) ?? []), finding]);
  }
  return groups;
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === "error").length;
  return { errors, warnings: findings.length - errors };
}

/**
 * Where repository-relative paths start: the repository root above `cwd` (SARIF viewers and GitHub
 * annotations resolve paths against it), or `cwd` outside a repository.
 */
export function sourceRoot(cwd: string): string {
  return findRepositoryRoot(cwd) ?? resolve(cwd);
}

/** A finding path (relative to cwd) relative to the source root; undefined when it lies outside. */
export function rootRelativePath(report: Pick<LintReport, "cwd">, path: string): string | undefined {
  const absolute = resolve(report.cwd, path);
  const rel = relative(sourceRoot(report.cwd), absolute);
  if (rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

export function fileUrl(path: string, directory = false): string {
  const url = pathToFileURL(path).href;
  return directory && !url.endsWith("/") ? `${url}/` : url;
}
