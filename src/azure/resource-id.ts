import type { MachineKind } from "../core/finding.js";

// ARM resource ids: split, compared and recognised the way ARM treats them, case-insensitively (segment
// names come back as "resourcegroups" too).

export interface ResourceIdParts {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

export function parseResourceId(id: string): ResourceIdParts {
  const segments = id.split("/").filter(Boolean);
  const after = (name: string): string => {
    const index = segments.findIndex((s) => s.toLowerCase() === name);
    return index >= 0 ? (segments[index + 1] ?? "") : "";
  };
  return {
    subscriptionId: after("subscriptions"),
    resourceGroup: after("resourcegroups"),
    name: segments.at(-1) ?? "",
  };
}

export interface MachineRef extends ResourceIdParts {
  kind: MachineKind;
}

const MACHINE_ID = new RegExp(
  [
    String.raw`^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute`,
    String.raw`\/(virtualMachines|virtualMachineScaleSets)\/([^/]+)$`,
  ].join(""),
  "i",
);

/** A VM or scale-set id, split; undefined for any other resource. */
export function parseMachineId(id: string): MachineRef | undefined {
  const match = MACHINE_ID.exec(id.replace(/\/+$/, ""));
  if (!match) return undefined;
  const kind: MachineKind = match[3]!.toLowerCase() === "virtualmachines" ? "virtualMachine" : "virtualMachineScaleSet";
  return { kind, subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[4]! };
}

export function sameId(a: string, b: string): boolean {
  return a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
}
