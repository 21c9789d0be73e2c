import type { ComputeManagementClient } from "@azure/arm-compute";
import type { IdentityDetails } from "../core/finding.js";
import type { RemovalTarget } from "../core/report.js";
import { statusOf } from "../azure/errors.js";
import { normalizeIdentity } from "../azure/identity.js";
import { computeClient, type AzureSession } from "../azure/session.js";

// The ARM calls `remove` makes, behind an interface so the planner and applier read as policy, not plumbing.

export interface ExtensionState {
  publisher?: string;
  type?: string;
  provisioningState?: string;
}

export interface MachineState {
  identity: IdentityDetails;
  /** Scale sets only: Manual, Automatic or Rolling. */
  upgradePolicy?: string;
}

/** How a DELETE ended: "gone" when ARM said the extension was not there (404, or 204 with nothing to poll). */
export type DeleteOutcome = "deleted" | "gone";

export interface RemovalArm {
  /** undefined when ARM answers 404. */
  getExtension(target: RemovalTarget): Promise<ExtensionState | undefined>;
  /** undefined when ARM answers 404. */
  getMachine(target: RemovalTarget): Promise<MachineState | undefined>;
  deleteExtension(target: RemovalTarget, signal: AbortSignal): Promise<DeleteOutcome>;
  /** Brings every instance of a Manual scale set to the latest model (the SDK's updateInstances → manualupgrade). */
  upgradeInstances(target: RemovalTarget, signal: AbortSignal): Promise<void>;
}

export interface RemovalArmSettings {
  azure: AzureSession;
  /** Overrides core-lro's 2 s between polls when the service sends no usable Retry-After. */
  pollIntervalInMs?: number | undefined;
  /** How long an operation Azure has not finished is polled (--operation-timeout). */
  operationTimeoutMs: number;
}

/** Azure had not finished the operation when its polling stopped: it may still finish on its own. */
export class OperationUnfinished extends Error {
  override name = "OperationUnfinished";
  constructor(timeoutMs: number) {
    super(`Azure had not finished it after ${timeoutMs / 1000} s (--operation-timeout); run again to check on it`);
  }
}

export function createRemovalArm(settings: RemovalArmSettings): RemovalArm {
  const clients = new Map<string, ComputeManagementClient>();
  const clientFor = (subscriptionId: string): ComputeManagementClient => {
    let client = clients.get(subscriptionId.toLowerCase());
    if (!client) {
      client = computeClient(settings.azure, subscriptionId);
      clients.set(subscriptionId.toLowerCase(), client);
    }
    return client;
  };
  const poll = { updateIntervalInMs: settings.pollIntervalInMs };
  /** Polls `start()`'s operation to its end, or until the run's signal or the operation's own time is up. */
  const untilDone = async (signal: AbortSignal, start: (abortSignal: AbortSignal) => Poller): Promise<void> => {
    const polling = AbortSignal.any([signal, AbortSignal.timeout(settings.operationTimeoutMs)]);
    try {
      await start(polling).pollUntilDone({ abortSignal: polling });
    } catch (error) {
      if (polling.aborted && !signal.aborted) throw new OperationUnfinished(settings.operationTimeoutMs);
      throw error;
    }
  };

  return {
    async getExtension(t) {
      const client = clientFor(t.subscriptionId);
      const ext = await orUndefinedOn404(
        t.kind === "virtualMachine"
          ? client.virtualMachineExtensions.get(t.resourceGroup, t.name, t.extensionName)
          : client.virtualMachineScaleSetExtensions.get(t.resourceGroup, t.name, t.extensionName),
      );
      return (
        ext && { publisher: ext.publisher, type: ext.typePropertiesType, provisioningState: ext.provisioningState }
      );
    },

    async getMachine(t) {
      const client = clientFor(t.subscriptionId);
      if (t.kind === "virtualMachine") {
        const vm = await orUndefinedOn404(client.virtualMachines.get(t.resourceGroup, t.name));
        return vm && { identity: normalizeIdentity(vm.identity) };
      }
      const vmss = await orUndefinedOn404(client.virtualMachineScaleSets.get(t.resourceGroup, t.name));
      return (
        vmss && { identity: normalizeIdentity(vmss.identity), upgradePolicy: vmss.upgradePolicy?.mode ?? "Manual" }
      );
    },

    async deleteExtension(t, signal) {
      const client = clientFor(t.subscriptionId);
      let initialStatus = 0;
      const options = (abortSignal: AbortSignal) => ({
        ...poll,
        abortSignal,
        onResponse: (r: { status: number }) => {
          initialStatus = r.status;
        },
      });
      try {
        await untilDone(signal, (abortSignal) =>
          t.kind === "virtualMachine"
            ? client.virtualMachineExtensions.delete(t.resourceGroup, t.name, t.extensionName, options(abortSignal))
            : client.virtualMachineScaleSetExtensions.delete(
                t.resourceGroup,
                t.name,
                t.extensionName,
                options(abortSignal),
              ),
        );
      } catch (error) {
        if (statusOf(error) === 404) return "gone";
        throw error;
      }
      return initialStatus === 204 ? "gone" : "deleted";
    },

    async upgradeInstances(t, signal) {
      await untilDone(signal, (abortSignal) =>
        clientFor(t.subscriptionId).virtualMachineScaleSets.updateInstances(
          t.resourceGroup,
          t.name,
          { instanceIds: ["*"] },
          { ...poll, abortSignal },
        ),
      );
    },
  };
}

/** What the SDK's long-running calls return: enough to wait for the end. */
interface Poller {
  pollUntilDone(options: { abortSignal: AbortSignal }): Promise<unknown>;
}

async function orUndefinedOn404<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
