import type { IdentityDetails, MachineKind, ScanEngine } from "../core/report.js";

// What `remove` acts on: one Managed Identity extension on one VM or scale set, named by ARM ids.

/** The scan's identity shape: type "None" when the machine has none. */
export type MachineIdentity = IdentityDetails;
/** Where the target came from: ARM is authoritative, Resource Graph can lag and is confirmed first. */
export type TargetSource = ScanEngine;

export interface RemovalTarget {
  kind: MachineKind;
  /** The machine's id (the VM or the scale set). */
  resourceId: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  extensionName: string;
  source: TargetSource;
  /** As last seen; undefined when the source did not say. */
  identity?: MachineIdentity;
}

const MACHINE_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/(virtualMachines|virtualMachineScaleSets)\/([^/]+)$/i;

export interface MachineRef {
  kind: MachineKind;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** Splits a VM or scale-set id; ids are compared case-insensitively, as ARM does. */
export function parseMachineId(id: string): MachineRef | undefined {
  const match = MACHINE_ID.exec(id.replace(/\/+$/, ""));
  if (!match) return undefined;
  const kind: MachineKind = match[3]!.toLowerCase() === "virtualmachines" ? "virtualMachine" : "virtualMachineScaleSet";
  return { kind, subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[4]! };
}

export function extensionIdOf(target: RemovalTarget): string {
  return `${target.resourceId}/extensions/${target.extensionName}`;
}

export function sameId(a: string, b: string): boolean {
  return a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
}

/** IMDS serves tokens only to a machine with a system- or user-assigned identity. */
export function hasManagedIdentity(identity: MachineIdentity | undefined): boolean {
  if (!identity) return false;
  return identity.type.toLowerCase() !== "none" && identity.type.trim() !== "";
}

/** What a Manual scale set keeps after its model lost the extension, with the command that finishes the job. */
export function instancesRemain(target: Pick<RemovalTarget, "resourceGroup" | "name">): string {
  return `instances keep the extension until upgraded: az vmss update-instances -g ${target.resourceGroup} -n ${target.name} --instance-ids '*'`;
}
