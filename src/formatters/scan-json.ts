import type { FleetFinding } from "../core/finding.js";
import type { ScanReport } from "../core/report.js";

// The scan's JSON report. Each finding is the one model flattened the way the report always showed a
// machine (resourceId, subscriptionId, …, extension, identity, recommendedAction; `location` is the Azure
// region here), with the model's ruleId, severity, fingerprint and message added. `msi2imds remove --from`
// reads it back.

export function scanFindingJson(finding: FleetFinding) {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    fingerprint: finding.fingerprint,
    message: finding.message,
    resourceId: finding.location.resourceId,
    ...finding.machine,
  };
}

export type ScanJsonFinding = ReturnType<typeof scanFindingJson>;

/** What `scan --format json` prints. */
export type ScanJson = Omit<ScanReport, "findings"> & { findings: ScanJsonFinding[] };

export function formatScanJson(report: ScanReport): string {
  const { findings, ...rest } = report;
  const ordered = { tool: rest.tool, engine: rest.engine, scannedAt: rest.scannedAt, summary: rest.summary };
  return `${JSON.stringify({ ...ordered, findings: findings.map(scanFindingJson), errors: report.errors }, null, 2)}\n`;
}
