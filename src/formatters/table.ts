import { createColors } from "picocolors";
import type { ScanReport } from "../core/report.js";

// Fleet findings as a terminal table: one line per machine and extension, the advice beneath it.

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - text.length));
}

export function formatScanTable(report: ScanReport, color: boolean): string {
  const c = createColors(color);
  const header = ["KIND", "NAME", "RESOURCE GROUP", "SUBSCRIPTION", "EXTENSION", "VERSION", "PORT", "IDENTITY"];
  const rows = report.findings.map(({ machine: m }) => [
    m.kind === "virtualMachine" ? "VM" : "VMSS",
    m.name,
    m.resourceGroup,
    m.subscriptionId,
    m.extension.type,
    m.extension.typeHandlerVersion ?? "",
    String(m.extension.port),
    m.identity.type,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const lines: string[] = [];
  if (rows.length > 0) {
    lines.push(
      c.bold(
        header
          .map((h, i) => pad(h, widths[i]!))
          .join("  ")
          .trimEnd(),
      ),
    );
    report.findings.forEach((finding, index) => {
      const cells = rows[index]!.map((cell, i) => pad(cell, widths[i]!));
      if (finding.machine.identity.type === "None") cells[7] = c.yellow(cells[7]!);
      lines.push(cells.join("  ").trimEnd(), c.dim(`  → ${finding.machine.recommendedAction}`));
    });
    lines.push("");
  }
  for (const error of report.errors) {
    lines.push(c.red(`error  ${error.scope}: ${error.status ?? "no response"} ${error.code}: ${error.message}`));
  }
  const { summary } = report;
  const verdict =
    summary.findings > 0
      ? c.red(`${summary.findings} finding${summary.findings === 1 ? "" : "s"}`)
      : c.green("no findings");
  lines.push(
    `${verdict} in ${summary.virtualMachines} VMs and ${summary.scaleSets} scale sets ` +
      `across ${summary.subscriptions} subscriptions (engine ${report.engine})` +
      (summary.errors > 0
        ? c.red(`; INCOMPLETE: ${summary.errors} scope${summary.errors === 1 ? "" : "s"} could not be read`)
        : ""),
  );
  return `${lines.join("\n")}\n`;
}
