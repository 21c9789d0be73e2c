import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pc from "picocolors";
import { ExitCode } from "../core/exit-codes.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { describeFsError } from "../files/text-file.js";
import { formatScanCsv } from "../formatters/csv.js";
import { formatScanMarkdown } from "../formatters/markdown.js";
import { formatScanTable } from "../formatters/table.js";
import { scanSubscriptionWithArm } from "./arm-engine.js";
import { resolveCloud, type CloudName } from "../azure/clouds.js";
import { ScanCollector } from "./collector.js";
import { forEachConcurrent } from "../azure/concurrency.js";
import { createCredential, isAuthenticationFailure, type AuthKind } from "../azure/credentials.js";
import { scanWithGraph } from "./graph-engine.js";
import { createPacingPolicy } from "../azure/pacing-policy.js";
import { startProgress } from "../cli/progress.js";
import { compareScanFindings, type ScanEngine, type ScanReport } from "../core/report.js";
import { toScanError } from "../azure/errors.js";
import type { ScanContext } from "./context.js";
import { resolveSubscriptions } from "./subscriptions.js";
import { ARM_READ_BUCKET } from "../azure/token-bucket.js";

// `msi2imds scan`: resolve the subscriptions, run an engine, write the report, set the exit code.

export const SCAN_FORMATS = ["table", "json", "csv", "markdown"] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

export interface ScanOptions {
  auth: AuthKind;
  tenant?: string | undefined;
  cloud: CloudName;
  armEndpoint?: string | undefined;
  subscription: string[];
  resourceGroup?: string | undefined;
  engine: ScanEngine;
  concurrency: number;
  format: ScanFormat;
  output?: string | undefined;
  /** false with --no-color; colour is used only on a terminal anyway. */
  color?: boolean | undefined;
  retryDelayMs: number;
  maxRetryAfterSeconds: number;
}

const MAX_ATTEMPTS = 5;

function toolVersion(): string {
  // dist/src/scan/ when built, src/scan/ under tsx: walk up to the package's own manifest.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++, dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  }
  return "unknown";
}

export function formatScanReport(report: ScanReport, format: ScanFormat, color: boolean): string {
  switch (format) {
    case "json": return JSON.stringify(report, null, 2) + "\n";
    case "csv": return formatScanCsv(report);
    case "markdown": return formatScanMarkdown(report);
    case "table": return formatScanTable(report, color);
  }
}

export function exitCodeFor(report: ScanReport): ExitCode {
  if (report.summary.errors > 0) return ExitCode.Failure;
  return report.summary.findings > 0 ? ExitCode.Findings : ExitCode.Clean;
}

/** Runs a scan and returns its report; throws (an authentication failure) only when nothing could be read. */
export async function scanFleet(options: ScanOptions, collector = new ScanCollector()): Promise<ScanReport> {
  const cloud = resolveCloud(options.cloud, options.armEndpoint);
  const pacing = createPacingPolicy({
    readBucket: ARM_READ_BUCKET, concurrency: options.concurrency, maxAttempts: MAX_ATTEMPTS,
    retryDelayMs: options.retryDelayMs, maxRetryAfterMs: options.maxRetryAfterSeconds * 1000,
  }, collector.stats);
  const context: ScanContext = {
    credential: createCredential(options.auth, cloud, options.tenant), cloud, pacing,
    concurrency: options.concurrency, resourceGroup: options.resourceGroup, collector,
  };
  const scannedAt = new Date().toISOString();
  let subscriptionIds: string[] = [];
  try {
    const scope = await resolveSubscriptions(context, options.subscription);
    subscriptionIds = scope.subscriptionIds;
    for (const skipped of scope.skipped) process.stderr.write(`msi2imds: skipped subscription ${skipped.subscriptionId} (${skipped.state})\n`);
  } catch (error) {
    if (isAuthenticationFailure(error)) throw error;
    collector.addError(toScanError("/subscriptions", error));
  }
  collector.subscriptionsTotal = subscriptionIds.length;
  if (options.engine === "graph") {
    await scanWithGraph(context, subscriptionIds);
  } else {
    await forEachConcurrent(subscriptionIds, options.concurrency, async (subscriptionId) => {
      await scanSubscriptionWithArm(context, subscriptionId);
      collector.subscriptionsDone += 1;
    });
  }
  const findings = [...collector.findings].sort(compareScanFindings);
  return {
    tool: { name: "msi2imds", version: toolVersion() },
    engine: options.engine,
    scannedAt,
    summary: {
      subscriptions: subscriptionIds.length,
      virtualMachines: collector.virtualMachines,
      scaleSets: collector.scaleSets,
      findings: findings.length,
      errors: collector.errors.length,
    },
    findings,
    errors: collector.errors,
  };
}

export async function runScan(options: ScanOptions): Promise<void> {
  const collector = new ScanCollector();
  const progress = startProgress(collector, process.stderr);
  let report: ScanReport;
  try {
    report = await scanFleet(options, collector);
  } catch (error) {
    if (!isAuthenticationFailure(error)) throw error;
    const reason = (error as Error).message.split("\n")[0];
    process.stderr.write(`msi2imds: authentication failed (--auth ${options.auth}): ${reason}\n`);
    process.exitCode = ExitCode.Failure;
    return;
  } finally {
    progress.stop();
  }
  if (options.output) {
    const text = formatScanReport(report, options.format, false);
    try {
      writeFileAtomic(options.output, text, 0o644);
      process.stderr.write(`msi2imds: ${report.summary.findings} findings, ${report.summary.errors} errors; report written to ${options.output}\n`);
      process.exitCode = exitCodeFor(report);
    } catch (error) {
      // A long scan's results must not be lost to a typo in the path.
      process.stderr.write(`msi2imds: cannot write ${options.output}: ${describeFsError(error)}; the report follows on stdout\n`);
      process.stdout.write(text);
      process.exitCode = ExitCode.Failure;
    }
    return;
  }
  process.stdout.write(formatScanReport(report, options.format, options.color !== false && pc.isColorSupported && process.stdout.isTTY === true));
  process.exitCode = exitCodeFor(report);
}
