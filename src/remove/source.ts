import { UsageError } from "../core/exit-codes.js";
import { describeFsError, readSmallTextFile, SMALL_FILE_LIMITS } from "../files/text-file.js";
import { fleetFingerprint, type FleetFinding } from "../core/finding.js";
import type { RemovalTarget, ScanEngine, ScanError } from "../core/report.js";
import { normalizeIdentity, type RawIdentity } from "../azure/identity.js";
import { parseMachineId, sameId } from "../azure/resource-id.js";
import vmExtensionInstalled from "../../rules/vm-extension-installed.js";

// Turns scan findings (a saved JSON report, old or new, or a fresh scan) into removal targets, and applies
// --resource-id.

/** The part of a saved scan report `remove` relies on; a saved file is checked for it field by field. */
export interface SavedFinding {
  resourceId?: unknown;
  extension?: { name?: unknown } | null;
  identity?: RawIdentity | null;
  ruleId?: unknown;
  fingerprint?: unknown;
}

export interface SavedScanReport {
  engine?: ScanEngine;
  errors?: ScanError[];
  findings: SavedFinding[];
}

export function readScanReport(path: string): SavedScanReport {
  let text: string;
  try {
    text = readSmallTextFile(path, SMALL_FILE_LIMITS.scanReport);
  } catch (error) {
    throw new UsageError(`cannot read the scan report ${path}: ${describeFsError(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`cannot read the scan report ${path}: ${(error as Error).message}`);
  }
  const report = parsed as Partial<SavedScanReport> | null;
  if (!report || !Array.isArray(report.findings)) {
    throw new UsageError(
      `${path} is not a scan JSON report (no "findings" array); make one with: msi2imds scan --format json`,
    );
  }
  return report as SavedScanReport;
}

/** A fresh scan's findings, as a saved report would show them. */
export function savedFindings(findings: readonly FleetFinding[]): SavedFinding[] {
  return findings.map((f) => ({
    resourceId: f.location.resourceId,
    extension: f.machine.extension,
    identity: f.machine.identity,
    ruleId: f.ruleId,
    fingerprint: f.fingerprint,
  }));
}

export function targetsFromFindings(
  findings: readonly SavedFinding[],
  engine: ScanEngine | undefined,
): RemovalTarget[] {
  const source: ScanEngine = engine === "graph" ? "graph" : "arm";
  return findings.map((finding, index) => {
    const resourceId = typeof finding.resourceId === "string" ? finding.resourceId : undefined;
    const machine = resourceId === undefined ? undefined : parseMachineId(resourceId);
    const extensionName = finding.extension?.name;
    if (!resourceId || !machine || typeof extensionName !== "string" || extensionName === "") {
      throw new UsageError(`finding ${index + 1} has no VM or scale-set resourceId with an extension name`);
    }
    // A report older than the finding model has no rule or fingerprint: both are what a scan would give now.
    const ruleId = typeof finding.ruleId === "string" ? finding.ruleId : vmExtensionInstalled.meta.id;
    return {
      ...machine,
      resourceId,
      extensionName,
      source,
      ...(finding.identity && typeof finding.identity.type === "string"
        ? { identity: normalizeIdentity(finding.identity) }
        : {}),
      ruleId,
      fingerprint:
        typeof finding.fingerprint === "string"
          ? finding.fingerprint
          : fleetFingerprint(ruleId, resourceId, extensionName),
    };
  });
}

/** Keeps the targets whose machine or extension id was named; a name that matches nothing is a usage error. */
export function pickTargets(targets: readonly RemovalTarget[], resourceIds: readonly string[]): RemovalTarget[] {
  if (resourceIds.length === 0) return [...targets];
  const matches = (t: RemovalTarget, id: string): boolean =>
    sameId(t.resourceId, id) || sameId(`${t.resourceId}/extensions/${t.extensionName}`, id);
  const unmatched = resourceIds.filter((id) => !targets.some((t) => matches(t, id)));
  if (unmatched.length > 0)
    throw new UsageError(`--resource-id matches no machine with the extension: ${unmatched.join(", ")}`);
  return targets.filter((t) => resourceIds.some((id) => matches(t, id)));
}

/** The subscriptions that --resource-id names, so a scan run for them reads nothing else. */
export function subscriptionsOf(resourceIds: readonly string[]): string[] {
  const ids = resourceIds
    .map((id) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase())
    .filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}
