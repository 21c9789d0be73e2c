import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { ComputeManagementClient, type VirtualMachineScaleSet, type VirtualMachine } from "@azure/arm-compute";
import type { Cloud } from "../azure/clouds.js";
import { isAuthenticationFailure } from "../azure/credentials.js";
import type { MachineIdentity, RemovalTarget } from "./target.js";

// The ARM calls `remove` makes, behind an interface so the planner and applier read as policy, not plumbing.

export interface ExtensionState {
  publisher?: string;
  type?: string;
  provisioningState?: string;
}

export interface MachineState {
  identity: MachineIdentity;
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

export interface ArmClientSettings {
  credential: TokenCredential;
  /** ARM endpoint and audience, shared with `scan` (--cloud, --arm-endpoint). */
  cloud: Cloud;
  /** The scan's pacing policy: read bucket, in-flight bound, bounded retries with a capped Retry-After. */
  pacing: PipelinePolicy;
  /** Overrides core-lro's 2 s between polls when the service sends no usable Retry-After. */
  pollIntervalInMs?: number | undefined;
}

export function createRemovalArm(settings: ArmClientSettings): RemovalArm {
  const clients = new Map<string, ComputeManagementClient>();
  const clientFor = (subscriptionId: string): ComputeManagementClient => {
    let client = clients.get(subscriptionId.toLowerCase());
    if (!client) {
      client = new ComputeManagementClient(settings.credential, subscriptionId, {
        endpoint: settings.cloud.armEndpoint,
        credentials: { scopes: [settings.cloud.armScope] },
        // The SDK's own retry sleeps for any Retry-After however long; the pacing policy retries instead.
        retryOptions: { maxRetries: 0 },
        additionalPolicies: [{ policy: settings.pacing, position: "perCall" }],
      });
      clients.set(subscriptionId.toLowerCase(), client);
    }
    return client;
  };
  const poll = { updateIntervalInMs: settings.pollIntervalInMs };

  return {
    async getExtension(t) {
      const client = clientFor(t.subscriptionId);
      const ext = await orUndefinedOn404(t.kind === "virtualMachine"
        ? client.virtualMachineExtensions.get(t.resourceGroup, t.name, t.extensionName)
        : client.virtualMachineScaleSetExtensions.get(t.resourceGroup, t.name, t.extensionName));
      return ext && { publisher: ext.publisher, type: ext.typePropertiesType, provisioningState: ext.provisioningState };
    },

    async getMachine(t) {
      const client = clientFor(t.subscriptionId);
      if (t.kind === "virtualMachine") {
        const vm = await orUndefinedOn404(client.virtualMachines.get(t.resourceGroup, t.name));
        return vm && { identity: identityOf(vm) };
      }
      const vmss = await orUndefinedOn404(client.virtualMachineScaleSets.get(t.resourceGroup, t.name));
      return vmss && { identity: identityOf(vmss), upgradePolicy: vmss.upgradePolicy?.mode ?? "Manual" };
    },

    async deleteExtension(t, signal) {
      const client = clientFor(t.subscriptionId);
      let initialStatus = 0;
      const options = { ...poll, abortSignal: signal, onResponse: (r: { status: number }) => { initialStatus = r.status; } };
      const poller = t.kind === "virtualMachine"
        ? client.virtualMachineExtensions.delete(t.resourceGroup, t.name, t.extensionName, options)
        : client.virtualMachineScaleSetExtensions.delete(t.resourceGroup, t.name, t.extensionName, options);
      try {
        await poller.pollUntilDone({ abortSignal: signal });
      } catch (error) {
        if (statusOf(error) === 404) return "gone";
        throw error;
      }
      return initialStatus === 204 ? "gone" : "deleted";
    },

    async upgradeInstances(t, signal) {
      const poller = clientFor(t.subscriptionId).virtualMachineScaleSets.updateInstances(t.resourceGroup, t.name, { instanceIds: ["*"] }, { ...poll, abortSignal: signal });
      await poller.pollUntilDone({ abortSignal: signal });
    },
  };
}

function identityOf(machine: VirtualMachine | VirtualMachineScaleSet): MachineIdentity {
  return {
    type: machine.identity?.type ?? "None",
    userAssignedIdentities: Object.keys(machine.identity?.userAssignedIdentities ?? {}),
  };
}

async function orUndefinedOn404<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** One line for a person: the HTTP status when there is one and the first line of the message, never headers. */
export function describeError(error: unknown): string {
  const e = error as { statusCode?: unknown; message?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message.split("\n")[0]! : String(error);
  return typeof e?.statusCode === "number" ? `HTTP ${e.statusCode}: ${message}` : message;
}

/** No token, or ARM refused it: the run stops with exit 2 instead of reporting every machine as failed. */
export function isAuthFailure(error: unknown): boolean {
  return isAuthenticationFailure(error) || statusOf(error) === 401;
}
