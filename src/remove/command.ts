import { Command, InvalidArgumentError, Option } from "commander";

// `msi2imds remove`: declares the options; the implementation (and the Azure SDKs) load only when it runs.

export const REMOVE_FORMATS = ["table", "json"] as const;
export type RemoveFormat = (typeof REMOVE_FORMATS)[number];

export interface RemoveCommandOptions {
  from?: string;
  resourceId: string[];
  auth: string;
  tenant?: string;
  cloud: string;
  armEndpoint?: string;
  subscription: string[];
  resourceGroup?: string;
  engine: string;
  yes: boolean;
  force: boolean;
  upgradeInstances: boolean;
  concurrency: number;
  pollInterval?: number;
  format: RemoveFormat;
  output?: string;
  color: boolean;
}

export function removeCommand(): Command {
  return new Command("remove")
    .description("plan, confirm and apply the removal of the Managed Identity VM extension from VMs and scale sets")
    .option("--from <report>", "a scan JSON report (msi2imds scan --format json) instead of scanning now")
    .option("--resource-id <id>", "only this VM, scale set or extension id (repeatable)", collect, [] as string[])
    .addOption(new Option("--auth <kind>", "credential").choices(["default", "cli", "managed-identity", "env"]).default("default"))
    .option("--tenant <id>", "tenant for the credential")
    .addOption(new Option("--cloud <name>", "Azure cloud").choices(["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"]).default("AzureCloud"))
    .option("--arm-endpoint <url>", "ARM endpoint (sovereign clouds, the emulator); https only", httpsOrigin)
    .option("--subscription <id>", "subscription to scan (repeatable; default: every one the identity can see)", collect, [] as string[])
    .option("--resource-group <name>", "only this resource group")
    .addOption(new Option("--engine <engine>", "how to scan when there is no --from").choices(["arm", "graph"]).default("arm"))
    .option("-y, --yes", "apply the plan without asking", false)
    .option("--force", "remove the extension even from machines without a managed identity", false)
    .option("--upgrade-instances", "after removal, upgrade every instance of scale sets with a Manual upgrade policy", false)
    .option("--concurrency <n>", "operations in flight at once", positiveInteger, 4)
    .option("--poll-interval <ms>", "wait between status polls when Azure sends no Retry-After (default 2000)", positiveInteger)
    .addOption(new Option("-f, --format <format>", "output format").choices(REMOVE_FORMATS).default("table"))
    .option("-o, --output <file>", "write the report to a file (atomically) instead of stdout")
    .option("--no-color", "plain text output")
    .action(async (options: RemoveCommandOptions) => {
      const { runRemove } = await import("./run.js");
      process.exitCode = await runRemove(options);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The SDK sends bearer tokens over TLS only, so anything but https could never work. */
function httpsOrigin(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== "https:") throw new InvalidArgumentError("expected an https:// URL");
  return url.origin;
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return Number(value);
}
