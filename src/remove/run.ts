import { exitCodeOf, UsageError, type ExitCode } from "../core/exit-codes.js";
import {
  summarizeRemoval,
  type PlanEntry,
  type RemovalReport,
  type RemovalResult,
  type ScanEngine,
  type ScanError,
} from "../core/report.js";
import { describeError, isAuthFailure, SignInFailed } from "../azure/errors.js";
import { openAzureSession, type AzureAccessOptions, type AzureSession } from "../azure/session.js";
import { applyPlan, settledByPlan } from "./apply.js";
import { createRemovalArm, type RemovalArm } from "./arm.js";
import { planRemoval } from "./plan.js";
import { pickTargets, readScanReport, subscriptionsOf, targetsFromFindings, type SavedFinding } from "./source.js";

// `msi2imds remove`: targets → plan → approval → apply → report. The command line hands in what is not
// remove's own: a scan to run when there is no saved report, the question to ask, where notes go, and the
// signal that an interruption aborts.

/** core-lro's own default between polls. */
const DEFAULT_POLL_INTERVAL_MS = 2000;
/** A delete usually takes a minute or two; one still running after half an hour is left to Azure. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 30 * 60 * 1000;

export interface RemoveOptions extends AzureAccessOptions {
  /** A saved scan JSON report (absolute path), instead of scanning now. */
  from?: string | undefined;
  resourceId: string[];
  subscription: string[];
  resourceGroup?: string | undefined;
  engine: ScanEngine;
  force: boolean;
  upgradeInstances: boolean;
  pollInterval?: number | undefined;
  /** How long an operation Azure has not finished is polled. */
  operationTimeoutMs?: number | undefined;
  /** The whole run's deadline (--timeout); none when undefined or 0. */
  timeoutMs?: number | undefined;
}

export interface FreshScan {
  engine: ScanEngine;
  findings: SavedFinding[];
  errors: ScanError[];
}

export interface RemovalHooks {
  scan(scope: { subscription: string[]; resourceGroup?: string | undefined; engine: ScanEngine }): Promise<FreshScan>;
  /** Asked when the plan deletes something; true applies it. */
  approve(plan: readonly PlanEntry[]): Promise<boolean>;
  note(line: string): void;
  /** Each delete as it ends, with how many of the plan's deletes have ended. */
  progress?(entry: PlanEntry, result: RemovalResult, done: number, total: number): void;
  /** Aborted on SIGINT/SIGTERM: nothing new starts, running operations are left to Azure. */
  signal: AbortSignal;
}

export interface RemovalRun {
  report: RemovalReport;
  exitCode: ExitCode;
}

export async function runRemoval(options: RemoveOptions, hooks: RemovalHooks): Promise<RemovalRun> {
  const deadline = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
  const { targets, complete } = await loadTargets(options, hooks);
  // An id that names no target is a usage error, told before anything signs in.
  const picked = pickTargets(targets, options.resourceId);
  const azure = openAzureSession({ ...options, deadline });
  // Nothing to remove (a saved scan that found nothing) asks no token: there is nothing to ask ARM.
  if (picked.length > 0) await checkSignIn(azure);
  const arm = createRemovalArm({
    azure,
    pollIntervalInMs: options.pollInterval,
    operationTimeoutMs: options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
  });
  try {
    const report = await plannedAndApplied(picked, arm, options, {
      ...hooks,
      deadline,
    });
    const unread = report.plan.filter((e) => e.unread).length;
    if (unread > 0)
      hooks.note(`${unread} machine(s) could not be read from ARM and were left as they are; the run is incomplete`);
    if (deadline?.aborted) hooks.note("stopped at the --timeout deadline; the run is incomplete: run again to finish");
    const failed = !complete || unread > 0 || deadline?.aborted === true;
    return { report, exitCode: exitCodeOf({ failed, leftForAPerson: !allDone(report) }) };
  } catch (error) {
    if (isAuthFailure(error)) throw new SignInFailed(describeError(error));
    throw error;
  }
}

/** Everything done: applied, and no extension skipped, failed, interrupted or left on scale-set instances. */
export function allDone(report: RemovalReport): boolean {
  const s = summarizeRemoval(report);
  return report.applied && s.skipped + s.failed + s.interrupted + s.remaining === 0;
}

/** A token first: without one every machine would be reported as failed instead of the run stopping. */
async function checkSignIn(azure: AzureSession): Promise<void> {
  let token: unknown;
  try {
    token = await azure.credential.getToken(azure.cloud.armScope);
  } catch (error) {
    throw new SignInFailed(describeError(error));
  }
  if (!token) throw new SignInFailed("the credential returned no token");
}

/** From a saved report, or a scan run now with the same scope flags; an incomplete scan is said and ends in exit 2. */
async function loadTargets(options: RemoveOptions, hooks: RemovalHooks) {
  if (options.from) {
    // A narrowing flag that --from ignored would let --yes delete from machines outside the scope the user named.
    if (options.subscription.length > 0 || options.resourceGroup !== undefined) {
      throw new UsageError(
        "--subscription and --resource-group choose what to scan; with --from, " +
          "pick machines from the report with --resource-id",
      );
    }
    const report = readScanReport(options.from);
    const unread = report.errors?.length ?? 0;
    if (unread > 0)
      hooks.note(
        `note: the scan behind ${options.from} could not read ${unread} scope(s); machines there are not in this plan`,
      );
    return { targets: targetsFromFindings(report.findings, report.engine), complete: true };
  }
  const subscription = options.subscription.length > 0 ? options.subscription : subscriptionsOf(options.resourceId);
  const scan = await hooks.scan({ subscription, resourceGroup: options.resourceGroup, engine: options.engine });
  for (const e of scan.errors)
    hooks.note(`scan could not read ${e.scope}: ${e.status ?? "no response"} ${e.code} ${e.message}`);
  return { targets: targetsFromFindings(scan.findings, scan.engine), complete: scan.errors.length === 0 };
}

async function plannedAndApplied(
  targets: Parameters<typeof planRemoval>[0],
  arm: RemovalArm,
  options: RemoveOptions,
  hooks: RemovalHooks & { deadline: AbortSignal | undefined },
): Promise<RemovalReport> {
  const plan = await planRemoval(targets, arm, {
    force: options.force,
    upgradeInstances: options.upgradeInstances,
    concurrency: options.concurrency,
  });
  if (!plan.some((e) => e.action === "delete"))
    return { plan, results: plan.map((entry) => settledByPlan(entry)!), applied: true };
  if (!(await hooks.approve(plan))) {
    hooks.note("nothing removed; rerun with --yes to apply this plan");
    return { plan, results: [], applied: false };
  }
  const total = plan.filter((e) => e.action === "delete").length;
  let done = 0;
  const { deadline } = hooks;
  const results = await applyPlan(plan, arm, {
    concurrency: options.concurrency,
    signal: deadline ? AbortSignal.any([hooks.signal, deadline]) : hooks.signal,
    deadline,
    recheckIntervalMs: options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS,
    settled: (entry, result) => hooks.progress?.(entry, result, ++done, total),
  });
  return { plan, results, applied: true };
}
