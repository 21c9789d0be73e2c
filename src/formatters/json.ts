import { countBySeverity } from "../core/finding.js";
import type { LintReport } from "../core/report.js";
import { groupByFile } from "./paths.js";

// ESLint's JSON result shape, so tools that read `eslint -f json` read ours.

export interface EslintMessage {
  ruleId: string;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  errorCount: number;
  warningCount: number;
}

export function toEslintResults(report: LintReport): EslintResult[] {
  return [...groupByFile(report.findings)].map(([filePath, findings]) => ({
    filePath,
    messages: findings.map(({ ruleId, severity, message, location: { file } }) => ({
      ruleId,
      severity: severity === "error" ? 2 : 1,
      message,
      line: file.line,
      column: file.column,
      endLine: file.endLine,
      endColumn: file.endColumn,
    })),
    ...(({ errors, warnings }) => ({ errorCount: errors, warningCount: warnings }))(countBySeverity(findings)),
  }));
}

export function formatJson(report: LintReport): string {
  return `${JSON.stringify(toEslintResults(report), null, 2)}\n`;
}
