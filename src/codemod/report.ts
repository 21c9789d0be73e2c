import pc from "picocolors";
import { unifiedDiff, type DiffColors } from "../formatters/diff.js";

// What `fix` prints: a unified diff per changed file, the cases left for a person, then a summary; or
// the JSON shape of issue 2 for tools.

export interface ReviewItem {
  line: number;
  column: number;
  message: string;
}

export interface FileReport {
  path: string;
  status: "changed" | "unchanged" | "skipped" | "error";
  reason?: string;
  review: ReviewItem[];
  /** Text before and after the rewrite, for the diff; never part of the JSON. */
  before?: string;
  after?: string;
}

export interface FixReport {
  files: FileReport[];
  summary: { changed: number; unchanged: number; skipped: number; errors: number; review: number };
  elapsedMs: number;
  written: boolean;
}

export function printJson(report: FixReport): void {
  const files = report.files.map(({ path, status, reason, review }) => ({ path, status, ...(reason ? { reason } : {}), review }));
  process.stdout.write(`${JSON.stringify({ files, summary: report.summary }, null, 2)}\n`);
}

export function printText(report: FixReport, color: boolean): void {
  const c = pc.createColors(color && pc.isColorSupported);
  const diffColors: DiffColors = { removed: c.red, added: c.green, hunk: c.cyan, header: c.bold };
  const out: string[] = [];
  for (const file of report.files) {
    if (file.before !== undefined && file.after !== undefined && file.status !== "error") {
      out.push(unifiedDiff(file.path, file.before, file.after, diffColors));
    }
  }
  const review = report.files.flatMap((f) => f.review.map((r) => `${f.path}:${r.line}:${r.column}  ${r.message}`));
  if (review.length > 0) out.push(c.yellow(c.bold("Needs review:")), ...review.map((line) => `  ${line}`), "");
  const problems = report.files.filter((f) => f.status === "skipped" || f.status === "error");
  for (const file of problems) {
    const label = file.status === "error" ? c.red("error") : c.yellow("skipped");
    out.push(`${label} ${file.path}: ${file.reason ?? ""}`);
  }
  if (problems.length > 0) out.push("");
  const s = report.summary;
  const verb = report.written ? "changed" : "to change";
  out.push(
    `${s.changed} ${verb}, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.errors} error(s), ${s.review} need review` +
    ` (${Math.round(report.elapsedMs)} ms)` +
    (report.written || s.changed === 0 ? "" : c.dim(" — dry run, nothing written; add --write to apply")),
  );
  process.stdout.write(`${out.join("\n")}\n`);
}
