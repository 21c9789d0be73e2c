import { createHash } from "node:crypto";

// The one finding model: every job (fix, lint, scan, remove) reports through it and every formatter renders it.

export type Severity = "error" | "warning";

/** 1-based lines and columns, end exclusive, as ESLint and SARIF count them. */
export interface FileRange {
  /** Relative to the working directory, with forward slashes. */
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type FindingLocation = { file: FileRange } | { resourceId: string };

/** A replacement of text[start, end) in the decoded file text (BOM excluded, line endings as in the file). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  location: FindingLocation;
  /** Present only when the rule declared itself fixable and the change provably keeps behaviour. */
  fix?: readonly TextEdit[];
  /** Stable across unrelated edits to the file: rule, path and the flagged text, not its line number. */
  fingerprint: string;
}

export function isFileFinding(finding: Finding): finding is Finding & { location: { file: FileRange } } {
  return "file" in finding.location;
}

/**
 * Fingerprints hash what was flagged rather than where, so a baseline survives lines moving;
 * `occurrence` tells apart identical snippets in one file.
 */
export function fingerprintOf(ruleId: string, scope: string, snippet: string, occurrence = 0): string {
  const normalized = snippet.replace(/\s+/g, " ").trim();
  return createHash("sha256").update(`${ruleId}\0${scope}\0${normalized}\0${occurrence}`).digest("hex").slice(0, 32);
}

/** Ordinal order (not the locale's): the same report on every machine, and no collator to load. */
export function compareFindings(a: Finding, b: Finding): number {
  const pa = "file" in a.location ? a.location.file : undefined;
  const pb = "file" in b.location ? b.location.file : undefined;
  if (pa && pb) {
    return compareText(pa.path, pb.path) || pa.line - pb.line || pa.column - pb.column || compareText(a.ruleId, b.ruleId);
  }
  const ka = pa ? pa.path : (a.location as { resourceId: string }).resourceId;
  const kb = pb ? pb.path : (b.location as { resourceId: string }).resourceId;
  return compareText(ka, kb) || compareText(a.ruleId, b.ruleId);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
