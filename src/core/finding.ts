import { createHash } from "node:crypto";

// The one finding model: every job (fix, lint, scan, remove) reports through it and every formatter renders
// it. A finding sits in a file (a range) or on an Azure resource (its id); fleet findings carry the machine
// and its extension as typed details.

export type Severity = "error" | "warning";

/** 1-based lines and columns, end exclusive, as ESLint and SARIF count them. */
export interface FileRange {
  /** Relative to the working directory, with forward slashes. */
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type FindingLocation = { file: FileRange } | { resourceId: string };

/** A replacement of text[start, end) in the decoded file text (BOM excluded, line endings as in the file). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

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
  /** Resource ids of the user-assigned identities, sorted. */
  userAssignedIdentities: string[];
}

/** What a fleet finding knows about the machine that carries the extension. */
export interface MachineDetails {
  subscriptionId: string;
  resourceGroup: string;
  kind: MachineKind;
  name: string;
  /** The Azure region. */
  location: string;
  osType: string | null;
  extension: ExtensionDetails;
  identity: IdentityDetails;
  recommendedAction: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The rule's name for this kind of message: what tests match, whatever the wording. */
  messageId?: string;
  location: FindingLocation;
  /** Present only when the rule declared itself fixable and the change provably keeps behaviour. */
  fix?: readonly TextEdit[];
  /** What a person should know once the fix is applied: other text it changed, code it removed. */
  fixNotes?: readonly string[];
  /** Stable across unrelated edits: rule, scope and what was flagged, not its line number. */
  fingerprint: string;
  /** Fleet findings: the machine and its extension. */
  machine?: MachineDetails;
}

export type FileFinding = Finding & { location: { file: FileRange } };
export type FleetFinding = Finding & { location: { resourceId: string }; machine: MachineDetails };

export function isFileFinding(finding: Finding): finding is FileFinding {
  return "file" in finding.location;
}

export function isFleetFinding(finding: Finding): finding is FleetFinding {
  return "resourceId" in finding.location && finding.machine !== undefined;
}

/**
 * Fingerprints hash what was flagged rather than where, so a baseline survives lines moving;
 * `occurrence` tells apart identical snippets in one file.
 */
export function fingerprintOf(ruleId: string, scope: string, snippet: string, occurrence = 0): string {
  const normalized = snippet.replace(/\s+/g, " ").trim();
  return createHash("sha256").update(`${ruleId}\0${scope}\0${normalized}\0${occurrence}`).digest("hex").slice(0, 32);
}

/** A fleet finding's: the rule, the machine and the extension's name, compared as ARM compares them. */
export function fleetFingerprint(ruleId: string, resourceId: string, extensionName: string): string {
  return fingerprintOf(ruleId, resourceId.toLowerCase(), extensionName.toLowerCase());
}

/** File findings by path, line, column and rule; fleet findings by resource id (case-insensitive, as ARM ids are). */
export function compareFindings(a: Finding, b: Finding): number {
  const pa = isFileFinding(a) ? a.location.file : undefined;
  const pb = isFileFinding(b) ? b.location.file : undefined;
  if (pa && pb) {
    return (
      compareText(pa.path, pb.path) || pa.line - pb.line || pa.column - pb.column || compareText(a.ruleId, b.ruleId)
    );
  }
  return (
    compareText(sortKey(a), sortKey(b)) ||
    compareText(a.machine?.extension.name ?? "", b.machine?.extension.name ?? "") ||
    compareText(a.ruleId, b.ruleId)
  );
}

function sortKey(finding: Finding): string {
  return "file" in finding.location ? finding.location.file.path : finding.location.resourceId.toLowerCase();
}

/** Ordinal order (not the locale's): the same report on every machine, and no collator to load. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const finding of findings) if (finding.severity === "error") errors++;
  return { errors, warnings: findings.length - errors };
}
