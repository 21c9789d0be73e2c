import type { FleetFinding, MachineDetails, MachineKind } from "../core/finding.js";
import { fleetFingerprint } from "../core/finding.js";
import { messageOf } from "../core/rule.js";
import { normalizeIdentity, type RawIdentity } from "../azure/identity.js";
import { parseResourceId } from "../azure/resource-id.js";
import { EXTENSION_DEFAULT_PORT } from "../imds.js";
import vmExtensionInstalled from "../../rules/vm-extension-installed.js";

// Turns what either engine read about a machine and one of its extensions into a finding of the one model,
// so ARM and Resource Graph cannot disagree on ports, identities, advice or fingerprints.

export interface MachineFacts {
  id: string;
  kind: MachineKind;
  location: string;
  osType?: string | undefined;
  identity?: RawIdentity | null | undefined;
  /** A scale set's upgradePolicy.mode. */
  upgradeMode?: string | undefined;
}

export interface ExtensionFacts {
  name: string;
  publisher: string;
  type: string;
  typeHandlerVersion?: string | undefined;
  provisioningState?: string | undefined;
  settings?: unknown;
}

/** settings.port as a number (50342 or "50342"); the extension's default when absent or unreadable. */
export function extensionPort(settings: unknown): number {
  let object = settings;
  if (typeof object === "string") {
    try {
      object = JSON.parse(object) as unknown;
    } catch {
      return EXTENSION_DEFAULT_PORT;
    }
  }
  if (typeof object !== "object" || object === null) return EXTENSION_DEFAULT_PORT;
  const entry = Object.entries(object).find(([key]) => key.toLowerCase() === "port");
  const port = typeof entry?.[1] === "string" && /^\s*\d+\s*$/.test(entry[1]) ? Number(entry[1]) : entry?.[1];
  return typeof port === "number" && Number.isInteger(port) && port > 0 && port < 65536 ? port : EXTENSION_DEFAULT_PORT;
}

export function recommendedAction(kind: MachineKind, identityType: string, upgradeMode: string | undefined): string {
  const steps: string[] = [];
  if (identityType.toLowerCase() === "none") {
    steps.push("Assign a managed identity first: IMDS serves tokens only for identities the machine has.");
  }
  steps.push("Move the machine's code to IMDS, then remove the extension.");
  if (kind === "virtualMachineScaleSet" && upgradeMode?.toLowerCase() === "manual") {
    steps.push("The upgrade policy is Manual: upgrade the instances after removal, or they keep the extension.");
  }
  return steps.join(" ");
}

export function machineFinding(machine: MachineFacts, extension: ExtensionFacts): FleetFinding {
  const parts = parseResourceId(machine.id);
  const identity = normalizeIdentity(machine.identity);
  const details: MachineDetails = {
    subscriptionId: parts.subscriptionId,
    resourceGroup: parts.resourceGroup,
    kind: machine.kind,
    name: parts.name,
    location: machine.location,
    osType: machine.osType && machine.osType !== "" ? machine.osType : null,
    extension: {
      name: extension.name,
      type: extension.type,
      publisher: extension.publisher,
      typeHandlerVersion: extension.typeHandlerVersion ?? null,
      provisioningState: extension.provisioningState ?? null,
      port: extensionPort(extension.settings),
    },
    identity,
    recommendedAction: recommendedAction(machine.kind, identity.type, machine.upgradeMode),
  };
  const problem = {
    messageId: "installed",
    data: {
      kind: machine.kind === "virtualMachine" ? "VM" : "Scale set",
      name: parts.name,
      extension: extension.name,
      type: extension.type,
      port: details.extension.port,
      action: details.recommendedAction,
    },
  };
  return {
    ruleId: vmExtensionInstalled.meta.id,
    severity: vmExtensionInstalled.meta.severity,
    messageId: problem.messageId,
    message: messageOf(vmExtensionInstalled.meta, problem),
    location: { resourceId: machine.id },
    fingerprint: fleetFingerprint(vmExtensionInstalled.meta.id, machine.id, extension.name),
    machine: details,
  };
}
