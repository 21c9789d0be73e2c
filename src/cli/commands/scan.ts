import { Command } from "commander";
import { ExitCode } from "../../core/exit-codes.js";
import type { ScanReport } from "../../core/report.js";
import { emitReport, say } from "../emit.js";
import {
  checkTenant,
  timingsInMs,
  useColor,
  withFleetOptions,
  withOutputOptions,
  type FleetCommandOptions,
} from "../options.js";
import { unlessSignInFails } from "../sign-in.js";

// `msi2imds scan`: the options, then the run: the scan with a progress line on a terminal, its report
// rendered and emitted. The scan (and the Azure SDKs) load only when it runs, so lint and fix never pay.

export const SCAN_FORMATS = ["table", "json", "csv", "markdown"] as const;
type ScanFormat = (typeof SCAN_FORMATS)[number];

interface ScanCommandOptions extends FleetCommandOptions {
  format: ScanFormat;
}

export function scanCommand(): Command {
  const command = new Command("scan").description(
    "find every VM and scale set that still has the Managed Identity VM extension, across subscriptions",
  );
  withFleetOptions(command, {
    concurrency: 16,
    engine: "arm walks Compute (authoritative); graph asks Azure Resource Graph",
  });
  return withOutputOptions(command, SCAN_FORMATS, "table").action(async (options: ScanCommandOptions) => {
    checkTenant(options);
    const [{ scanFleet, scanExitCode }, { ScanCollector }, { startProgress }] = await Promise.all([
      import("../../scan/run.js"),
      import("../../scan/collector.js"),
      import("../progress.js"),
    ]);
    const collector = new ScanCollector();
    const progress = startProgress(collector, process.stderr);
    const run = await unlessSignInFails(options.auth, () =>
      scanFleet({ ...options, ...timingsInMs(options) }, collector),
    ).finally(() => progress.stop());
    if (!run) return;
    for (const s of run.skippedSubscriptions) say(`skipped subscription ${s.subscriptionId} (${s.state})`);
    const written = emitReport(
      await renderScan(run.report, options.format, useColor(options)),
      options.output,
      summaryOf(run.report),
    );
    process.exitCode = written ? scanExitCode(run.report) : ExitCode.Failure;
  });
}

export async function renderScan(report: ScanReport, format: ScanFormat, color: boolean): Promise<string> {
  switch (format) {
    case "json":
      return (await import("../../formatters/scan-json.js")).formatScanJson(report);
    case "csv":
      return (await import("../../formatters/csv.js")).formatScanCsv(report);
    case "markdown":
      return (await import("../../formatters/markdown.js")).formatScanMarkdown(report);
    case "table":
      return (await import("../../formatters/table.js")).formatScanTable(report, color);
  }
}

function summaryOf(report: ScanReport): string {
  return `scan: ${report.summary.findings} finding(s), ${report.summary.errors} error(s)`;
}
