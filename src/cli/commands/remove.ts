import { resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { parseMachineId } from "../../azure/resource-id.js";
import { ExitCode } from "../../core/exit-codes.js";
import { summarizeRemoval, type PlanEntry, type RemovalReport } from "../../core/report.js";
import { canAsk, confirm } from "../confirm.js";
import { emitReport, say } from "../emit.js";
import {
  checkTenant,
  timingsInMs,
  useColor,
  wholeNumber,
  withFleetOptions,
  withOutputOptions,
  type FleetCommandOptions,
} from "../options.js";
import { unlessSignInFails } from "../sign-in.js";

// `msi2imds remove`: the options, then the run. The face hands remove what is not its own: the scan to run
// when there is no --from, the y/N question, the lines for the person running it, and SIGINT/SIGTERM.

export const REMOVE_FORMATS = ["table", "json"] as const;

const HEARTBEAT_MS = 20_000;

interface RemoveCommandOptions extends FleetCommandOptions {
  from?: string;
  resourceId: string[];
  yes: boolean;
  force: boolean;
  upgradeInstances: boolean;
  pollInterval?: number;
  operationTimeout: number;
  format: (typeof REMOVE_FORMATS)[number];
}

export function removeCommand(): Command {
  const command = new Command("remove")
    .description("plan, confirm and apply the removal of the Managed Identity VM extension from VMs and scale sets")
    .option("--from <report>", "a scan JSON report (msi2imds scan --format json) instead of scanning now")
    .option(
      "--resource-id <id>",
      "only this VM, scale set or extension id (repeatable)",
      collectResourceId,
      [] as string[],
    );
  withFleetOptions(command, { concurrency: 4, engine: "how to scan when there is no --from" })
    .option("-y, --yes", "apply the plan without asking", false)
    .option("--force", "remove the extension even from machines without a managed identity", false)
    .option(
      "--upgrade-instances",
      "after removal, upgrade every instance of scale sets with a Manual upgrade policy",
      false,
    )
    .option(
      "--poll-interval <ms>",
      "wait between status polls when Azure sends no Retry-After (default 2000)",
      wholeNumber(1),
    )
    .option(
      "--operation-timeout <seconds>",
      "stop polling a delete or upgrade Azure has not finished by then, and report it as unfinished",
      wholeNumber(1),
      1800,
    );
  return withOutputOptions(command, REMOVE_FORMATS, "table").action(async (options: RemoveCommandOptions) => {
    checkTenant(options);
    const [{ runRemoval }, { scanFleet }, { savedFindings }, formatters] = await Promise.all([
      import("../../remove/run.js"),
      import("../../scan/run.js"),
      import("../../remove/source.js"),
      import("../../formatters/removal.js"),
    ]);
    const color = useColor(options);
    const interruption = onInterrupt();
    // Shown on stderr before the question (or before the deletes with --yes), so the table report on
    // stdout then leaves it out: plan, question, progress, results, each once.
    let planShown = false;
    const showPlan = (plan: readonly PlanEntry[]) => {
      process.stderr.write(formatters.formatRemovalPlan(plan, color));
      planShown = true;
    };
    // A delete can run for minutes: between the lines that end them, a line now and then says it goes on.
    let ended = 0;
    let heartbeat: NodeJS.Timeout | undefined;
    const deleting = (total: number) => {
      const started = Date.now();
      heartbeat = setInterval(() => {
        const seconds = Math.round((Date.now() - started) / 1000);
        say(`remove: ${ended}/${total} ended after ${seconds} s; the others are still being deleted`);
      }, HEARTBEAT_MS);
      heartbeat.unref();
    };
    const timings = timingsInMs(options);
    const run = await unlessSignInFails(options.auth, () =>
      runRemoval(
        {
          ...options,
          ...timings,
          operationTimeoutMs: options.operationTimeout * 1000,
          from: options.from === undefined ? undefined : resolve(options.from),
        },
        {
          async scan(scope) {
            const { report } = await scanFleet({ ...options, ...timings, ...scope });
            return { engine: report.engine, findings: savedFindings(report.findings), errors: report.errors };
          },
          approve: async (plan) => {
            const approved = await approve(plan, options, showPlan);
            if (approved) deleting(plan.filter((e) => e.action === "delete").length);
            return approved;
          },
          note: say,
          progress: (entry, result, done, total) => {
            ended = done;
            say(`remove: ${formatters.formatRemovalProgress(entry, result, done, total)}`);
          },
          signal: interruption.signal,
        },
      ),
    ).finally(() => {
      clearInterval(heartbeat);
      interruption.dispose();
    });
    if (!run) return;
    const text =
      options.format === "json"
        ? formatters.formatRemovalJson(run.report)
        : formatters.formatRemovalTable(run.report, color, !(planShown && options.output === undefined));
    process.exitCode = emitReport(text, options.output, summaryOf(run.report)) ? run.exitCode : ExitCode.Failure;
  });
}

/** --yes applies; on a terminal the plan is shown and y/N decides; otherwise nothing is removed. */
async function approve(
  plan: readonly PlanEntry[],
  options: { yes: boolean; concurrency: number },
  showPlan: (plan: readonly PlanEntry[]) => void,
): Promise<boolean> {
  if (!options.yes && !canAsk()) return false;
  showPlan(plan);
  const deletes = plan.filter((e) => e.action === "delete").length;
  if (!options.yes && !(await confirm(`Delete ${deletes} extension(s)?`))) return false;
  say(`remove: deleting ${deletes} extension(s), ${options.concurrency} at a time; a line as each one ends`);
  return true;
}

/** SIGINT/SIGTERM stop new deletes and stop waiting on running ones; the report is still written. */
function onInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = (): void => {
    say("interrupted; operations already sent finish in Azure, run again to complete");
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    },
  };
}

function summaryOf(report: RemovalReport): string {
  const s = summarizeRemoval(report);
  return report.applied
    ? `remove: ${s.removed} removed, ${s.failed} failed, ${s.skipped} skipped`
    : "remove: plan only, nothing removed";
}

/** Checked here, before any sign-in: a mistyped id would otherwise cost a scan to find that nothing matches. */
function collectResourceId(value: string, previous: string[]): string[] {
  if (!parseMachineId(value.replace(/\/extensions\/[^/]+\/?$/i, "")))
    throw new InvalidArgumentError(
      "expected a VM or scale set id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/…) " +
        "or the id of its extension",
    );
  return [...previous, value];
}
