// `npm run bench:scan [-- --subscriptions 50 --vms 200 --latency-ms 50 --concurrency 16 --runs 1]`:
// the ARM emulator (test/emulator) with a generated fleet, injected latency and ARM's read bucket per
// subscription; `msi2imds scan --engine arm` and `--engine graph` run against it as child processes.
// Prints requests made, wall time, the theoretical bound and the ratio to it, and findings found.
//
// The bound for the arm engine. A scan must make N reads (the emulator's log, throttled answers left out);
// subscription s makes R_s of them. Three things each put a floor under the wall time:
//   latency × concurrency:  at most K requests are in flight and each takes at least L,
//                           so  T ≥ ceil(N / K) × L;
//   the read bucket:        ARM grants C = 250 reads at once per subscription, then r = 25 per second,
//                           so  T ≥ max over s of (R_s − C) / r   (0 when R_s ≤ C);
//   the critical path:      a subscription's extension reads wait for its VM list, whose pages come one
//                           after another: T ≥ (1 + P) × L, with P the longest chain of pages.
// The bound is the largest of the three. The graph engine asks Resource Graph for the findings only:
// ceil(rows / 1000) pages per batch of up to 1000 subscriptions.
import { mkdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ARM_READ_BUCKET } from "../src/azure/token-bucket.js";
import { generateFleet, type Fleet } from "../test/emulator/fleet.js";
import { startScanEnvironment } from "../test/emulator/scan-environment.js";
import type { LoggedRequest } from "../test/emulator/arm-emulator.js";
import { median, runMeasuredAsync, type Sample } from "./bench/measure.js";
import { isManagedIdentityExtension } from "../src/imds.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outputDir = join(projectRoot, ".bench", "scan");
const CLI = join(projectRoot, "dist/src/cli.js");
const ENGINES = ["arm", "graph"] as const;
/** Items per page: the emulator's default for ARM lists; Resource Graph's maximum $top for the graph engine. */
const PAGE_SIZE: Record<(typeof ENGINES)[number], number> = { arm: 100, graph: 1000 };
/** Resource Graph takes at most this many subscriptions per request. */
const GRAPH_SUBSCRIPTIONS_PER_REQUEST = 1000;

interface EngineResult {
  engine: string;
  samples: Sample[];
  requests: number;
  throttled: number;
  byRoute: Map<string, number>;
  findings: number;
  boundMs?: number;
  problem?: string;
}

function positiveInteger(value: string | undefined, name: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      subscriptions: { type: "string", default: "50" },
      vms: { type: "string", default: "200" },
      "latency-ms": { type: "string", default: "50" },
      concurrency: { type: "string", default: "16" },
      runs: { type: "string", default: "1" },
      timeout: { type: "string", default: "900" },
    },
  });
  const subscriptions = positiveInteger(values.subscriptions, "subscriptions", 1000);
  const vms = positiveInteger(values.vms, "vms", 10_000);
  const latencyMs = positiveInteger(values["latency-ms"], "latency-ms", 10_000);
  const concurrency = positiveInteger(values.concurrency, "concurrency", 256);
  const runs = positiveInteger(values.runs, "runs", 20);
  const timeoutSeconds = positiveInteger(values.timeout, "timeout", 3600);

  console.log("building msi2imds (npm run build)");
  if (
    spawnSync("npm", ["run", "build", "--silent"], { cwd: projectRoot, stdio: "inherit", timeout: 300_000 }).status !==
    0
  )
    throw new Error("npm run build failed");
  mkdirSync(outputDir, { recursive: true });

  const fleetOptions = { subscriptions, vmsPerSubscription: vms };
  const expected = expectedFindings(generateFleet(fleetOptions));
  console.log(
    `fleet: ${subscriptions} subscriptions × ${vms} VMs = ${subscriptions * vms} VMs, ` +
      `${expected} with the extension; latency ${latencyMs} ms, concurrency ${concurrency}, ` +
      `read bucket ${ARM_READ_BUCKET.capacity} + ${ARM_READ_BUCKET.refillPerSecond}/s per subscription`,
  );

  const results: EngineResult[] = [];
  for (const engine of ENGINES) {
    const result: EngineResult = { engine, samples: [], requests: 0, throttled: 0, byRoute: new Map(), findings: 0 };
    results.push(result);
    // A fresh emulator per engine: its fleet is mutable state, and each pages as its real service does.
    const env = await startScanEnvironment({
      fleet: generateFleet(fleetOptions),
      latencyMs,
      pageSize: PAGE_SIZE[engine],
    });
    try {
      for (let run = 1; run <= runs && !result.problem; run++) {
        env.arm.requests.length = 0;
        const outputFile = join(outputDir, `${engine}.json`);
        const args = [
          CLI,
          ...env.scanArgs,
          "--engine",
          engine,
          "--concurrency",
          String(concurrency),
          "--format",
          "json",
        ];
        const sample = await runMeasuredAsync(
          { file: process.execPath, args, cwd: projectRoot, env: env.env },
          outputFile,
          timeoutSeconds,
        );
        if (sample.timedOut) result.problem = "timed out";
        else if (sample.exitCode !== 0 && sample.exitCode !== 1)
          result.problem = `failed (exit ${sample.exitCode}; see ${outputFile}.stderr)`;
        else {
          result.samples.push(sample);
          countRequests(result, env.arm.requests);
          result.findings = (JSON.parse(readFileSync(outputFile, "utf8")) as { findings: unknown[] }).findings.length;
          if (engine === "arm") result.boundMs = armBoundMs(env.arm.requests, latencyMs, concurrency);
        }
        console.log(
          `${engine} run ${run}/${runs}: ${
            result.problem ?? `${(sample.wallMs / 1000).toFixed(2)} s, ${result.requests} requests`
          }`,
        );
      }
    } finally {
      await env.close();
    }
  }

  console.log("");
  printTable(results, expected);
  for (const r of results) {
    console.log(`${r.engine} requests by route: ${[...r.byRoute].map(([route, n]) => `${route} ${n}`).join(", ")}`);
  }
  const graph = results.find((r) => r.engine === "graph");
  if (graph && !graph.problem) {
    const batches = Math.ceil(subscriptions / GRAPH_SUBSCRIPTIONS_PER_REQUEST);
    console.log(
      `graph: ${graph.byRoute.get("resourceGraph.resources") ?? 0} Resource Graph requests ` +
        `for ${graph.findings} rows (ceil(rows / 1000) = ${Math.ceil(graph.findings / 1000)}, ` +
        `over ${batches} batch(es) of subscriptions)`,
    );
  }
  return results.some((r) => r.problem || r.findings !== expected) ? 1 : 0;
}

