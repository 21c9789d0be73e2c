import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { ExitCode, UsageError } from "../core/exit-codes.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { applyPlan, type RemovalResult } from "./apply.js";
import type { TokenCredential } from "@azure/identity";
import { resolveCloud, type Cloud, type CloudName } from "../azure/clouds.js";
import { createCredential, type AuthKind } from "../azure/credentials.js";
import { createPacingPolicy } from "../azure/pacing-policy.js";
import { scanFleet } from "../scan/run.js";
import { ARM_READ_BUCKET } from "../azure/token-bucket.js";
import { createRemovalArm, describeError, isAuthFailure, type RemovalArm } from "./arm.js";
import type { RemoveCommandOptions } from "../cli/commands/remove.js";
import { canAsk, confirm } from "../cli/confirm.js";
import { planRemoval, type PlanEntry } from "./plan.js";
import { allDone, formatRemovalJson, formatRemovalTable, type RemovalReport } from "../formatters/removal.js";
import { pickTargets, readScanReport, subscriptionsOf, targetsFromFindings } from "./source.js";
import type { RemovalTarget } from "./target.js";

// `msi2imds remove`: targets → plan (printed) → confirmation → apply → report → exit code.

/** Bounds for retrying one ARM request (429, 5xx, socket errors), as the scan has them. */
const MAX_ATTEMPTS = 5;
const RETRY_DELAY_MS = 1000;
const MAX_RETRY_AFTER_MS = 60_000;
/** core-lro's own default between polls. */
const DEFAULT_POLL_INTERVAL_MS = 2000;

export async function runRemove(options: RemoveCommandOptions, cwd = process.cwd()): Promise<number> {
  const cloud = resolveCloud(options.cloud as CloudName, options.armEndpoint);
  try {
    const { targets, complete } = await loadTargets(options, cloud, cwd);
    const credential = createCredential(options.auth as AuthKind, cloud, options.tenant);
    const refused = await signInProblem(credential, cloud);
    if (refused) return authenticationFailed(options, refused);
    const pacing = createPacingPolicy({
      readBucket: ARM_READ_BUCKET, concurrency: options.concurrency, maxAttempts: MAX_ATTEMPTS, retryDelayMs: RETRY_DELAY_MS, maxRetryAfterMs: MAX_RETRY_AFTER_MS,
    }, { requests: 0, retries: 0 });
    const arm = createRemovalArm({ credential, cloud, pacing, pollIntervalInMs: options.pollInterval });
    const report = await plannedAndApplied(pickTargets(targets, options.resourceId), arm, options);
    const written = emit(report, options, cwd);
    const unread = report.plan.filter((e) => e.unread).length;
    if (unread > 0) process.stderr.write(`msi2imds: ${unread} machine(s) could not be read from ARM and were left as they are; the run is incomplete\n`);
    if (!complete || !written || unread > 0) return ExitCode.Failure;
    return allDone(report) ? ExitCode.Clean : ExitCode.Findings;
  } catch (error) {
    if (!isAuthFailure(error)) throw error;
    return authenticationFailed(options, describeError(error));
  }
}

/** A token first: without one every machine would be reported as failed instead of the run stopping. */
async function signInProblem(credential: TokenCredential, cloud: Cloud): Promise<string | undefined> {
  try {
    return (await credential.getToken(cloud.armScope)) ? undefined : "the credential returned no token";
  } catch (error) {
    return describeError(error);
  }
}

function authenticationFailed(options: RemoveCommandOptions, reason: string): number {
  process.stderr.write(`msi2imds: authentication failed (--auth ${options.auth}): ${reason}\n`);
  return ExitCode.Failure;
}

/** From a saved report, or a scan run now with the same scope flags; an incomplete scan is said and ends in exit 2. */
async function loadTargets(options: RemoveCommandOptions, cloud: Cloud, cwd: string): Promise<{ targets: RemovalTarget[]; complete: boolean }> {
  if (options.from) {
    // A narrowing flag that --from ignored would let --yes delete from machines outside the scope the user named.
    if (options.subscription.length > 0 || options.resourceGroup !== undefined) {
      throw new UsageError("--subscription and --resource-group choose what to scan; with --from, pick machines from the report with --resource-id");
    }
    const report = readScanReport(resolve(cwd, options.from));
    const unread = report.errors?.length ?? 0;
    if (unread > 0) process.stderr.write(`msi2imds: note: the scan behind ${options.from} could not read ${unread} scope(s); machines there are not in this plan\n`);
    return { targets: targetsFromFindings(report.findings, report.engine), complete: true };
  }
  const report = await scanFleet({
    auth: options.auth as AuthKind, tenant: options.tenant, cloud: cloud.name, armEndpoint: options.armEndpoint,
    subscription: options.subscription.length > 0 ? options.subscription : subscriptionsOf(options.resourceId), resourceGroup: options.resourceGroup, engine: options.engine as "arm" | "graph",
    concurrency: options.concurrency, format: "json", retryDelayMs: RETRY_DELAY_MS, maxRetryAfterSeconds: MAX_RETRY_AFTER_MS / 1000,
  });
  for (const e of report.errors) process.stderr.write(`msi2imds: scan could not read ${e.scope}: ${e.status ?? "no response"} ${e.code} ${e.message}\n`);
  return { targets: targetsFromFindings(report.findings, report.engine), complete: report.errors.length === 0 };
}

async function plannedAndApplied(targets: readonly RemovalTarget[], arm: RemovalArm, options: RemoveCommandOptions): Promise<RemovalReport> {
  const plan = await planRemoval(targets, arm, { force: options.force, upgradeInstances: options.upgradeInstances, concurrency: options.concurrency });
  if (!plan.some((e) => e.action === "delete")) return { plan, results: plan.map(settledWithoutCalls), applied: true };
  if (!(await approved(plan, options))) {
    process.stderr.write("msi2imds: nothing removed; rerun with --yes to apply this plan\n");
    return { plan, results: [], applied: false };
  }
  const results = await withInterruption((signal) => applyPlan(plan, arm, { concurrency: options.concurrency, signal, recheckIntervalMs: options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS }));
  return { plan, results, applied: true };
}

function settledWithoutCalls(entry: PlanEntry): RemovalResult {
  return { extensionId: entry.extensionId, outcome: entry.action === "skip" ? "skipped" : "already-gone", reason: entry.reason };
}

async function approved(plan: PlanEntry[], options: RemoveCommandOptions): Promise<boolean> {
  if (options.yes) return true;
  if (!canAsk()) return false;
  process.stderr.write(formatRemovalTable({ plan, results: [], applied: false }, options.color));
  return confirm(`Delete ${plan.filter((e) => e.action === "delete").length} extension(s)?`);
}

/** SIGINT/SIGTERM stop new deletes and stop waiting on running ones; the report still gets written. */
async function withInterruption<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => {
    process.stderr.write("msi2imds: interrupted; operations already sent finish in Azure, run again to complete\n");
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

/** Writes the report; false when --output could not be written (the report then goes to stdout: deletes happened). */
function emit(report: RemovalReport, options: RemoveCommandOptions, cwd: string): boolean {
  const text = options.format === "json" ? formatRemovalJson(report) : formatRemovalTable(report, options.color && !options.output && Boolean(process.stdout.isTTY));
  if (options.output) {
    try {
      writeFileAtomic(resolve(cwd, options.output), text, 0o644);
      return true;
    } catch (error) {
      process.stderr.write(`msi2imds: cannot write ${options.output}: ${(error as Error).message}; the report follows on stdout\n`);
    }
  }
  writeFileSync(1, text);
  return !options.output;
}
