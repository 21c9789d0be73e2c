import type { ScanReport } from "../core/report.js";

// Fleet findings as a Markdown report (GitHub-flavoured tables) for issues, wikis and step summaries.

export function markdownCell(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>") || " ";
}

function table(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => " --- ").join("|")}|`,
    ...rows.map((row) => `| ${row.map(markdownCell).join(" | ")} |`),
  ];
}

export function formatScanMarkdown(report: ScanReport): string {
  const { summary } = report;
  const lines = [
    "# Managed Identity VM extension: fleet scan",
    "",
    `Engine \`${report.engine}\`, ${report.scannedAt}, ${report.tool.name} ${report.tool.version}.`,
    "",
    ...table(
      ["Subscriptions", "Virtual machines", "Scale sets", "Findings", "Errors"],
      [[summary.subscriptions, summary.virtualMachines, summary.scaleSets, summary.findings, summary.errors]],
    ),
    "",
    "## Findings",
    "",
  ];
  if (report.findings.length === 0) lines.push("No machine carries the extension.");
  else {
    lines.push(
      ...table(
        [
          "Kind",
          "Name",
          "Resource group",
          "Subscription",
          "Location",
          "OS",
          "Extension",
          "Version",
          "Port",
          "Identity",
          "Recommended action",
        ],
        report.findings.map(({ machine: m }) => [
          m.kind === "virtualMachine" ? "VM" : "Scale set",
          m.name,
          m.resourceGroup,
          m.subscriptionId,
          m.location,
          m.osType,
          `${m.extension.name} (${m.extension.type})`,
          m.extension.typeHandlerVersion,
          m.extension.port,
          m.identity.type,
          m.recommendedAction,
        ]),
      ),
    );
  }
  if (report.errors.length > 0) {
    lines.push(
      "",
      "## Errors: the scan is incomplete",
      "",
      ...table(
        ["Scope", "Status", "Code", "Message"],
        report.errors.map((e) => [e.scope, e.status, e.code, e.message]),
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