function expectedFindings(fleet: Fleet): number {
  let count = 0;
  for (const s of fleet.subscriptions) {
    for (const machine of [...s.virtualMachines, ...s.scaleSets]) {
      count += machine.extensions.filter((e) => isManagedIdentityExtension(e.publisher, e.type)).length;
    }
  }
  return count;
}

function countRequests(result: EngineResult, log: readonly LoggedRequest[]): void {
  result.requests = log.length;
  result.throttled = log.filter((r) => r.injected === "throttle").length;
  result.byRoute = new Map();
  for (const r of log)
    result.byRoute.set(r.route ?? "unmatched", (result.byRoute.get(r.route ?? "unmatched") ?? 0) + 1);
}

/** The largest of the three floors described at the top of this file, from the reads actually needed. */
function armBoundMs(log: readonly LoggedRequest[], latencyMs: number, concurrency: number): number {
  const needed = log.filter((r) => r.injected !== "throttle");
  const perSubscription = new Map<string, number>();
  for (const r of needed)
    if (r.subscriptionId) perSubscription.set(r.subscriptionId, (perSubscription.get(r.subscriptionId) ?? 0) + 1);
  const latencyFloor = Math.ceil(needed.length / concurrency) * latencyMs;
  const bucketFloor = Math.max(
    0,
    ...[...perSubscription.values()].map(
      (reads) => ((reads - ARM_READ_BUCKET.capacity) / ARM_READ_BUCKET.refillPerSecond) * 1000,
    ),
  );
  const longestVmList = Math.max(
    1,
    ...[...perSubscription.keys()].map(
      (id) => needed.filter((r) => r.subscriptionId === id && /virtualMachines$/i.test(r.path)).length,
    ),
  );
  const criticalPath = (1 + longestVmList) * latencyMs;
  return Math.max(latencyFloor, bucketFloor, criticalPath);
}

function printTable(results: readonly EngineResult[], expected: number): void {
  const rows = [
    ["engine", "requests", "429s", "median wall", "bound", "× bound", "CPU", "peak RSS", "findings", "note"],
  ];
  for (const r of results) {
    const wall = median(r.samples.map((s) => s.wallMs));
    const cpu = median(r.samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs])));
    const rss = Math.max(0, ...r.samples.map((s) => s.peakRssKb ?? 0));
    rows.push([
      `--engine ${r.engine}`,
      String(r.requests),
      String(r.throttled),
      wall === undefined ? "—" : `${(wall / 1000).toFixed(2)} s`,
      r.boundMs === undefined ? "—" : `${(r.boundMs / 1000).toFixed(2)} s`,
      wall === undefined || r.boundMs === undefined ? "—" : `${(wall / r.boundMs).toFixed(2)}×`,
      cpu === undefined ? "—" : `${(cpu / 1000).toFixed(2)} s`,
      rss === 0 ? "—" : `${Math.round(rss / 1024)} MB`,
      `${r.findings}/${expected}`,
      r.problem ?? `${r.samples.length} run${r.samples.length === 1 ? "" : "s"}`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => (i === 0 || i === row.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join("  ")
        .trimEnd(),
    );
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`bench:scan: ${(error as Error).message}`);
    process.exitCode = 2;
  },
);
