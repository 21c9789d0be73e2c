import { Command, Option } from "commander";
import { checkTenant, wholeNumber, withFleetOptions } from "../options.js";
import type { ScanOptions } from "../../scan/run.js";

// `msi2imds scan`: options only. The implementation (and the Azure SDKs) load when the command runs.
// Kept free of SDK imports so `lint` and `fix` never pay for them.

const FORMATS = ["table", "json", "csv", "markdown"];

/** What commander hands over; `.choices()` has already narrowed the enumerations. */
type RawScanOptions = Omit<ScanOptions, "maxRetryAfterSeconds"> & { maxRetryAfter: number };

export function scanCommand(): Command {
  const command = new Command("scan")
    .description("find every VM and scale set that still has the Managed Identity VM extension, across subscriptions");
  return withFleetOptions(command, { concurrency: 16, engine: "arm walks Compute (authoritative); graph asks Azure Resource Graph" })
    .addOption(new Option("-f, --format <format>", "report format").choices(FORMATS).default("table"))
    .option("-o, --output <file>", "write the report to a file (atomically) instead of stdout")
    .option("--no-color", "plain text output")
    .option("--retry-delay-ms <ms>", "first backoff delay for retries (tests lower it)", wholeNumber(0, 60_000), 1000)
    .option("--max-retry-after <seconds>", "longest Retry-After honoured", wholeNumber(0, 3600), 60)
    .action(async ({ maxRetryAfter, ...options }: RawScanOptions) => {
      checkTenant(options);
      const { runScan } = await import("../../scan/run.js");
      await runScan({ ...options, maxRetryAfterSeconds: maxRetryAfter });
    });
}
