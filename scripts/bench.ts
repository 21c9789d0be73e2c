// `npm run bench [-- DIR] [--runs N] [--timeout S] [--only a,b]`: builds a corpus (a copy of DIR's source
// and config files, by default the project's node_modules, plus planted call sites and decoys) and times
// rg -l, msi2imds lint, msi2imds fix (dry run), ast-grep and ESLint over it side by side: a warm-up, then
// N rounds in which every tool runs once. Prints median wall, CPU and peak RSS, the ratio to rg -l and
// each tool's planted sites found. Exits 1 when msi2imds misses a planted site, 2 when the harness fails.
// `npm run bench -- --tree 200000`: instead, lint of a git repository of that many files beside
// `lint --changed-since HEAD` after one file changed (scripts/bench/changed-tree.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { changedTree } from "./bench/changed-tree.js";
import { buildCorpus, type Corpus } from "./bench/corpus.js";
import { GNU_TIME, runMeasured } from "./bench/measure.js";
import { preparePeers } from "./bench/peers.js";
import { markdownTable, tableRows, textTable, type ToolResult } from "./bench/report.js";
import { scoreHits } from "./bench/score.js";
import { ensureAptCommand } from "./bench/system.js";
import { benchmarkTools, type RunnableTool, type Tool } from "./bench/tools.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const benchDir = join(projectRoot, ".bench");
const MAX_RUNS = 50;
/** A string or template holding the extension's host:port, for the one-rule peers (no slash: esquery). */
const PEER_PATTERN = String.raw`localhost:5034|127\.0\.0\.1:5034`;

const log = (line: string) => console.log(line);

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: "string", default: "5" },
      timeout: { type: "string", default: "600" },
      only: { type: "string" },
      tree: { type: "string" },
    },
  });
  const runs = Number(values.runs);
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) throw new Error(`--runs must be 1..${MAX_RUNS}`);
  if (!(timeoutSeconds > 0)) throw new Error("--timeout must be a number of seconds");
  const only = values.only?.split(",").map((s) => s.trim().toLowerCase());
  const source = resolve(positionals[0] ?? join(projectRoot, "node_modules"));

  log("building msi2imds (npm run build)");
  const build = spawnSync("npm", ["run", "build", "--silent"], {
    cwd: projectRoot,
    stdio: "inherit",
    timeout: 300_000,
  });
  if (build.status !== 0) throw new Error("npm run build failed");

  if (values.tree !== undefined) return benchChangedSince(Number(values.tree), runs, timeoutSeconds);

  const ripgrep = ensureAptCommand("rg", "ripgrep", log);
  const timeMissing = ensureAptCommand(GNU_TIME, "time", log);
  if (timeMissing) log(`${timeMissing}: CPU and peak RSS are not measured`);

  const corpus = buildCorpus(source, join(benchDir, "corpus"));
  printCorpus(corpus);

  const wanted = (name: string) => !only || only.some((word) => name.toLowerCase().includes(word));
  const peersWanted = wanted("ast-grep") || wanted("eslint");
  const peers = peersWanted ? preparePeers(join(benchDir, "peers"), corpus.root, PEER_PATTERN) : "not selected";
  const tools = benchmarkTools({ corpus, projectRoot, ripgrep, peers }).filter((t) => wanted(t.name));

  const loadBefore = loadavg()[0]!;
  const results = measureAll(tools, corpus, runs, timeoutSeconds);
  const rows = tableRows(results, "rg -l");
  log("");
  log(
    `${runs} run(s) after a warm-up, ${corpus.files} files (${(corpus.bytes / 1e6).toFixed(0)} MB), ` +
      `${corpus.sites.length} planted sites`,
  );
  // Other work on the machine slows every tool: say how busy it was.
  log(
    `machine: ${cpus().length} cores, ` +
      `load average ${loadBefore.toFixed(1)} before the runs, ${loadavg()[0]!.toFixed(1)} after`,
  );
  // Node reads these certificates at every start, before a tool's own code: it shows in every Node row.
  if (process.env.NODE_EXTRA_CA_CERTS)
    log(
      `NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): every Node process loads it at start, ` +
        `see the node start row`,
    );
  log(textTable(rows));
  writeFileSync(join(benchDir, "results.md"), `${markdownTable(rows)}\n`);
  writeFileSync(
    join(benchDir, "results.json"),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        runs,
        corpus: { files: corpus.files, bytes: corpus.bytes, sites: corpus.sites.length },
        results,
      },
      null,
      2,
    ),
  );
  log(`\nMarkdown table: ${join(benchDir, "results.md")}`);
  return reportMisses(tools, results);
}

