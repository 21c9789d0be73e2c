import { setTimeout as sleep } from "node:timers/promises";
import type { PlanEntry, RemovalResult, UpgradeResult } from "../core/report.js";
import { mapBounded } from "../azure/concurrency.js";
import { describeError } from "../azure/errors.js";
import { isManagedIdentityExtension } from "../imds.js";
import { OperationUnfinished, type ExtensionState, type RemovalArm } from "./arm.js";
import { instancesRemain } from "./target.js";

// Applies a plan. Each extension is looked up again right before its DELETE, so a rerun after an
// interruption skips what is already gone and never deletes anything twice.

export interface ApplyOptions {
  concurrency: number;
  /** Aborted on SIGINT/SIGTERM or at the --timeout deadline: in-flight operations are left to Azure, nothing new starts. */
  signal: AbortSignal;
  /** Aborted at the --timeout deadline (also in `signal`): says why work stopped. */
  deadline?: AbortSignal | undefined;
  /** Between looks at an extension an earlier run is still deleting. */
  recheckIntervalMs: number;
  /** Told as each entry the plan deletes is settled, while the others still run. */
  settled?: (entry: PlanEntry, result: RemovalResult) => void;
}

/** Looks at an extension that is already being deleted before giving up on it (with 2 s, about 10 minutes). */
const MAX_RECHECKS = 300;

export async function applyPlan(
  plan: readonly PlanEntry[],
  arm: RemovalArm,
  options: ApplyOptions,
): Promise<RemovalResult[]> {
  const { signal } = options;
  const apply = async (entry: PlanEntry) => {
    const result = await applyOne(entry, arm, options);
    if (entry.action === "delete") options.settled?.(entry, result);
    return result;
  };
  return mapBounded(plan, options.concurrency, apply, {
    signal,
    result: (entry) =>
      settledByPlan(entry) ?? {
        extensionId: entry.extensionId,
        outcome: "not-started",
        reason: options.deadline?.aborted
          ? "the --timeout deadline passed before it started"
          : "interrupted before it started",
      },
  });
}

/** Entries the plan already settled: nothing to call. */
export function settledByPlan(entry: PlanEntry): RemovalResult | undefined {
  if (entry.action === "skip") return { extensionId: entry.extensionId, outcome: "skipped", reason: entry.reason };
  if (entry.action === "already-gone")
    return { extensionId: entry.extensionId, outcome: "already-gone", reason: entry.reason };
  return undefined;
}

async function applyOne(entry: PlanEntry, arm: RemovalArm, options: ApplyOptions): Promise<RemovalResult> {
  const settled = settledByPlan(entry);
  if (settled) return settled;
  const { signal } = options;
  const result: RemovalResult = { extensionId: entry.extensionId, outcome: "failed" };
  try {
    const current = await settledState(entry, arm, options);
    if (!current) {
      result.outcome = "already-gone";
    } else if (isDeleting(current)) {
      return { ...result, reason: `still being deleted after ${MAX_RECHECKS} checks; run again later` };
    } else if (!isManagedIdentityExtension(current.publisher, current.type)) {
      return {
        ...result,
        outcome: "skipped",
        reason: `now ${current.publisher}/${current.type}, not the Managed Identity extension`,
      };
    } else {
      result.outcome = (await arm.deleteExtension(entry.target, signal)) === "deleted" ? "removed" : "already-gone";
    }
  } catch (error) {
    return { ...result, ...stopped(error, options) };
  }
  if (entry.upgradeInstances) {
    result.upgrade = await upgrade(entry, arm, options);
    if (result.upgrade.outcome !== "upgraded") result.remains = instancesRemain(entry.target);
  } else if (entry.remains) {
    result.remains = entry.remains;
  }
  return result;
}

/**
 * The extension as ARM has it now. One that an interrupted earlier run is still deleting is watched until
 * it is gone (or the delete failed) rather than sent a second DELETE, which ARM may refuse as a conflict.
 */
async function settledState(
  entry: PlanEntry,
  arm: RemovalArm,
  options: ApplyOptions,
): Promise<ExtensionState | undefined> {
  let current = await arm.getExtension(entry.target);
  for (let check = 1; current && isDeleting(current) && check < MAX_RECHECKS; check++) {
    await sleep(options.recheckIntervalMs, undefined, { signal: options.signal });
    current = await arm.getExtension(entry.target);
  }
  return current;
}

function isDeleting(extension: ExtensionState): boolean {
  return extension.provisioningState?.toLowerCase() === "deleting";
}

/** Why an operation ended without an outcome of its own: interrupted, out of time, or failed. */
function stopped(error: unknown, options: ApplyOptions): { outcome: "interrupted" | "failed"; reason: string } {
  if (options.deadline?.aborted)
    return { outcome: "interrupted", reason: "stopped at the --timeout deadline while Azure was still working on it" };
  if (options.signal.aborted)
    return { outcome: "interrupted", reason: "interrupted while Azure was still working on it; run again to finish" };
  if (error instanceof OperationUnfinished) return { outcome: "interrupted", reason: error.message };
  return { outcome: "failed", reason: describeError(error) };
}

async function upgrade(entry: PlanEntry, arm: RemovalArm, options: ApplyOptions): Promise<UpgradeResult> {
  try {
    await arm.upgradeInstances(entry.target, options.signal);
    return { outcome: "upgraded" };
  } catch (error) {
    return stopped(error, options);
  }
}
