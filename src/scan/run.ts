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
import { resolveSubscriptions, type SkippedSubscription } from "./subscriptions.js";

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
 * caller's, so that a progress line can read it while the scan runs.
 */
export async function scanFleet(options: ScanOptions, collector = new ScanCollector()): Promise<ScanRun> {
  const context: ScanContext = {
    azure: openAzureSession(options, collector.stats),
    concurrency: options.concurrency,
    resourceGroup: options.resourceGroup,
    collector,
  };
  const scannedAt = new Date().toISOString();
  let subscriptionIds: string[] = [];
  let skippedSubscriptions: SkippedSubscription[] = [];
  let subscriptionNames: Record<string, string> = {};
  try {
    const scope = await resolveSubscriptions(context, options.subscription);
    subscriptionIds = scope.subscriptionIds;
    skippedSubscriptions = scope.skipped;
    subscriptionNames = scope.names;
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
  const findings = [...collector.findings].sort(compareFindings);
  const report: ScanReport = {
    tool: toolInfo(),
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
    subscriptionNames,
  };
  return { report, skippedSubscriptions };
}
