import { Command, Option } from "commander";
import { checkTenant, wholeNumber, withFleetOptions } from "../options.js";

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
  const command = new Command("remove")
    .description("plan, confirm and apply the removal of the Managed Identity VM extension from VMs and scale sets")
    .option("--from <report>", "a scan JSON report (msi2imds scan --format json) instead of scanning now")
    .option("--resource-id <id>", "only this VM, scale set or extension id (repeatable)", collect, [] as string[]);
  return withFleetOptions(command, { concurrency: 4, engine: "how to scan when there is no --from" })
    .option("-y, --yes", "apply the plan without asking", false)
    .option("--force", "remove the extension even from machines without a managed identity", false)
    .option("--upgrade-instances", "after removal, upgrade every instance of scale sets with a Manual upgrade policy", false)
    .option("--poll-interval <ms>", "wait between status polls when Azure sends no Retry-After (default 2000)", wholeNumber(1))
    .addOption(new Option("-f, --format <format>", "output format").choices(REMOVE_FORMATS).default("table"))
    .option("-o, --output <file>", "write the report to a file (atomically) instead of stdout")
    .option("--no-color", "plain text output")
    .action(async (options: RemoveCommandOptions) => {
      checkTenant(options);
      const { runRemove } = await import("../../remove/run.js");
      process.exitCode = await runRemove(options);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
