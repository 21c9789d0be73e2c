import { stripVTControlCharacters } from "node:util";
import pc from "picocolors";
import { countBySeverity, type FileFinding } from "../core/finding.js";
import { languageOf, REWRITTEN_SCRIPT_LANGUAGES, type Language } from "../core/language.js";
import type { LintReport } from "../core/report.js";
import { groupByFile } from "./paths.js";

// ESLint's terminal format: findings grouped under their file, aligned columns, a total at the end.

export function formatStylish(report: LintReport, color = true): string {
  const c = pc.createColors(color);
  const out: string[] = [];
  for (const [path, findings] of groupByFile(report.findings)) {
    out.push("", c.underline(path));
    const rows = findings.map((f) => [
      `${f.location.file.line}:${f.location.file.column}`,
      f.severity === "error" ? c.red("error") : c.yellow("warning"),
      f.message,
      c.dim(f.ruleId),
    ]);
    const width = (i: number) => Math.max(...rows.map((r) => visibleLength(r[i]!)));
    const widths = [width(0), width(1)];
    for (const row of rows)
      out.push(`  ${pad(row[0]!, widths[0]!)}  ${pad(row[1]!, widths[1]!)}  ${row[2]}  ${row[3]}`);
  }
  const { errors, warnings } = countBySeverity(report.findings);
  const total = errors + warnings;
  if (total > 0) {
    const summary = `✖ ${plural(total, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")})`;
    out.push("", errors > 0 ? c.red(c.bold(summary)) : c.yellow(c.bold(summary)));
    const fixable = report.findings.filter((f) => f.fix && f.fix.length > 0).length;
    if (fixable > 0) out.push(c.dim(`  ${plural(fixable, "problem")} fixable with --fix`));
    // Scripts are rewritten by the codemod, not by edits a finding carries: which ones, only a run tells.
    const rewritable = (f: FileFinding, languages: readonly Language[]) =>
      f.severity === "error" &&
      !f.fix &&
      SCRIPT_REWRITE_RULES.includes(f.ruleId) &&
      languages.includes(languageOf(f.location.file.path) ?? "text");
    const inScripts = report.findings.filter((f) => rewritable(f, REWRITTEN_SCRIPT_LANGUAGES)).length;
    if (inScripts > 0)
      out.push(
        c.dim(`  --fix also rewrites what it can of ${plural(inScripts, "problem")} in scripts (fix lists the rest)`),
      );
    // lint --fix leaves notebooks; fix --write rewrites their cells.
    const inNotebooks = report.findings.filter((f) => rewritable(f, ["notebook"])).length;
    if (inNotebooks > 0)
      out.push(c.dim(`  msi2imds fix --write rewrites what it can of ${plural(inNotebooks, "problem")} in notebooks`));
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

/** The rules whose findings in scripts the codemod rewrites: calls to the extension, `az login --msi`. */
const SCRIPT_REWRITE_RULES: readonly string[] = ["no-extension-endpoint-text", "no-legacy-msi-sdk"];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visibleLength(text)));
}
