import pc from "picocolors";
import type { Finding } from "../core/finding.js";
import type { FixFileReport, FixSummary } from "../core/report.js";
import { unifiedDiff, type DiffColors } from "./diff.js";

// What `fix` prints: a unified diff per changed file, the cases left for a person, then a summary; or JSON
// for tools. Both are rendered as the files come, in file order: a diff or an entry is printed and dropped,
// so neither the texts nor the report grow with the size of the tree.

export interface FixRenderer {
  /** What goes out before the first file. */
  start(): string;
  /** What goes out when a file is done. */
  file(report: FixFileReport): string;
  /** What goes out after the last file. */
  end(summary: FixSummary, elapsedMs: number): string;
}

/** A review item as the JSON shows it: where it is, what it says, and the finding's rule and fingerprint. */
export function reviewItem(finding: Finding) {
  const at = "file" in finding.location ? finding.location.file : undefined;
  return {
    line: at?.line ?? 0,
    column: at?.column ?? 0,
    endLine: at?.endLine ?? 0,
    endColumn: at?.endColumn ?? 0,
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: reviewMessage(finding),
    fingerprint: finding.fingerprint,
  };
}

/** A finding that came with a fix and is still there after the fix loop was left unfixed on purpose. */
function reviewMessage(finding: Finding): string {
  return finding.fix ? `left unfixed: ${finding.message}` : finding.message;
}

/** `{ "files": [...], "summary": {...} }`, byte for byte as JSON.stringify(…, null, 2) would print it. */
export function fixJsonRenderer(): FixRenderer {
  let files = 0;
  return {
    start: () => '{\n  "files": [',
    file({ path, status, reason, review, notes }) {
      const entry =
        reason || review.length > 0 || notes
          ? indented(
              {
                path,
                status,
                ...(reason ? { reason } : {}),
                ...(notes ? { notes } : {}),
                review: review.map(reviewItem),
              },
              "    ",
            )
          : // Nearly every entry, written out without a stringify of the whole object (a tenth of fix's time over a
            // large tree).
            `{\n      "path": ${JSON.stringify(path)},\n      "status": ${JSON.stringify(status)},\n` +
            `      "review": []\n    }`;
      return `${files++ === 0 ? "\n    " : ",\n    "}${entry}`;
    },
    end: (summary) => `${files > 0 ? "\n  ]" : "]"},\n  "summary": ${indented(summary, "  ")}\n}\n`,
  };
}

function indented(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replaceAll("\n", `\n${indent}`);
}

export function fixTextRenderer(options: { color: boolean; written: boolean }): FixRenderer {
  const c = pc.createColors(options.color);
  const diffColors: DiffColors = { removed: c.red, added: c.green, hunk: c.cyan, header: c.bold };
  const review: string[] = [];
  let items = 0;
  let files = 0;
  const problems: string[] = [];
  return {
    start: () => "",
    file(file) {
      const grouped = reviewItems(file.review);
      if (grouped.length > 0) {
        files++;
        items += grouped.length;
        review.push(`${file.path} ${c.dim(`(${count(grouped.length, "item")})`)}`);
        for (const item of grouped) {
          const more = item.lines.length > 1 ? `×${item.lines.length} (lines ${item.lines.join(", ")})  ` : "";
          review.push(`  ${file.path}:${item.line}:${item.column}  ${more}${item.message}`);
        }
      }
      if (file.status === "skipped" || file.status === "error") {
        problems.push(
          `${file.status === "error" ? c.red("error") : c.yellow("skipped")} ${file.path}: ${file.reason ?? ""}`,
        );
      }
      const changed = file.before !== undefined && file.after !== undefined && file.status !== "error";
      if (!changed) return "";
      // Under its diff, what the diff alone does not tell: other text that changed with it, code it removed.
      const notes = (file.notes ?? []).map((note) => `${c.dim("note:")} ${note}\n`).join("");
      return `${unifiedDiff(file.path, file.before!, file.after!, diffColors)}\n${notes}`;
    },
    end(s, elapsedMs) {
      const out: string[] = [];
      if (review.length > 0) {
        const heading = `Needs review: ${count(items, "item")} in ${count(files, "file")}`;
        out.push(c.yellow(c.bold(heading)), ...review.map((line) => `  ${line}`), "");
      }
      if (problems.length > 0) out.push(...problems, "");
      const verb = options.written ? "changed" : "to change";
      out.push(
        `${s.changed} ${verb}, ${s.unchanged} unchanged, ${s.skipped} skipped, ` +
          `${s.errors} error(s), ${review.length > 0 ? items : s.review} need review` +
          ` (${Math.round(elapsedMs)} ms)` +
          (options.written || s.changed === 0 ? "" : c.dim(" — dry run, nothing written; add --write to apply")),
      );
      return `${out.join("\n")}\n`;
    },
  };
}

interface ReviewItem {
  line: number;
  column: number;
  message: string;
  /** Every line a finding with this very message sits on, the first one's first. */
  lines: number[];
}

/** A file's findings with one message read as one item: 14 identical call sites are one thing to do. */
function reviewItems(findings: readonly Finding[]): ReviewItem[] {
  const byMessage = new Map<string, ReviewItem>();
  for (const finding of findings) {
    const at = "file" in finding.location ? finding.location.file : { line: 0, column: 0 };
    const message = reviewMessage(finding);
    const item = byMessage.get(message);
    if (item) item.lines.push(at.line);
    else byMessage.set(message, { line: at.line, column: at.column, message, lines: [at.line] });
  }
  return [...byMessage.values()];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
