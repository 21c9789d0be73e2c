import type { LintReport } from "../core/report.js";
import { groupByFile, rootRelativePath } from "./paths.js";

// GitLab's Code Quality report (the Code Climate issue subset GitLab reads): one issue per finding, shown
// in the merge request's widget and diff. Paths are relative to the repository root, as GitLab resolves
// them against the checkout; the fingerprint is the finding's, so an issue keeps its identity across lines
// moving and GitLab can tell new ones from fixed ones.

export interface CodeQualityIssue {
  type: "issue";
  check_name: string;
  description: string;
  categories: string[];
  severity: "minor" | "major";
  fingerprint: string;
  location: { path: string; lines: { begin: number; end: number } };
}

export function toCodeQuality(report: LintReport): CodeQualityIssue[] {
  return [...groupByFile(report.findings).values()].flat().map((finding) => {
    const { file } = finding.location;
    return {
      type: "issue",
      check_name: finding.ruleId,
      description: finding.message,
      categories: ["Bug Risk"],
      severity: finding.severity === "error" ? "major" : "minor",
      fingerprint: finding.fingerprint,
      location: {
        path: rootRelativePath(report, file.path) ?? file.path,
        lines: { begin: file.line, end: file.endLine },
      },
    };
  });
}

export function formatGitlab(report: LintReport): string {
  return `${JSON.stringify(toCodeQuality(report), null, 2)}\n`;
}
