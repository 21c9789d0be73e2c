import { Command, Option } from "commander";
import { UsageError } from "../core/exit-codes.js";
import type { ScanOptions } from "./run.js";

// `msi2imds scan`: options only. The implementation (and the Azure SDKs) load when the command runs.
// Kept free of SDK imports so `lint` and `fix` never pay for them.

const AUTH_KINDS = ["default", "cli", "managed-identity", "env"];
const CLOUDS = ["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"];
const FORMATS = ["table", "json", "csv", "markdown"];
const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

function subscriptionId(value: string, previous: string[]): string[] {
  if (!SUBSCRIPTION_ID.test(value)) throw new UsageError(`--subscription must be a subscription id (a GUID), got "${value}"`);
  return [...previous, value];
}

function httpsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--arm-endpoint must be an https URL, got "${value}"`);
  }
  // The SDK refuses to send a bearer token anywhere but https.
  if (url.protocol !== "https:") throw new UsageError(`--arm-endpoint must be an https URL, got "${value}"`);
  return url.origin;
}

/** What commander hands over; `.choices()` has already narrowed the enumerations. */
type RawScanOptions = Omit<ScanOptions, "maxRetryAfterSeconds"> & { maxRetryAfter: number };

export function scanCommand(): Command {
  return new Command("scan")
    .description("find every VM and scale set that still has the Managed Identity VM extension, across subscriptions")
    .addOption(new Option("--auth <kind>", "credential to use").choices(AUTH_KINDS).default("default"))
    .option("--tenant <id>", "tenant to sign in to")
    .addOption(new Option("--cloud <name>", "Azure cloud").choices(CLOUDS).default("AzureCloud"))
    .option("--arm-endpoint <url>", "ARM endpoint to use instead of the cloud's (https)", httpsUrl)
    .option("--subscription <id>", "subscription to scan (repeatable; default: every visible one)", subscriptionId, [])
    .option("--resource-group <name>", "only this resource group")
    .addOption(new Option("--engine <engine>", "arm walks Compute (authoritative); graph asks Azure Resource Graph").choices(["arm", "graph"]).default("arm"))
    .option("--concurrency <n>", "requests in flight at most", integer("--concurrency", 1, 256), 16)
    .addOption(new Option("-f, --format <format>", "report format").choices(FORMATS).default("table"))
    .option("-o, --output <file>", "write the report to a file (atomically) instead of stdout")
    .option("--no-color", "plain text output")
    .option("--retry-delay-ms <ms>", "first backoff delay for retries (tests lower it)", integer("--retry-delay-ms", 0, 60_000), 1000)
    .option("--max-retry-after <seconds>", "longest Retry-After honoured", integer("--max-retry-after", 0, 3600), 60)
    .action(async ({ maxRetryAfter, ...options }: RawScanOptions) => {
      if (options.tenant && (options.auth === "managed-identity" || options.auth === "env")) {
        throw new UsageError(`--tenant applies to --auth default and cli; ${options.auth} takes its tenant from the environment`);
      }
      const { runScan } = await import("./run.js");
      await runScan({ ...options, maxRetryAfterSeconds: maxRetryAfter });
    });
}
