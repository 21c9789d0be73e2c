import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

// The emulator's world: subscriptions holding VMs and scale sets, each with its extensions, as plain JSON
// (fixtures/fleets/*.json). State is mutable on purpose: a removed extension disappears from later reads.

export type SubscriptionState = "Enabled" | "Warned" | "PastDue" | "Disabled" | "Deleted";

export interface FleetExtension {
  name: string;
  publisher: string;
  type: string;
  typeHandlerVersion?: string;
  provisioningState?: string;
  settings?: Record<string, unknown>;
}

export interface FleetIdentity {
  /** "SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned" or "None". */
  type: string;
  /** Resource ids of user-assigned identities. */
  userAssignedIdentities?: string[];
}

export interface FleetVirtualMachine {
  name: string;
  resourceGroup: string;
  location: string;
  osType: "Windows" | "Linux";
  identity?: FleetIdentity;
  /** Set for a member of a flexible-orchestration scale set: the scale set's name in the same group. */
  scaleSet?: string;
  extensions: FleetExtension[];
}

export interface FleetScaleSet {
  name: string;
  resourceGroup: string;
  location: string;
  osType: "Windows" | "Linux";
  identity?: FleetIdentity;
  orchestrationMode?: "Uniform" | "Flexible";
  upgradePolicy?: "Automatic" | "Manual" | "Rolling";
  /** Uniform scale sets only; a flexible one's members are VMs. */
  extensions: FleetExtension[];
}

export interface FleetSubscription {
  subscriptionId: string;
  displayName: string;
  state: SubscriptionState;
  virtualMachines: FleetVirtualMachine[];
  scaleSets: FleetScaleSet[];
}

export interface Fleet {
  subscriptions: FleetSubscription[];
}

export const FLEETS_DIR = resolve(import.meta.dirname, "../../fixtures/fleets");

/** A fresh, independently mutable copy of fixtures/fleets/<name>.json. */
export function loadFleet(name: string): Fleet {
  return JSON.parse(readFileSync(join(FLEETS_DIR, `${name}.json`), "utf8")) as Fleet;
}

export function virtualMachineId(
  subscriptionId: string,
  vm: Pick<FleetVirtualMachine, "resourceGroup" | "name">,
): string {
  return (
    `/subscriptions/${subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute` +
    `/virtualMachines/${vm.name}`
  );
}

export function scaleSetId(subscriptionId: string, vmss: Pick<FleetScaleSet, "resourceGroup" | "name">): string {
  return (
    `/subscriptions/${subscriptionId}/resourceGroups/${vmss.resourceGroup}/providers/Microsoft.Compute` +
    `/virtualMachineScaleSets/${vmss.name}`
  );
}

export interface GeneratedFleetOptions {
  subscriptions: number;
  vmsPerSubscription: number;
  scaleSetsPerSubscription?: number;
  /** Every n-th machine carries the Managed Identity extension (plus a look-alike decoy on the next one). */
  extensionEvery?: number;
  resourceGroupsPerSubscription?: number;
}

function guid(n: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `00000000-0000-4000-8000-${hex}`;
}

const MI_LINUX: FleetExtension = {
  name: "ManagedIdentityExtensionForLinux",
  publisher: "Microsoft.ManagedIdentity",
  type: "ManagedIdentityExtensionForLinux",
  typeHandlerVersion: "1.0",
  provisioningState: "Succeeded",
  settings: { port: 50342 },
};
const DECOY: FleetExtension = {
  name: "ManagedIdentityExtensionForLinux",
  publisher: "Contoso.Tools",
  type: "ManagedIdentityExtensionForLinux",
  typeHandlerVersion: "2.1",
  provisioningState: "Succeeded",
  settings: {},
};
const MONITOR: FleetExtension = {
  name: "AzureMonitorLinuxAgent",
  publisher: "Microsoft.Azure.Monitor",
  type: "AzureMonitorLinuxAgent",
  typeHandlerVersion: "1.33",
  provisioningState: "Succeeded",
};

/** A deterministic fleet of any size, for load tests and benchmarks. */
export function generateFleet(options: GeneratedFleetOptions): Fleet {
  const every = options.extensionEvery ?? 10;
  const groups = options.resourceGroupsPerSubscription ?? 4;
  const subscriptions: FleetSubscription[] = [];
  for (let s = 0; s < options.subscriptions; s++) {
    const virtualMachines: FleetVirtualMachine[] = [];
    for (let v = 0; v < options.vmsPerSubscription; v++) {
      const extensions = [MONITOR];
      if (v % every === 0) extensions.push(MI_LINUX);
      if (v % every === 1) extensions.push(DECOY);
      virtualMachines.push({
        name: `vm-${s}-${v}`,
        resourceGroup: `rg-${v % groups}`,
        location: "westeurope",
        osType: "Linux",
        identity: v % 3 === 0 ? { type: "None" } : { type: "SystemAssigned" },
        extensions: extensions.map((e) => ({ ...e, settings: e.settings ? { ...e.settings } : undefined })),
      });
    }
    const scaleSets: FleetScaleSet[] = [];
    for (let v = 0; v < (options.scaleSetsPerSubscription ?? 0); v++) {
      scaleSets.push({
        name: `vmss-${s}-${v}`,
        resourceGroup: `rg-${v % groups}`,
        location: "westeurope",
        osType: "Linux",
        identity: { type: "SystemAssigned" },
        orchestrationMode: "Uniform",
        upgradePolicy: v % 2 === 0 ? "Manual" : "Automatic",
        extensions: v % every === 0 ? [{ ...MI_LINUX }] : [{ ...MONITOR }],
      });
    }
    subscriptions.push({
      subscriptionId: guid(s + 1),
      displayName: `Generated ${s + 1}`,
      state: "Enabled",
      virtualMachines,
      scaleSets,
    });
  }
  return { subscriptions };
}
