import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { relative, sep } from "node:path";
import { EXTENSION_DEFAULT_PORT } from "../../src/imds.js";
import type { Corpus } from "./corpus.js";
import type { Invocation } from "./measure.js";
import type { Peers } from "./peers.js";

// The tools compared side by side, each with the command line it is timed with and how to read the
// places it reported from its output.

/** A place a tool reported: a whole file when it has no line. */
export interface Hit {
  path: string;
  line?: number;
  endLine?: number;
}

interface ToolIdentity {
  name: string;
  /** Which planted sites the tool can be expected to find: all, those in JS/TS files, or those fix handles. */
  scope: "all" | "jsts" | "codemod";
  /** msi2imds itself: a planted site it misses fails the benchmark. */
  mustFindAll: boolean;
}

export interface UnavailableTool extends ToolIdentity {
  /** Why it cannot run here. */
  unavailable: string;
}

export interface RunnableTool extends ToolIdentity {
  unavailable?: undefined;
  invocation: Invocation;
  /** Exit codes that mean the tool ran to the end (linters exit 1 when they report something). */
  okExitCodes: readonly number[];
  /** When the timed output does not say where (fix's JSON has no lines): a run whose output does. */
  hitsInvocation?: Invocation;
  /** Absent for a row that only times something (Node's start). */
  readHits?(outputFile: string): { hits: Hit[]; note?: string };
}

export interface ToolContext {
  corpus: Corpus;
  projectRoot: string;
  ripgrep: string | undefined;
  peers: Peers | string;
}

export type Tool = RunnableTool | UnavailableTool;

export function benchmarkTools(context: ToolContext): Tool[] {
  return [
    ripgrepTool(context),
    nodeStartTool(context),
    nodeFloorTool(context, 1),
    nodeFloorTool(context, 2),
    msi2imdsTool("lint", context),
    msi2imdsTool("fix", context),
    astGrepTool(context),
    eslintTool(context),
  ];
}

