import type {
  ComputeManagementClient,
  VirtualMachine,
  VirtualMachineScaleSet,
  VirtualMachineScaleSetExtension,
} from "@azure/arm-compute";
import vmExtensionInstalled from "../../rules/vm-extension-installed.js";
import { forEachConcurrent } from "../azure/concurrency.js";
import { computeClient } from "../azure/session.js";

import { parseResourceId } from "../azure/resource-id.js";
import { machineFinding, type ExtensionFacts, type MachineFacts } from "./machine-finding.js";
import { isAuthenticationFailure, isScopeForbidden, toScanError } from "../azure/errors.js";
import type { ScanContext } from "./context.js";

// The authoritative engine: walks Compute through ARM. VM lists carry only extension ids, so each VM's
// extensions are read with one more GET; scale sets carry theirs in extensionProfile and as child
// resources, and both are read (the child list has the provisioning state). Flexible scale sets' members
// are ordinary VMs and are found as such.

type SdkExtension = {
  name?: string | undefined;
  publisher?: string | undefined;
  typePropertiesType?: string | undefined;
  typeHandlerVersion?: string | undefined;
  provisioningState?: string | undefined;
  settings?: unknown;
};

function extensionFacts(extension: SdkExtension): ExtensionFacts | undefined {
  if (!vmExtensionInstalled.matches({ publisher: extension.publisher, type: extension.typePropertiesType }))
    return undefined;
  return {
    name: extension.name ?? "",
    publisher: extension.publisher ?? "",
    type: extension.typePropertiesType ?? "",
    typeHandlerVersion: extension.typeHandlerVersion,
    provisioningState: extension.provisioningState,
    settings: extension.settings,
  };
}

function vmFacts(vm: VirtualMachine): MachineFacts {
  return {
    id: vm.id ?? "",
    kind: "virtualMachine",
    location: vm.location,
    osType: vm.storageProfile?.osDisk?.osType,
    identity: vm.identity,
  };
}

function scaleSetFacts(vmss: VirtualMachineScaleSet): MachineFacts {
  return {
    id: vmss.id ?? "",
    kind: "virtualMachineScaleSet",
    location: vmss.location,
    osType: vmss.virtualMachineProfile?.storageProfile?.osDisk?.osType,
    identity: vmss.identity,
    upgradeMode: vmss.upgradePolicy?.mode,
  };
}

/** Reads a whole paged list; a failure is recorded for `scope` and ends the list where it broke. */
async function collect<T>(
  context: ScanContext,
  scope: string,
  pages: AsyncIterable<T>,
): Promise<{ items: T[]; forbidden: boolean }> {
  const items: T[] = [];
  try {
    for await (const item of pages) items.push(item);
    return { items, forbidden: false };
  } catch (error) {
    if (isAuthenticationFailure(error)) throw error;
    const scanError = toScanError(scope, error);
    context.collector.addError(scanError);
    return { items, forbidden: isScopeForbidden(scanError) };
  }
}

async function checkVirtualMachine(
  context: ScanContext,
  client: ComputeManagementClient,
  vm: VirtualMachine,
): Promise<void> {
  const id = vm.id ?? "";
  const { resourceGroup, name } = parseResourceId(id);
  try {
    const result = await client.virtualMachineExtensions.list(resourceGroup, name);
    for (const extension of result.value ?? []) {
      const facts = extensionFacts(extension);
      if (facts) context.collector.findings.push(machineFinding(vmFacts(vm), facts));
    }
  } catch (error) {
    if (isAuthenticationFailure(error)) throw error;
    context.collector.addError(toScanError(id, error));
  }
  context.collector.machinesChecked += 1;
}

async function checkScaleSet(
  context: ScanContext,
  client: ComputeManagementClient,
  vmss: VirtualMachineScaleSet,
): Promise<void> {
  const byName = new Map<string, SdkExtension>();
  for (const extension of vmss.virtualMachineProfile?.extensionProfile?.extensions ?? [])
    byName.set((extension.name ?? "").toLowerCase(), extension);
  if (vmss.virtualMachineProfile) {
    const { resourceGroup, name } = parseResourceId(vmss.id ?? "");
    const children = await collect<VirtualMachineScaleSetExtension>(
      context,
      vmss.id ?? "",
      client.virtualMachineScaleSetExtensions.list(resourceGroup, name),
    );
    for (const extension of children.items) byName.set((extension.name ?? "").toLowerCase(), extension);
  }
  for (const extension of byName.values()) {
    const facts = extensionFacts(extension);
    if (facts) context.collector.findings.push(machineFinding(scaleSetFacts(vmss), facts));
  }
  context.collector.machinesChecked += 1;
}

export async function scanSubscriptionWithArm(context: ScanContext, subscriptionId: string): Promise<void> {
  const client = computeClient(context.azure, subscriptionId);
  const group = context.resourceGroup;
  const scope = `/subscriptions/${subscriptionId}${group ? `/resourceGroups/${group}` : ""}`;

  const vms = await collect(
    context,
    scope,
    group ? client.virtualMachines.list(group) : client.virtualMachines.listAll(),
  );
  if (vms.forbidden) return;
  context.collector.virtualMachines += vms.items.length;
  await forEachConcurrent(
    vms.items,
    context.concurrency,
    (vm) => checkVirtualMachine(context, client, vm),
    context.deadline,
  );

  const scaleSets = await collect(
    context,
    scope,
    group ? client.virtualMachineScaleSets.list(group) : client.virtualMachineScaleSets.listAll(),
  );
  context.collector.scaleSets += scaleSets.items.length;
  await forEachConcurrent(
    scaleSets.items,
    context.concurrency,
    (vmss) => checkScaleSet(context, client, vmss),
    context.deadline,
  );
}
