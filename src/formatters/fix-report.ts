import pc from "picocolors";
import { unifiedDiff, type DiffColors } from "./diff.js";

// What `fix` prints: a unified diff per changed file, the cases left for a person, then a summary; or
// the JSON shape of issue 2 for tools. Both are written as the files come, in file order: a diff or an
// entry is printed and dropped, so neither the texts nor the report grow with the size of the tree.

export interface ReviewItem {
  line: number;
  column: number;
  message: string;
}

export interface FileReport {
  path: string;
  status: "changed" | "unchanged" | "skipped" | "error";
  reason?: string;
  review: readonly ReviewItem[];
  /** Text before and after the rewrite, for the diff; never part of the JSON. */
  before?: string;
  after?: string;
}

export interface FixSummary {
  changed: number;
  unchanged: number;
  skipped: number;
  errors: number;
  review: number;
}

export interface FixReporter {
  add(file: FileReport): void;
  /** Prints what comes after the files and returns the counts. */
  finish(elapsedMs: number): FixSummary;
}

export type Write = (text: string) => void;

/** Gathers small pieces into writes of a useful size. */
export function bufferedStdout(): { write: Write; flush(): void } {
  let pending = "";
  const flush = () => {
    if (pending) process.stdout.write(pending);
    pending = "";
  };
  return {
    write(text) {
      pending += text;
      if (pending.length >= 1 << 16) flush();
    },
    flush,
  };
}

function counter(): { count(file: FileReport): void; summary: FixSummary } {
  const summary: FixSummary = { changed: 0, unchanged: 0, skipped: 0, errors: 0, review: 0 };
  const key = { changed: "changed", unchanged: "unchanged", skipped: "skipped", error: "errors" } as const;
  return {
    count(file) {
      summary[key[file.status]]++;
      summary.review += file.review.length;
    },
    summary,
  };
}

/** `{ "files": [...], "summary": {...} }`, byte for byte as JSON.stringify(…, null, 2) would print it. */
export function jsonReporter(write: Write): FixReporter {
  const { count, summary } = counter();
  let files = 0;
  write('{\n  "files": [');
  return {
    add(file) {
      count(file);
      const { path, status, reason, review } = file;
      const entry = reason || review.length > 0
        ? indented({ path, status, ...(reason ? { reason } : {}), review }, "    ")
        // Nearly every entry, written out without a stringify of the whole object (a tenth of fix's time over a large tree).
        : `{\n      "path": ${JSON.stringify(path)},\n      "status": ${JSON.stringify(status)},\n      "review": []\n    }`;
      write(`${files++ === 0 ? "\n    " : ",\n    "}${entry}`);
    },
    finish() {
      write(`${files > 0 ? "\n  ]" : "]"},\n  "summary": ${indented(summary, "  ")}\n}\n`);
      return summary;
    },
  };
}

function indented(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replaceAll("\n", `\n${indent}`);
}

export function textReporter(write: Write, options: { color: boolean; written: boolean }): FixReporter {
  const c = pc.createColors(options.color && pc.isColorSupported);
  const diffColors: DiffColors = { removed: c.red, added: c.green, hunk: c.cyan, header: c.bold };
  const { count, summary } = counter();
  const review: string[] = [];
  const problems: FileReport[] = [];
  return {
    add(file) {
      count(file);
      if (file.before !== undefined && file.after !== undefined && file.status !== "error") write(`${unifiedDiff(file.path, file.before, file.after, diffColors)}\n`);
      for (const r of file.review) review.push(`${file.path}:${r.line}:${r.column}  ${r.message}`);
      if (file.status === "skipped" || file.status === "error") problems.push({ path: file.path, status: file.status, reason: file.reason ?? "", review: [] });
    },
    finish(elapsedMs) {
      const out: string[] = [];
      if (review.length > 0) out.push(c.yellow(c.bold("Needs review:")), ...review.map((line) => `  ${line}`), "");
      for (const file of problems) {
        const label = file.status === "error" ? c.red("error") : c.yellow("skipped");
        out.push(`${label} ${file.path}: ${file.reason}`);
      }
      if (problems.length > 0) out.push("");
      const s = summary;
      const verb = options.written ? "changed" : "to change";
      out.push(
        `${s.changed} ${verb}, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.errors} error(s), ${s.review} need review` +
        ` (${Math.round(elapsedMs)} ms)` +
        (options.written || s.changed === 0 ? "" : c.dim(" — dry run, nothing written; add --write to apply")),
      );
      write(`${out.join("\n")}\n`);
      return summary;
    },
  };
}
