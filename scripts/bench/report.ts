import { median, type Sample } from "./measure.js";
import type { Score } from "./score.js";

// The benchmark's table, for the terminal and as Markdown for the README.

export interface ToolResult {
  name: string;
  /** Why there are no timings: not available, failed, timed out. */
  problem?: string;
  samples: Sample[];
  score?: Score;
  note?: string;
}

export interface Row {
  tool: string;
  wall: string;
  ratio: string;
  cpu: string;
  rss: string;
  found: string;
  extra: string;
  note: string;
}

const HEADERS: Row = {
  tool: "tool",
  wall: "median wall",
  ratio: "× rg -l",
  cpu: "CPU (user+sys)",
  rss: "peak RSS",
  found: "planted found",
  extra: "extra hits",
  note: "note",
};

export function tableRows(results: readonly ToolResult[], baselineName: string): Row[] {
  const baseline = median(results.find((r) => r.name === baselineName)?.samples.map((s) => s.wallMs) ?? []);
  return results.map((result) => {
    const wall = median(result.samples.map((s) => s.wallMs));
    const cpu = median(result.samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs])));
    const rss = Math.max(0, ...result.samples.map((s) => s.peakRssKb ?? 0));
    const runs = result.samples.length;
    return {
      tool: result.name,
      wall: wall === undefined ? "—" : seconds(wall),
      ratio: wall === undefined || !baseline ? "—" : `${(wall / baseline).toFixed(1)}×`,
      cpu: cpu === undefined ? "—" : seconds(cpu),
      rss: rss === 0 ? "—" : `${Math.round(rss / 1024)} MB`,
      found: result.score ? `${result.score.found}/${result.score.expected}` : "—",
      extra: result.score ? String(result.score.extra.length) : "—",
      note: [result.problem, runs > 0 ? `${runs} run${runs === 1 ? "" : "s"}` : undefined, result.note]
        .filter(Boolean)
        .join("; "),
    };
  });
}

export function textTable(rows: readonly Row[]): string {
  const all = [HEADERS, ...rows];
  const keys = Object.keys(HEADERS) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(...all.map((r) => r[k].length)));
  const line = (r: Row) =>
    keys
      .map((k, i) => (k === "tool" || k === "note" ? r[k].padEnd(widths[i]!) : r[k].padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(HEADERS), keys.map((_, i) => "-".repeat(widths[i]!)).join("  "), ...rows.map(line)].join("\n");
}

export function markdownTable(rows: readonly Row[]): string {
  const keys = Object.keys(HEADERS) as (keyof Row)[];
  const line = (r: Row) => `| ${keys.map((k) => r[k].replace(/\|/g, "\\|")).join(" | ")} |`;
  const align = `|${keys.map((k) => (k === "tool" || k === "note" ? " --- |" : " ---: |")).join("")}`;
  return [line(HEADERS), align, ...rows.map(line)].join("\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
