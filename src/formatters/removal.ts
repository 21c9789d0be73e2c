import { stripVTControlCharacters } from "node:util";
import pc from "picocolors";
import { summarizeRemoval, type PlanEntry, type RemovalReport, type RemovalResult } from "../core/report.js";

// The remove report: the plan, then (when applied) one outcome per extension. JSON is
// `{ plan, results, summary }`; each plan entry names the scan finding it acts on (ruleId, fingerprint).

export function formatRemovalJson(report: RemovalReport): string {
  const plan = report.plan.map((e) => ({
    extensionId: e.extensionId,
    ruleId: e.target.ruleId,
    fingerprint: e.target.fingerprint,
    resourceId: e.target.resourceId,
    kind: e.target.kind,
    subscriptionId: e.target.subscriptionId,
    resourceGroup: e.target.resourceGroup,
    name: e.target.name,
    extensionName: e.target.extensionName,
    source: e.target.source,
    action: e.action,
    ...(e.reason ? { reason: e.reason } : {}),
    identity: e.identity,
    ...(e.upgradePolicy ? { upgradePolicy: e.upgradePolicy } : {}),
    confirmedInArm: e.confirmedInArm,
    upgradeInstances: e.upgradeInstances,
    ...(e.remains ? { remains: e.remains } : {}),
  }));
  return `${JSON.stringify({ plan, results: report.results, summary: summarizeRemoval(report) }, null, 2)}\n`;
}

/**
 * The table report. `withPlan: false` leaves the plan out when the person running it has just seen it
 * (printed before the question and the deletes): plan, question, results, each once.
 */
export function formatRemovalTable(report: RemovalReport, color: boolean, withPlan = true): string {
  const c = pc.createColors(color);
  const out: string[] = withPlan ? planLines(report.plan, c) : [];
  if (report.applied) {
    const outcomeColor = (o: RemovalResult["outcome"]) =>
      o === "removed" ? c.green : o === "already-gone" ? c.dim : o === "skipped" ? c.yellow : c.red;
    if (withPlan) out.push("");
    out.push(c.bold("Results"));
    // Results come in plan order, so each row can name its machine the way the plan did.
    out.push(
      ...table(
        report.results.map((r, i) => [
          outcomeColor(r.outcome)(r.outcome),
          ...machineColumns(report.plan[i]!),
          [
            r.reason,
            r.upgrade && `instances: ${r.upgrade.outcome}${r.upgrade.reason ? ` (${r.upgrade.reason})` : ""}`,
            r.remains,
          ]
            .filter(Boolean)
            .join("; "),
        ]),
      ),
    );
  }
  const s = summarizeRemoval(report);
  out.push(
    "",
    report.applied
      ? `${s.removed} removed, ${s.alreadyGone} already gone, ${s.skipped} skipped, ${s.failed} failed` +
          `${s.interrupted ? `, ${s.interrupted} interrupted` : ""}` +
          `${s.remaining ? `, ${s.remaining} with instances still to upgrade` : ""}`
      : "nothing removed (plan only)",
  );
  return `${out.join("\n")}\n`;
}

/** The plan alone: what is shown before the question. */
export function formatRemovalPlan(plan: readonly PlanEntry[], color: boolean): string {
  return `${planLines(plan, pc.createColors(color)).join("\n")}\n`;
}

/** One line as each delete ends: `[done/total] outcome  kind  group/name  extension`. */
export function formatRemovalProgress(entry: PlanEntry, result: RemovalResult, done: number, total: number): string {
  const reason = result.reason ? `: ${result.reason}` : "";
  return `[${done}/${total}] ${result.outcome} ${machineColumns(entry).join(" ")}${reason}`;
}

function planLines(plan: readonly PlanEntry[], c: ReturnType<typeof pc.createColors>): string[] {
  const actionColor = { delete: c.cyan, skip: c.yellow, "already-gone": c.dim } as const;
  return [
    c.bold(`Plan: ${plan.filter((e) => e.action === "delete").length} of ${plan.length} extension(s) to delete`),
    ...table(
      plan.map((e) => [
        actionColor[e.action](e.action),
        ...machineColumns(e),
        `identity: ${e.identity}${e.upgradePolicy ? `, upgrade policy: ${e.upgradePolicy}` : ""}` +
          `${e.confirmedInArm ? ", confirmed in ARM" : ""}`,
        e.reason ?? e.remains ?? (e.upgradeInstances ? "then every instance is upgraded (--upgrade-instances)" : ""),
      ]),
    ),
  ];
}

function machineColumns(e: PlanEntry): string[] {
  return [
    e.target.kind === "virtualMachine" ? "VM" : "VMSS",
    `${e.target.resourceGroup}/${e.target.name}`,
    e.target.extensionName,
  ];
}

function table(rows: string[][]): string[] {
  if (rows.length === 0) return ["  (none)"];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => visible(r[i]!).length)));
  return rows.map((r) =>
    `  ${r
      .map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat(widths[i]! - visible(cell).length)))
      .join("  ")}`.trimEnd(),
  );
}

function visible(text: string): string {
  return stripVTControlCharacters(text);
}
