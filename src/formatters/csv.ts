import type { ScanReport } from "../core/report.js";

// Fleet findings as RFC 4180 CSV (CRLF, quoted when needed), one row per machine and extension, for
// spreadsheets and tickets.

export const SCAN_CSV_COLUMNS = [
  "resourceId",
  "subscriptionId",
  "resourceGroup",
  "kind",
  "name",
  "location",
  "osType",
  "extensionName",
  "extensionType",
  "extensionPublisher",
  "typeHandlerVersion",
  "provisioningState",
  "port",
  "identityType",
  "userAssignedIdentities",
  "recommendedAction",
  "ruleId",
  "severity",
  "fingerprint",
] as const;

export function csvField(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatScanCsv(report: ScanReport): string {
  const rows = report.findings.map(({ location, machine: m, ruleId, severity, fingerprint }) => [
    location.resourceId,
    m.subscriptionId,
    m.resourceGroup,
    m.kind,
    m.name,
    m.location,
    m.osType,
    m.extension.name,
    m.extension.type,
    m.extension.publisher,
    m.extension.typeHandlerVersion,
    m.extension.provisioningState,
    m.extension.port,
    m.identity.type,
    m.identity.userAssignedIdentities.join(";"),
    m.recommendedAction,
    ruleId,
    severity,
    fingerprint,
  ]);
  return `${[[...SCAN_CSV_COLUMNS], ...rows].map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}
