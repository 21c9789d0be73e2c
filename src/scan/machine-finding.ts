import { EXTENSION_DEFAULT_PORT } from "../imds.js";
import type { IdentityDetails, MachineKind, ScanFinding } from "../core/report.js";

// Turns what either engine read about a machine and one of its extensions into a finding, so ARM and
// Resource Graph cannot disagree on ports, identities or advice.

export interface MachineFacts {
  id: string;
  kind: MachineKind;
  location: string;
  osType?: string | undefined;
  identity?: { type?: string | undefined; userAssignedIdentities?: Record<string, unknown> | undefined } | null | undefined;
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

export interface ResourceIdParts {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** ARM ids keep their segment names in any case ("resourcegroups" happens): read them case-insensitively. */
export function parseResourceId(id: string): ResourceIdParts {
  const segments = id.split("/").filter(Boolean);
  const after = (name: string): string => {
    const index = segments.findIndex((s) => s.toLowerCase() === name);
    return index >= 0 ? (segments[index + 1] ?? "") : "";
  };
  return { subscriptionId: after("subscriptions"), resourceGroup: after("resourcegroups"), name: segments.at(-1) ?? "" };
}

/** settings.port as a number (50342 or "50342"); the extension's default when absent or unreadable. */
export function extensionPort(settings: unknown): number {
  let object = settings;
  if (typeof object === "string") {
    try { object = JSON.parse(object) as unknown; } catch { return EXTENSION_DEFAULT_PORT; }
  }
  if (typeof object !== "object" || object === null) return EXTENSION_DEFAULT_PORT;
  const entry = Object.entries(object).find(([key]) => key.toLowerCase() === "port");
  const port = typeof entry?.[1] === "string" && /^\s*\d+\s*$/.test(entry[1]) ? Number(entry[1]) : entry?.[1];
  return typeof port === "number" && Number.isInteger(port) && port > 0 && port < 65536 ? port : EXTENSION_DEFAULT_PORT;
}

function identityDetails(identity: MachineFacts["identity"]): IdentityDetails {
  return {
    type: identity?.type && identity.type.trim() !== "" ? identity.type : "None",
    userAssignedIdentities: Object.keys(identity?.userAssignedIdentities ?? {}).sort(),
  };
}

export function recommendedAction(kind: MachineKind, identity: IdentityDetails, upgradeMode: string | undefined): string {
  const steps: string[] = [];
  if (identity.type.toLowerCase() === "none") {
    steps.push("Assign a managed identity first: IMDS serves tokens only for identities the machine has.");
  }
  steps.push("Move the machine's code to IMDS, then remove the extension.");
  if (kind === "virtualMachineScaleSet" && upgradeMode?.toLowerCase() === "manual") {
    steps.push("The upgrade policy is Manual: upgrade the instances after removal, or they keep the extension.");
  }
  return steps.join(" ");
}

export function machineFinding(machine: MachineFacts, extension: ExtensionFacts): ScanFinding {
  const parts = parseResourceId(machine.id);
  const identity = identityDetails(machine.identity);
  return {
    resourceId: machine.id,
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
    recommendedAction: recommendedAction(machine.kind, identity, machine.upgradeMode),
  };
}
