import type { ScanReport } from "../core/report.js";

// Fleet findings as RFC 4180 CSV (CRLF, quoted when needed), one row per machine and extension, for
// spreadsheets and tickets.

export const SCAN_CSV_COLUMNS = [
  "resourceId", "subscriptionId", "resourceGroup", "kind", "name", "location", "osType",
  "extensionName", "extensionType", "extensionPublisher", "typeHandlerVersion", "provisioningState", "port",
  "identityType", "userAssignedIdentities", "recommendedAction",
] as const;

export function csvField(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatScanCsv(report: ScanReport): string {
  const rows = report.findings.map((f) => [
    f.resourceId, f.subscriptionId, f.resourceGroup, f.kind, f.name, f.location, f.osType,
    f.extension.name, f.extension.type, f.extension.publisher, f.extension.typeHandlerVersion, f.extension.provisioningState, f.extension.port,
    f.identity.type, f.identity.userAssignedIdentities.join(";"), f.recommendedAction,
  ]);
  return [[...SCAN_CSV_COLUMNS], ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
