import { createColors } from "picocolors";
import type { FleetFinding } from "../core/finding.js";
import type { ScanReport } from "../core/report.js";

// Fleet findings as a terminal table: one line per machine and extension, with what a person acts on (the
// extension's name is what `az vm extension delete -n` takes; the subscription by the name people know
// it by; a provisioning state only when it failed), then each recommended action once, with the machines
// it applies to, rather than the same sentence under every row.

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - text.length));
}

/** A provisioning state worth showing: anything but the normal Succeeded. */
function troubledState(finding: FleetFinding): string {
  const state = finding.machine.extension.provisioningState;
  return state && state.toLowerCase() !== "succeeded" ? state : "";
}

export function formatScanTable(report: ScanReport, color: boolean): string {
  const c = createColors(color);
  const names = report.subscriptionNames ?? {};
  const withState = report.findings.some((f) => troubledState(f) !== "");
  const header = ["KIND", "NAME", "RESOURCE GROUP", "SUBSCRIPTION", "EXTENSION", "VERSION", "PORT", "IDENTITY"];
  if (withState) header.push("STATE");
  const rows = report.findings.map((finding) => {
    const m = finding.machine;
    const row = [
      m.kind === "virtualMachine" ? "VM" : "VMSS",
      m.name,
      m.resourceGroup,
      names[m.subscriptionId] ?? m.subscriptionId,
      m.extension.name,
      m.extension.typeHandlerVersion ?? "",
      String(m.extension.port),
      m.identity.type,
    ];
    if (withState) row.push(troubledState(finding));
    return row;
  });
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
      if (withState && troubledState(finding)) cells[8] = c.red(cells[8]!);
      lines.push(cells.join("  ").trimEnd());
    });
    lines.push("", c.bold("What to do"), ...groupedActions(report.findings).map((line) => c.dim(line)), "");
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

/** Each recommended action once, with the machines it applies to, in the order first met. */
function groupedActions(findings: readonly FleetFinding[]): string[] {
  const groups = new Map<string, string[]>();
  for (const { machine } of findings) {
    const machines = groups.get(machine.recommendedAction) ?? [];
    if (!machines.includes(machine.name)) machines.push(machine.name);
    groups.set(machine.recommendedAction, machines);
  }
  return [...groups].map(
    ([action, machines]) =>
      `  ${machines.length} machine${machines.length === 1 ? "" : "s"} (${machines.join(", ")}): ${action}`,
  );
}
