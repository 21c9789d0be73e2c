import { isManagedIdentityExtension } from "../imds.js";
import { describeError, type RemovalArm } from "./arm.js";
import type { PlanEntry } from "./plan.js";
import { mapBounded } from "./pool.js";
import { instancesRemain } from "./target.js";

// Applies a plan. Each extension is looked up again right before its DELETE, so a rerun after an
// interruption skips what is already gone and never deletes anything twice.

export type RemovalOutcome = "removed" | "already-gone" | "failed" | "skipped" | "interrupted" | "not-started";

export interface UpgradeResult {
  outcome: "upgraded" | "failed" | "interrupted";
  reason?: string;
}

export interface RemovalResult {
  extensionId: string;
  outcome: RemovalOutcome;
  reason?: string;
  /** Manual scale sets with --upgrade-instances. */
  upgrade?: UpgradeResult;
  /** What the owner still has to do on this machine. */
  remains?: string;
}

export interface ApplyOptions {
  concurrency: number;
  /** Aborted on SIGINT/SIGTERM: in-flight operations are left to Azure, nothing new starts. */
  signal: AbortSignal;
}

export async function applyPlan(plan: readonly PlanEntry[], arm: RemovalArm, options: ApplyOptions): Promise<RemovalResult[]> {
  const { signal } = options;
  return mapBounded(plan, options.concurrency, (entry) => applyOne(entry, arm, signal), {
    signal,
    result: (entry) => passive(entry) ?? { extensionId: entry.extensionId, outcome: "not-started", reason: "interrupted before it started" },
  });
}

/** Entries the plan already settled: nothing to call. */
function passive(entry: PlanEntry): RemovalResult | undefined {
  if (entry.action === "skip") return { extensionId: entry.extensionId, outcome: "skipped", reason: entry.reason };
  if (entry.action === "already-gone") return { extensionId: entry.extensionId, outcome: "already-gone", reason: entry.reason };
  return undefined;
}

async function applyOne(entry: PlanEntry, arm: RemovalArm, signal: AbortSignal): Promise<RemovalResult> {
  const settled = passive(entry);
  if (settled) return settled;
  const result: RemovalResult = { extensionId: entry.extensionId, outcome: "failed" };
  try {
    const current = await arm.getExtension(entry.target);
    if (!current) {
      result.outcome = "already-gone";
    } else if (!isManagedIdentityExtension(current.publisher, current.type)) {
      return { ...result, outcome: "skipped", reason: `now ${current.publisher}/${current.type}, not the Managed Identity extension` };
    } else {
      result.outcome = (await arm.deleteExtension(entry.target, signal)) === "deleted" ? "removed" : "already-gone";
    }
  } catch (error) {
    return { ...result, ...(signal.aborted ? interrupted : { outcome: "failed" as const, reason: describeError(error) }) };
  }
  if (entry.upgradeInstances) {
    result.upgrade = await upgrade(entry, arm, signal);
    if (result.upgrade.outcome !== "upgraded") result.remains = instancesRemain(entry.target);
  } else if (entry.remains) {
    result.remains = entry.remains;
  }
  return result;
}

const interrupted = { outcome: "interrupted" as const, reason: "interrupted while Azure was still working on it; run again to finish" };

async function upgrade(entry: PlanEntry, arm: RemovalArm, signal: AbortSignal): Promise<UpgradeResult> {
  try {
    await arm.upgradeInstances(entry.target, signal);
    return { outcome: "upgraded" };
  } catch (error) {
    return signal.aborted ? interrupted : { outcome: "failed", reason: describeError(error) };
  }
}