/** Full lint and --changed-since on one large repository with one changed file, in rounds. */
function benchChangedSince(files: number, runs: number, timeoutSeconds: number): number {
  const tree = changedTree(benchDir, files, log);
  const cli = join(projectRoot, "dist/src/cli.js");
  const variants = [
    { name: "msi2imds lint .", args: ["lint", "-f", "json", "."] },
    { name: "msi2imds lint --changed-since HEAD", args: ["lint", "-f", "json", "--changed-since", "HEAD", "."] },
  ];
  const outputDir = join(benchDir, "output");
  mkdirSync(outputDir, { recursive: true });
  const results: ToolResult[] = variants.map((v) => ({ name: v.name, samples: [] }));
  for (let round = 0; round <= runs; round++) {
    variants.forEach((variant, i) => {
      const out = join(outputDir, `tree-${i}.json`);
      const sample = runMeasured(
        { file: process.execPath, args: [cli, ...variant.args], cwd: tree.root },
        out,
        timeoutSeconds,
      );
      // msi2imds exits 1 on findings: the changed file holds one.
      if (sample.exitCode !== 1 || sample.timedOut) results[i]!.problem = `exit ${sample.exitCode} (see ${out})`;
      else if (round > 0) results[i]!.samples.push(sample);
    });
    log(round === 0 ? "warm-up done" : `round ${round}/${runs} done`);
  }
  log(
    `\n${tree.files.toLocaleString("en")} files in a git repository, ${tree.changed} changed; load ${loadavg()[0]!.toFixed(1)}`,
  );
  const rows = tableRows(results, variants[0]!.name);
  log(`(the × column compares with the full lint here)\n${textTable(rows)}`);
  writeFileSync(join(benchDir, `tree-${files}-results.md`), `${markdownTable(rows)}\n`);
  return results.some((r) => r.problem) ? 2 : 0;
}

function measureAll(tools: readonly Tool[], corpus: Corpus, runs: number, timeoutSeconds: number): ToolResult[] {
  const outputDir = join(benchDir, "output");
  mkdirSync(outputDir, { recursive: true });
  const results = new Map<string, ToolResult>(
    tools.map((t) => [t.name, { name: t.name, samples: [], ...(t.unavailable ? { problem: t.unavailable } : {}) }]),
  );
  const runnable = tools.filter((t): t is RunnableTool => !t.unavailable);
  const outputOf = (tool: RunnableTool) => join(outputDir, `${tool.name.replace(/[^a-z0-9]+/gi, "-")}.out`);

  // The warm-up fills the page cache and gives the output the hits are read from.
  for (const tool of runnable) {
    log(`warm-up: ${tool.name}`);
    const result = results.get(tool.name)!;
    const sample = runMeasured(tool.invocation, outputOf(tool), timeoutSeconds);
    const problem = failure(tool, sample);
    if (problem) {
      result.problem = problem;
      continue;
    }
    const hitsOutput = tool.hitsInvocation ? `${outputOf(tool)}.hits` : outputOf(tool);
    if (tool.hitsInvocation) {
      const hitsProblem = failure(tool, runMeasured(tool.hitsInvocation, hitsOutput, timeoutSeconds));
      if (hitsProblem) {
        result.problem = hitsProblem;
        continue;
      }
    }
    if (!tool.readHits) continue;
    try {
      const { hits, note } = tool.readHits(hitsOutput);
      result.score = scoreHits(
        hits,
        corpus.sites.filter((s) => tool.scope === "all" || (tool.scope === "jsts" ? s.jsts : s.codemod)),
      );
      if (note) result.note = note;
    } catch (error) {
      result.problem = `output not understood (${(error as Error).message})`;
    }
  }

  // Rounds rather than one tool after another, so that a slow drift of the machine hits every tool alike.
  for (let round = 1; round <= runs; round++) {
    for (const tool of runnable) {
      const result = results.get(tool.name)!;
      if (result.problem) continue;
      const sample = runMeasured(tool.invocation, outputOf(tool), timeoutSeconds);
      const problem = failure(tool, sample);
      if (problem) result.problem = problem;
      else result.samples.push(sample);
    }
    log(`round ${round}/${runs} done`);
  }
  return [...results.values()];
}

function failure(tool: RunnableTool, sample: { exitCode: number; timedOut: boolean }): string | undefined {
  if (sample.timedOut) return "timed out";
  if (!tool.okExitCodes.includes(sample.exitCode)) return `failed (exit ${sample.exitCode}; see .bench/output/)`;
  return undefined;
}

function printCorpus(corpus: Corpus): void {
  log(
    `corpus ${corpus.root}: ${corpus.files} files, ${(corpus.bytes / 1e6).toFixed(1)} MB, copied from ${corpus.source}`,
  );
  const jsts = corpus.sites.filter((s) => s.jsts).length;
  const codemod = corpus.sites.filter((s) => s.codemod).length;
  log(`planted ${corpus.sites.length} sites (${jsts} in JS/TS, ${codemod} for fix):`);
  for (const site of corpus.sites)
    log(`  ${site.path}:${site.line}${site.endLine > site.line ? `-${site.endLine}` : ""}  ${site.form}`);
  for (const decoy of corpus.decoys) log(`  decoy ${decoy.path}  ${decoy.reason}`);
}

/** Lists what msi2imds missed or wrongly reported; a miss fails the benchmark. */
function reportMisses(tools: readonly Tool[], results: readonly ToolResult[]): number {
  let exitCode = 0;
  for (const tool of tools.filter((t) => t.mustFindAll)) {
    const result = results.find((r) => r.name === tool.name)!;
    if (tool.unavailable) continue;
    if (!result.score) {
      log(`${tool.name}: no result (${result.problem ?? "unknown"})`);
      exitCode = 1;
      continue;
    }
    for (const site of result.score.missed) {
      log(`MISSED by ${tool.name}: ${site.path}:${site.line} (${site.form})`);
      exitCode = 1;
    }
    for (const hit of result.score.extra) log(`extra from ${tool.name}: ${hit.path}:${hit.line ?? ""}`);
  }
  return exitCode;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 2;
}
