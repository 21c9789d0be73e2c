import { readFileSync } from "node:fs";
import { UsageError } from "../core/exit-codes.js";
import type { ScanFinding, ScanReport } from "../core/report.js";
import { parseMachineId, sameId, type MachineIdentity, type RemovalTarget, type TargetSource } from "./target.js";

// Turns scan findings (a saved JSON report or a fresh scan) into removal targets, and applies --resource-id.

/** The part of the scan's report `remove` relies on; a saved file is checked for it field by field. */
export interface ScanFindingLike {
  resourceId: ScanFinding["resourceId"];
  extension: Pick<ScanFinding["extension"], "name">;
  identity?: Partial<ScanFinding["identity"]> | null;
}
export type ScanReportLike = Partial<Pick<ScanReport, "engine" | "errors">> & { findings: ScanFindingLike[] };

export function readScanReport(path: string): ScanReportLike {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`cannot read the scan report ${path}: ${(error as Error).message}`);
  }
  const report = parsed as Partial<ScanReportLike> | null;
  if (!report || !Array.isArray(report.findings)) throw new UsageError(`${path} is not a scan JSON report (no "findings" array); make one with: msi2imds scan --format json`);
  return report as ScanReportLike;
}

export function targetsFromFindings(findings: readonly ScanFindingLike[], engine: ScanReportLike["engine"]): RemovalTarget[] {
  const source: TargetSource = engine === "graph" ? "graph" : "arm";
  return findings.map((finding, index) => {
    const machine = typeof finding.resourceId === "string" ? parseMachineId(finding.resourceId) : undefined;
    const extensionName = finding.extension?.name;
    if (!machine || typeof extensionName !== "string" || extensionName === "") {
      throw new UsageError(`finding ${index + 1} has no VM or scale-set resourceId with an extension name`);
    }
    return { ...machine, resourceId: finding.resourceId, extensionName, source, identity: identityOf(finding.identity) };
  });
}

function identityOf(identity: ScanFindingLike["identity"]): MachineIdentity | undefined {
  if (!identity || typeof identity.type !== "string") return undefined;
  const assigned: unknown = identity.userAssignedIdentities;
  const ids = Array.isArray(assigned) ? assigned.map(String) : Object.keys(assigned ?? {});
  return { type: identity.type, userAssignedIdentities: ids };
}

/** Keeps the targets whose machine or extension id was named; a name that matches nothing is a usage error. */
export function pickTargets(targets: readonly RemovalTarget[], resourceIds: readonly string[]): RemovalTarget[] {
  if (resourceIds.length === 0) return [...targets];
  const matches = (t: RemovalTarget, id: string): boolean => sameId(t.resourceId, id) || sameId(`${t.resourceId}/extensions/${t.extensionName}`, id);
  const unmatched = resourceIds.filter((id) => !targets.some((t) => matches(t, id)));
  if (unmatched.length > 0) throw new UsageError(`--resource-id matches no machine with the extension: ${unmatched.join(", ")}`);
  return targets.filter((t) => resourceIds.some((id) => matches(t, id)));
}

/** The subscriptions that --resource-id names, so a scan run for them reads nothing else. */
export function subscriptionsOf(resourceIds: readonly string[]): string[] {
  const ids = resourceIds.map((id) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase()).filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}
