import type { FileFinding, Finding, FleetFinding, IdentityDetails, MachineKind, Severity } from "./finding.js";

// What each command hands to the formatters: its findings, plus what a reader needs around them. The
// commands build these; the formatters render them; only the command-line face writes them out.

export interface ToolInfo {
  name: string;
  version: string;
}

// ---- lint -------------------------------------------------------------------------------------------

export interface RuleDescriptor {
  id: string;
  description: string;
  severity: Severity;
  fixable: boolean;
  /** A web page about the rule (SARIF helpUri). */
  docsUrl?: string;
  /** The rule's Markdown doc, for SARIF's help. */
  docMarkdown?: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface LintReport {
  tool: ToolInfo;
  findings: readonly FileFinding[];
  /** The directory finding paths are relative to. */
  cwd: string;
  /** The repository root above cwd (cwd outside a repository): where repository-relative paths start. */
  sourceRoot: string;
  rules: readonly RuleDescriptor[];
  skipped: readonly SkippedFile[];
  /** Files rewritten by --fix, with how many fixes each took. */
  fixed: readonly { path: string; fixes: number }[];
  /** Failures of the tool itself: the run is incomplete. */
  toolErrors: readonly string[];
}

// ---- fix --------------------------------------------------------------------------------------------

export type FixStatus = "changed" | "unchanged" | "skipped" | "error";

export interface FixFileReport {
  path: string;
  status: FixStatus;
  reason?: string;
  /** Call sites left for a person. */
  review: readonly Finding[];
  /** What a person should know about the rewrite made (other text it changed, code it removed). */
  notes?: readonly string[];
  /** Text before and after the rewrite, for the diff; never part of the JSON. */
  before?: string;
  after?: string;
}

export interface FixSummary {
  changed: number;
  unchanged: number;
  skipped: number;
  errors: number;
  review: number;
}

// ---- scan -------------------------------------------------------------------------------------------

export type ScanEngine = "arm" | "graph";

/** A scope that could not be read: the scan went on without it, and is incomplete. */
export interface ScanError {
  /** A subscription, resource group or resource id, or a Resource Graph batch. */
  scope: string;
  /** The HTTP status, null when no response came (network, TLS). */
  status: number | null;
  code: string;
  message: string;
}

export interface ScanSummary {
  subscriptions: number;
  virtualMachines: number;
  scaleSets: number;
  findings: number;
  errors: number;
}

export interface ScanReport {
  tool: ToolInfo;
  engine: ScanEngine;
  scannedAt: string;
  summary: ScanSummary;
  findings: FleetFinding[];
  errors: ScanError[];
  /** Subscription id → display name, for the people reading a table (JSON keeps ids only). */
  subscriptionNames?: Record<string, string>;
}

// ---- remove -----------------------------------------------------------------------------------------

/** What `remove` acts on: one Managed Identity extension on one VM or scale set, from a scan finding. */
export interface RemovalTarget {
  kind: MachineKind;
  /** The machine's id (the VM or the scale set). */
  resourceId: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  extensionName: string;
  /** Where the finding came from: ARM is authoritative, Resource Graph can lag and is confirmed first. */
  source: ScanEngine;
  /** As last seen; undefined when the source did not say. */
  identity?: IdentityDetails;
  /** The scan finding's rule and fingerprint: what the outcome is reported against. */
  ruleId: string;
  fingerprint: string;
}

export type PlanAction = "delete" | "skip" | "already-gone";

export interface PlanEntry {
  target: RemovalTarget;
  extensionId: string;
  action: PlanAction;
  /** Why it is skipped or already gone. */
  reason?: string;
  /** The machine's identity type ("None" when it has none). */
  identity: string;
  /** Scale sets only. */
  upgradePolicy?: string;
  /** ARM could not be read for this machine: the run is incomplete (exit 2). */
  unread?: true;
  /** True when ARM itself was asked (always for Resource Graph data) and the extension is there. */
  confirmedInArm: boolean;
  /** Manual scale sets: true when --upgrade-instances will bring the instances to the new model. */
  upgradeInstances: boolean;
  /** What is left on the machine after the delete, and the command that finishes it. */
  remains?: string;
}

export type RemovalOutcome = "removed" | "already-gone" | "failed" | "skipped" | "interrupted" | "not-started";

export interface UpgradeResult {
  outcome: "upgraded" | "failed" | "interrupted";
  reason?: string;
}

export interface RemovalResult {
  extensionId: string;
  outcome: RemovalOutcome;
  reason?: string;
  /** Manual scale sets with --upgrade-instances. */
  upgrade?: UpgradeResult;
  /** What the owner still has to do on this machine. */
  remains?: string;
}

export interface RemovalReport {
  plan: PlanEntry[];
  /** Empty when nothing was applied. */
  results: RemovalResult[];
  applied: boolean;
}

export interface RemovalSummary {
  planned: number;
  removed: number;
  alreadyGone: number;
  skipped: number;
  failed: number;
  interrupted: number;
  /** Extensions whose scale-set instances still carry it. */
  remaining: number;
}

export function summarizeRemoval(report: RemovalReport): RemovalSummary {
  const count = (...outcomes: RemovalOutcome[]) => report.results.filter((r) => outcomes.includes(r.outcome)).length;
  return {
    planned: report.plan.filter((e) => e.action === "delete").length,
    removed: count("removed"),
    alreadyGone: count("already-gone"),
    skipped: count("skipped"),
    failed: count("failed"),
    interrupted: count("interrupted", "not-started"),
    remaining: report.results.filter((r) => r.remains).length,
  };
}
