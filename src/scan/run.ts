import { compareFindings } from "../core/finding.js";
import { exitCodeOf, type ExitCode } from "../core/exit-codes.js";
import type { ScanEngine, ScanReport } from "../core/report.js";
import type { AuthKind, CloudName } from "../azure/choices.js";
import { forEachConcurrent } from "../azure/concurrency.js";
import { isAuthenticationFailure, toScanError } from "../azure/errors.js";
import { openAzureSession } from "../azure/session.js";
import { toolInfo } from "../package-info.js";
import { scanSubscriptionWithArm } from "./arm-engine.js";
import { ScanCollector } from "./collector.js";
import type { ScanContext } from "./context.js";
import { scanWithGraph } from "./graph-engine.js";
import { resolveSubscriptions, type SkippedSubscription, type SubscriptionScope } from "./subscriptions.js";

// `msi2imds scan`: resolve the subscriptions, run an engine, return the report. The command line renders it.

export interface ScanOptions {
  auth: AuthKind;
  tenant?: string | undefined;
  cloud: CloudName;
  armEndpoint?: string | undefined;
  subscription: string[];
  resourceGroup?: string | undefined;
  engine: ScanEngine;
  concurrency: number;
  retryDelayMs?: number | undefined;
  maxRetryAfterMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
  /** The whole scan's deadline (--timeout); none when undefined or 0. */
  timeoutMs?: number | undefined;
}

export interface ScanRun {
  report: ScanReport;
  /** Disabled and Deleted subscriptions: seen, not scanned. */
  skippedSubscriptions: SkippedSubscription[];
}

export function scanExitCode(report: ScanReport): ExitCode {
  return exitCodeOf({ failed: report.summary.errors > 0, leftForAPerson: report.summary.findings > 0 });
}

/**
 * Runs a scan; throws (an authentication failure) only when nothing could be read. The collector is the
 * caller's, so that a progress line can read it while the scan runs. With a --timeout, the scan stops at
 * the deadline and reports what it read by then, with the deadline among its errors.
 */
export async function scanFleet(options: ScanOptions, collector = new ScanCollector()): Promise<ScanRun> {
  const deadline = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
  const context: ScanContext = {
    azure: openAzureSession({ ...options, deadline }, collector.stats),
    concurrency: options.concurrency,
    resourceGroup: options.resourceGroup,
    collector,
    deadline,
  };
  const scannedAt = new Date().toISOString();
  const scope: SubscriptionScope = { subscriptionIds: [], skipped: [], names: {} };
  const work = scanScope(context, options, scope);
  if (deadline) {
    // After the deadline the work may never settle (a request that ignores its abort): it is not waited for.
    work.catch(() => undefined);
    await Promise.race([work, afterDeadline(deadline)]);
    if (deadline.aborted) {
      collector.addError({
        scope: "scan",
        status: null,
        code: "Timeout",
        message:
          `stopped at the --timeout deadline (${options.timeoutMs! / 1000} s) with ` +
          `${collector.subscriptionsDone} of ${scope.subscriptionIds.length} subscription(s) read; ` +
          `the findings read by then are reported`,
      });
    }
  } else {
    await work;
  }
  const findings = [...collector.findings].sort(compareFindings);
  const errors = [...collector.errors];
  const report: ScanReport = {
    tool: toolInfo(),
    engine: options.engine,
    scannedAt,
    summary: {
      subscriptions: scope.subscriptionIds.length,
      virtualMachines: collector.virtualMachines,
      scaleSets: collector.scaleSets,
      findings: findings.length,
      errors: errors.length,
    },
    findings,
    errors,
    subscriptionNames: scope.names,
  };
  return { report, skippedSubscriptions: scope.skipped };
}

/** Which subscriptions, then the engine over them; `scope` is filled in as soon as it is known. */
async function scanScope(context: ScanContext, options: ScanOptions, scope: SubscriptionScope): Promise<void> {
  const { collector } = context;
  try {
    Object.assign(scope, await resolveSubscriptions(context, options.subscription));
  } catch (error) {
    if (isAuthenticationFailure(error)) throw error;
    collector.addError(toScanError("/subscriptions", error));
  }
  collector.subscriptionsTotal = scope.subscriptionIds.length;
  if (options.engine === "graph") {
    await scanWithGraph(context, scope.subscriptionIds);
  } else {
    await forEachConcurrent(
      scope.subscriptionIds,
      options.concurrency,
      async (subscriptionId) => {
        await scanSubscriptionWithArm(context, subscriptionId);
        collector.subscriptionsDone += 1;
      },
      context.deadline,
    );
  }
}

/**
 * Settles a moment after the deadline: requests in flight are aborted at the deadline and fail within
 * milliseconds, and what they leave unread is recorded before the report is made.
 */
function afterDeadline(deadline: AbortSignal): Promise<void> {
  return new Promise((resolve) =>
    deadline.addEventListener("abort", () => setTimeout(resolve, SETTLE_AFTER_DEADLINE_MS), { once: true }),
  );
}

const SETTLE_AFTER_DEADLINE_MS = 1000;