function ripgrepTool({ corpus, ripgrep }: ToolContext): Tool {
  const identity: ToolIdentity = { name: "rg -l", scope: "all", mustFindAll: false };
  if (ripgrep) return { ...identity, unavailable: ripgrep };
  return {
    ...identity,
    invocation: { file: "rg", args: ["-l", String(EXTENSION_DEFAULT_PORT), "."], cwd: corpus.root },
    okExitCodes: [0, 1],
    readHits: (outputFile) => ({
      hits: nonEmptyLines(outputFile).map((line) => ({ path: line.replace(/^\.\//, "") })),
    }),
  };
}

/** What every Node tool pays before its first line of code runs (NODE_EXTRA_CA_CERTS, if set, is read then). */
function nodeStartTool({ corpus }: ToolContext): Tool {
  return {
    name: "node start",
    scope: "all",
    mustFindAll: false,
    invocation: { file: process.execPath, args: ["-e", ""], cwd: corpus.root },
    okExitCodes: [0],
  };
}

/** What a Node process pays before any analysis: start, walk, read, indexOf; on one thread or two. */
function nodeFloorTool({ corpus, projectRoot }: ToolContext, threads: 1 | 2): Tool {
  return {
    name: threads === 1 ? "node read+indexOf" : "node read+indexOf, 2 threads",
    scope: "all",
    mustFindAll: false,
    invocation: {
      file: process.execPath,
      args: [`${projectRoot}/scripts/bench/node-floor.mjs`, String(EXTENSION_DEFAULT_PORT), String(threads)],
      cwd: corpus.root,
    },
    okExitCodes: [0],
    readHits: (outputFile) => ({ hits: nonEmptyLines(outputFile).map((path) => ({ path })) }),
  };
}

function msi2imdsTool(command: "lint" | "fix", { corpus, projectRoot }: ToolContext): Tool {
  const cli = `${projectRoot}/dist/src/cli.js`;
  const identity: ToolIdentity = {
    name: `msi2imds ${command}`,
    scope: command === "lint" ? "all" : "codemod",
    mustFindAll: true,
  };
  if (commandMissing(cli, command)) return { ...identity, unavailable: "not available (not built yet)" };
  // Default options: fix and lint check the same ports.
  const run = (...args: string[]): Invocation => ({
    file: process.execPath,
    args: [cli, command, ...args, "."],
    cwd: corpus.root,
  });
  if (command === "lint") {
    return {
      ...identity,
      invocation: run("--format", "json"),
      okExitCodes: [0, 1],
      readHits: (outputFile) => ({ hits: fileRangesIn(JSON.parse(readFileSync(outputFile, "utf8")), corpus.root) }),
    };
  }
  return {
    ...identity,
    // A dry run: nothing in the corpus changes between runs. Its JSON names files, its diff names lines.
    invocation: run("--format", "json"),
    okExitCodes: [0, 1],
    hitsInvocation: run("--format", "text", "--no-color"),
    readHits: (outputFile) => ({ hits: diffAndReviewLines(readFileSync(outputFile, "utf8")) }),
  };
}

/** The old-file lines a unified diff removes or replaces, and the "path:line:column" lines left for review. */
export function diffAndReviewLines(text: string): Hit[] {
  const hits: Hit[] = [];
  let path: string | undefined;
  let oldLine = 0;
  for (const line of text.split("\n")) {
    const header = /^--- a\/(.+)$/.exec(line);
    const hunk = /^@@ -(\d+)/.exec(line);
    if (header) path = header[1];
    else if (path && hunk) oldLine = Number(hunk[1]);
    else if (path && line.startsWith("-")) hits.push({ path, line: oldLine++ });
    else if (path && line.startsWith(" ")) oldLine++;
    else if (path && (line === "" || line.startsWith("+"))) continue;
    else {
      // Past the diffs: the review list, then the summary.
      path = undefined;
      // "  path:line:col  message", or for several findings with one message "… ×3 (lines 4, 9, 12)  message".
      const review = /^ {2,}(\S+):(\d+):\d+ {2}(?:×\d+ \(lines ([\d, ]+)\) {2})?/.exec(line);
      const lines = review?.[3]?.split(", ").map(Number) ?? (review ? [Number(review[2])] : []);
      for (const at of lines) hits.push({ path: review![1]!, line: at });
    }
  }
  return hits;
}

function astGrepTool({ corpus, peers }: ToolContext): Tool {
  const identity: ToolIdentity = { name: "ast-grep", scope: "jsts", mustFindAll: false };
  if (typeof peers === "string") return { ...identity, unavailable: peers };
  return {
    ...identity,
    invocation: {
      file: peers.astGrep,
      args: ["scan", "--rule", peers.astGrepRules, "--json=stream", "."],
      cwd: corpus.root,
    },
    okExitCodes: [0, 1],
    readHits: (outputFile) => ({
      // ast-grep counts lines from 0.
      hits: nonEmptyLines(outputFile).map((line) => {
        const match = JSON.parse(line) as { file: string; range: { start: { line: number }; end: { line: number } } };
        return { path: match.file, line: match.range.start.line + 1, endLine: match.range.end.line + 1 };
      }),
    }),
  };
}

function eslintTool({ corpus, peers }: ToolContext): Tool {
  const identity: ToolIdentity = { name: "ESLint", scope: "jsts", mustFindAll: false };
  if (typeof peers === "string") return { ...identity, unavailable: peers };
  return {
    ...identity,
    invocation: {
      file: process.execPath,
      args: [peers.eslint, "-c", peers.eslintConfig, "--format", "json", "."],
      cwd: corpus.root,
    },
    okExitCodes: [0, 1],
    readHits: (outputFile) => {
      const results = JSON.parse(readFileSync(outputFile, "utf8")) as {
        filePath: string;
        messages: { ruleId: string | null; fatal?: boolean; line: number; endLine?: number }[];
      }[];
      const hits: Hit[] = [];
      let unparsable = 0;
      for (const result of results) {
        if (result.messages.some((m) => m.fatal)) unparsable++;
        for (const m of result.messages) {
          if (m.ruleId === "no-restricted-syntax")
            hits.push({ path: corpusPath(corpus.root, result.filePath), line: m.line, endLine: m.endLine ?? m.line });
        }
      }
      return { hits, note: `${unparsable} of ${results.length} files unparsable` };
    },
  };
}

function commandMissing(cli: string, command: string): boolean {
  const help = spawnSync(process.execPath, [cli, command, "--help"], { encoding: "utf8", timeout: 30_000 });
  return help.status !== 0 || /not built yet/i.test(help.stdout) || !/--format/.test(help.stdout);
}

/**
 * Every file range in msi2imds's JSON output, whatever its exact shape: objects with a path and a line
 * (the finding model's FileRange) or an ESLint-style file result with messages.
 */
export function fileRangesIn(output: unknown, root: string): Hit[] {
  const hits: Hit[] = [];
  const pending: unknown[] = [output];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      pending.push(...value);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const record = value as Record<string, unknown>;
    const path = record.path ?? record.file ?? record.filePath;
    const line = record.line ?? record.startLine;
    if (typeof path === "string" && typeof line === "number") {
      const endLine = typeof record.endLine === "number" ? record.endLine : line;
      hits.push({ path: corpusPath(root, path), line, endLine });
      continue;
    }
    if (typeof path === "string" && Array.isArray(record.messages)) {
      for (const m of record.messages as { line?: unknown; endLine?: unknown }[]) {
        if (typeof m.line === "number")
          hits.push({
            path: corpusPath(root, path),
            line: m.line,
            endLine: typeof m.endLine === "number" ? m.endLine : m.line,
          });
      }
      continue;
    }
    pending.push(...Object.values(record));
  }
  return hits;
}

function corpusPath(root: string, path: string): string {
  const rel = path.startsWith("/") ? relative(root, path) : path;
  return rel.split(sep).join("/").replace(/^\.\//, "");
}

function nonEmptyLines(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}
