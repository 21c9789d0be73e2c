import { fingerprintOf, type Finding, type TextEdit } from "../core/finding.js";
import { anyOverlap, editsOverlap } from "../core/fix.js";
import { LineIndex } from "../core/positions.js";
import type { CodePath } from "../../rules/support/code-paths.js";
import { FORBIDDEN_IMDS_HEADER, IMDS_TOKEN_URL, imdsTokenUrl } from "../imds.js";
import type { SourceInput } from "../pipeline/analysis.js";

// From planned rewrites to findings, for every language the codemod reads: calls whose edits touch the same
// text (one URL constant) become one finding fixed together or not at all, and each finding says what the
// rewrite does or why it needs a person.

/** What one call site needs: a rewrite (all its edits together) or a person. */
export type Outcome =
  | {
      kind: "rewrite";
      client: string;
      host: string;
      port: number | undefined;
      edits: TextEdit[];
      notes: string[];
      /** What a person should still check once it is written (Finding.fixNotes). */
      remarks?: string[];
    }
  /**
   * `path`: the code path lint warns about instead of failing (Cloud Shell, App Service, emulator, test).
   * `removal`: what is to be done is to remove something (a setting), so no IMDS request is offered.
   * `odd`: evidence too odd for an error (IMDS's path on the extension's port): lint warns.
   */
  | { kind: "review"; client: string; reason: string; path?: CodePath; removal?: boolean; odd?: boolean };

/** IMDS's token path on the extension's host and port: neither endpoint, so no rewrite can tell what was meant. */
export const HYBRID_REASON =
  "it asks IMDS's token path on the extension's port, which the extension never served and IMDS does not " +
  "listen on: on a VM, send it to 169.254.169.254; for a local emulator or Cloud Shell, suppress it with a reason";

/** A call site or literal, by its offsets in the text, and what it needs. */
export interface Located {
  start: number;
  end: number;
  outcome: Outcome;
}

export interface FindingOptions {
  ruleId: string;
  /** The messageId of a case for a person ("review" unless said). */
  reviewMessageId?: (outcome: Outcome) => string;
}

/** What a rewrite's notes say of the headers IMDS refuses or no longer needs, in every language. */
export const FORWARDED_FOR_REMOVED = `${FORBIDDEN_IMDS_HEADER} removed (IMDS refuses it)`;
export const FORM_CONTENT_TYPE_REMOVED = "the form's Content-Type goes: a GET has no body";

/** Cloud Shell sets MSI_ENDPOINT (without MSI_SECRET) and still serves the extension's URL (domain.md §6). */
export const CLOUD_SHELL_VARIABLE = "MSI_ENDPOINT";
export const CLOUD_SHELL_REASON =
  `the file reads ${CLOUD_SHELL_VARIABLE} from the environment (Cloud Shell style) and Cloud Shell still serves ` +
  "the extension URL; decide by hand which environments this code runs in";

/** The same for code whose Cloud Shell path was found elsewhere (its function, its document). */
export function cloudShellReason(evidence: string): string {
  return (
    `it is on a Cloud Shell code path (${evidence}), and Cloud Shell still serves the extension's URL; ` +
    "decide by hand which environments this code runs in"
  );
}

/** What an item for a person says: why, and the IMDS request to make instead (unless the way out is a removal). */
export function reviewMessage(reason: string, apiVersion: string, withTarget = true): string {
  const target = ` Target: GET ${imdsTokenUrl("resource=…", apiVersion)} with header Metadata: true`;
  return `Token request to the Managed Identity VM extension needs a person: ${reason}.${withTarget ? target : ""}`;
}

