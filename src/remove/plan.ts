import type { PlanEntry, RemovalTarget } from "../core/report.js";
import { mapBounded } from "../azure/concurrency.js";
import { describeError, isAuthFailure } from "../azure/errors.js";
import { hasManagedIdentity } from "../azure/identity.js";
import { isManagedIdentityExtension } from "../imds.js";
import type { RemovalArm } from "./arm.js";
import { extensionIdOf, instancesRemain } from "./target.js";

// The plan is always made and printed before anything is deleted: per extension what would happen and why.

export interface PlanOptions {
  force: boolean;
  upgradeInstances: boolean;
  concurrency: number;
}

export async function planRemoval(
  targets: readonly RemovalTarget[],
  arm: RemovalArm,
  options: PlanOptions,
): Promise<PlanEntry[]> {
  return mapBounded(targets, options.concurrency, async (target) => {
    try {
      return await planOne(target, arm, options);
    } catch (error) {
      if (isAuthFailure(error)) throw error;
      return {
        ...base(target),
        action: "skip",
        reason: `could not read it from ARM: ${describeError(error)}`,
        unread: true,
      };
    }
  });
}

async function planOne(target: RemovalTarget, arm: RemovalArm, options: PlanOptions): Promise<PlanEntry> {
  const entry = base(target);
  if (target.source === "graph") {
    // Resource Graph lags ARM: only what ARM still has is deleted.
    const extension = await arm.getExtension(target);
    if (!extension)
      return { ...entry, action: "already-gone", reason: "not in ARM any more (the Resource Graph data is stale)" };
    if (!isManagedIdentityExtension(extension.publisher, extension.type)) {
      return {
        ...entry,
        action: "skip",
        reason:
          `ARM says ${target.extensionName} is ${extension.publisher}/${extension.type}, ` +
          `not the Managed Identity extension`,
      };
    }
    entry.confirmedInArm = true;
  }
  const needsMachine = target.kind === "virtualMachineScaleSet" || target.source === "graph" || !target.identity;
  const machine = needsMachine ? await arm.getMachine(target) : { identity: target.identity! };
  if (!machine) return { ...entry, action: "already-gone", reason: "the machine no longer exists" };
  entry.identity = machine.identity.type;
  if (machine.upgradePolicy) entry.upgradePolicy = machine.upgradePolicy;

  if (!hasManagedIdentity(machine.identity) && !options.force) {
    return {
      ...entry,
      action: "skip",
      reason: "no managed identity: IMDS has nothing to serve until one is assigned (assign one first, or --force)",
    };
  }
  if (machine.upgradePolicy?.toLowerCase() === "manual") {
    if (options.upgradeInstances) entry.upgradeInstances = true;
    else entry.remains = instancesRemain(target);
  }
  return { ...entry, action: "delete" };
}

function base(target: RemovalTarget): PlanEntry {
  return {
    target,
    extensionId: extensionIdOf(target),
    action: "skip",
    identity: target.identity?.type ?? "unknown",
    confirmedInArm: false,
    upgradeInstances: false,
  };
}
