import { compareText } from "./finding.js";

// The scan report: the JSON shape issue 4 fixes, shared by every output format and by `msi2imds remove`,
// which reads a saved report to know what to delete.

export type ScanEngine = "arm" | "graph";
export type MachineKind = "virtualMachine" | "virtualMachineScaleSet";

export interface ExtensionDetails {
  name: string;
  type: string;
  publisher: string;
  typeHandlerVersion: string | null;
  provisioningState: string | null;
  /** settings.port (a number or a numeric string), else the extension's default 50342. */
  port: number;
}

export interface IdentityDetails {
  /** "None" when the machine has no managed identity. */
  type: string;
  /** Resource ids of the user-assigned identities. */
  userAssignedIdentities: string[];
}

export interface ScanFinding {
  resourceId: string;
  subscriptionId: string;
  resourceGroup: string;
  kind: MachineKind;
  name: string;
  location: string;
  osType: string | null;
  extension: ExtensionDetails;
  identity: IdentityDetails;
  recommendedAction: string;
}

/** A scope that could not be read: the scan went on without it, and is incomplete. */
export interface ScanError {
  /** A subscription, resource group or resource id, or a Resource Graph batch. */
  scope: string;
  /** The HTTP status, null when no response came (network, TLS). */
  status: number | null;
  code: string;
  message: string;
}

export interface ScanSummary {
  subscriptions: number;
  virtualMachines: number;
  scaleSets: number;
  findings: number;
  errors: number;
}

export interface ScanReport {
  tool: { name: string; version: string };
  engine: ScanEngine;
  scannedAt: string;
  summary: ScanSummary;
  findings: ScanFinding[];
  errors: ScanError[];
}

export function compareScanFindings(a: ScanFinding, b: ScanFinding): number {
  // ARM resource ids are case-insensitive.
  return compareText(a.resourceId.toLowerCase(), b.resourceId.toLowerCase()) || compareText(a.extension.name, b.extension.name);
}