export function toFindings(located: readonly Located[], input: SourceInput, options: FindingOptions): Finding[] {
  const lines = new LineIndex(input.text);
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  for (const group of mergeSharedEdits(located)) {
    const head = group[0]!;
    const range = lines.range(input.displayPath, head.start, head.end);
    const snippet = input.text.slice(head.start, Math.min(head.end, head.start + 200));
    const occurrence = seen.get(snippet) ?? 0;
    seen.set(snippet, occurrence + 1);
    const edits = dedupe(group.flatMap((g) => (g.outcome.kind === "rewrite" ? g.outcome.edits : [])));
    const outcome = head.outcome;
    let message: string;
    let fix: TextEdit[] | undefined;
    const remarks: string[] = [];
    if (outcome.kind === "rewrite" && !anyOverlap(edits)) {
      const others =
        group.length > 1
          ? ` (together with ${group.length - 1} more call(s) whose edits it shares: a URL constant, an import)`
          : "";
      const notes = [...new Set(group.flatMap((g) => (g.outcome.kind === "rewrite" ? g.outcome.notes : [])))];
      message =
        `${outcome.client} gets a token from the Managed Identity VM extension ` +
        `(${outcome.host}:${outcome.port ?? "?"}); ` +
        `the fix moves it to IMDS (GET ${IMDS_TOKEN_URL}, api-version=${input.apiVersion})` +
        `${notes.length > 0 ? `; ${notes.join("; ")}` : ""}${others}`;
      fix = edits;
      remarks.push(...new Set(group.flatMap((g) => (g.outcome.kind === "rewrite" ? (g.outcome.remarks ?? []) : []))));
    } else {
      const others = group.slice(1).map((g) => lines.range(input.displayPath, g.start, g.end).line);
      const reason =
        outcome.kind === "review"
          ? outcome.reason
          : others.length > 0
            ? `it shares text with the call(s) on line ${others.join(", ")}, which need a different edit of it`
            : "its rewrite would need overlapping edits";
      message = reviewMessage(reason, input.apiVersion, !(outcome.kind === "review" && outcome.removal));
    }
    // Cloud Shell serves the extension's URL itself, and the other paths request nothing from it on a VM: a
    // person decides, and the gate warns instead of failing.
    const path = outcome.kind === "review" ? outcome.path : undefined;
    const cloudShell = path === "cloudShell";
    findings.push({
      ruleId: options.ruleId,
      severity: path ? "warning" : "error",
      messageId: fix ? "rewrite" : cloudShell ? "cloudShell" : (options.reviewMessageId?.(outcome) ?? "review"),
      message,
      location: { file: range },
      ...(fix ? { fix } : {}),
      ...(remarks.length > 0 ? { fixNotes: remarks } : {}),
      fingerprint: fingerprintOf(options.ruleId, input.displayPath, snippet, occurrence),
    });
  }
  return findings.sort(byPosition);
}

export function byPosition(a: Finding, b: Finding): number {
  const fa = (a.location as { file: { line: number; column: number } }).file;
  const fb = (b.location as { file: { line: number; column: number } }).file;
  return fa.line - fb.line || fa.column - fb.column;
}

/** A call site with what it needs: only a rewrite's edits matter to grouping. */
interface Planned {
  outcome: { kind: "rewrite"; edits: readonly TextEdit[] } | { kind: "review" };
}

/**
 * Call sites whose edits touch the same text (one URL constant) must be fixed together or not at all: equal
 * edits merge into one; edits that merely overlap (one call cuts the constant at another place) make the
 * group's rewrite overlap, so the whole group goes to a person instead of one call breaking the other.
 */
export function mergeSharedEdits<T extends Planned>(located: readonly T[]): T[][] {
  const parent = located.map((_, i) => i);
  const find = (i: number): number => {
    if (parent[i] !== i) parent[i] = find(parent[i]!);
    return parent[i]!;
  };
  const edits = located.flatMap((item, i) =>
    item.outcome.kind === "rewrite" ? item.outcome.edits.map((edit) => ({ edit, i })) : [],
  );
  edits.sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end);
  // Sorted by start: an edit touches an earlier one when it starts before the furthest end seen so far,
  // or has the very same range (two insertions at one offset).
  let reach = { end: -1, i: -1 };
  edits.forEach(({ edit, i }, k) => {
    const previous = edits[k - 1]?.edit;
    if (edit.start < reach.end) parent[find(i)] = find(reach.i);
    else if (previous && editsOverlap(previous, edit)) parent[find(i)] = find(edits[k - 1]!.i);
    if (edit.end >= reach.end) reach = { end: edit.end, i };
  });
  const groups = new Map<number, T[]>();
  located.forEach((item, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), item]);
  });
  return [...groups.values()];
}

export function dedupe(edits: readonly TextEdit[]): TextEdit[] {
  const byKey = new Map(edits.map((e) => [`${e.start}:${e.end}:${e.text}`, e]));
  return [...byKey.values()];
}
