import { countBySeverity } from "../core/finding.js";
import type { LintReport } from "../core/report.js";
import { groupByFile, rootRelativePath } from "./paths.js";

// GitHub Actions workflow commands (annotations on the pull request) and a Markdown table for the job
// summary. Paths are repository-relative: GitHub resolves them against the checkout.

export function formatGithub(report: LintReport): string {
  const lines: string[] = [];
  for (const findings of groupByFile(report.findings).values()) {
    for (const finding of findings) {
      const { file } = finding.location;
      const properties = [
        ["file", rootRelativePath(report, file.path) ?? file.path],
        ["line", String(file.line)],
        ["col", String(file.column)],
        ["endLine", String(file.endLine)],
        ["endColumn", String(file.endColumn)],
        ["title", finding.ruleId],
      ].map(([key, value]) => `${key}=${escapeProperty(value!)}`);
      lines.push(
        `::${finding.severity === "error" ? "error" : "warning"} ` +
          `${properties.join(",")}::${escapeData(finding.message)}`,
      );
    }
  }
  return lines.map((line) => `${line}\n`).join("");
}

/** The step summary: counts and one table row per finding. */
export function githubSummary(report: LintReport): string {
  const { errors, warnings } = countBySeverity(report.findings);
  const out = [
    `### msi2imds lint`,
    "",
    `${errors} error(s), ${warnings} warning(s), ${report.skipped.length} file(s) skipped.`,
    "",
  ];
  if (report.findings.length > 0) {
    out.push("| Severity | Rule | File | Line | Message |", "|---|---|---|---|---|");
    for (const findings of groupByFile(report.findings).values()) {
      for (const f of findings) {
        out.push(
          `| ${f.severity} | \`${f.ruleId}\` ` +
            `| \`${cell(rootRelativePath(report, f.location.file.path) ?? f.location.file.path)}\` ` +
            `| ${f.location.file.line} | ${cell(f.message)} |`,
        );
      }
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
