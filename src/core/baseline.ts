import { UsageError } from "./exit-codes.js";
import { compareFindings, isFileFinding, type Finding } from "./finding.js";

// A baseline counts findings per file per rule, so a team can adopt the gate with old findings recorded
// and fail only on new ones. Counts, not line numbers: unrelated edits do not invalidate it.

export interface Baseline {
  version: 1;
  /** path (as reports show it) → rule id → how many findings are accepted. */
  files: Record<string, Record<string, number>>;
}

export function buildBaseline(findings: readonly Finding[]): Baseline {
  const counts = new Map<string, Map<string, number>>();
  for (const finding of findings) {
    if (!isFileFinding(finding)) continue;
    const byRule = counts.get(finding.location.file.path) ?? new Map<string, number>();
    byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
    counts.set(finding.location.file.path, byRule);
  }
  const files: Baseline["files"] = {};
  for (const path of [...counts.keys()].sort()) {
    const byRule = counts.get(path)!;
    files[path] = Object.fromEntries([...byRule.keys()].sort().map((id) => [id, byRule.get(id)!]));
  }
  return { version: 1, files };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Checks a baseline's text; `path` names it in errors. */
export function parseBaseline(text: string, path: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`cannot read baseline ${path}: ${(error as Error).message}`);
  }
  const bad = (problem: string) => new UsageError(`baseline ${path}: ${problem}`);
  if (typeof data !== "object" || data === null) throw bad("the top level must be an object");
  const { version, files } = data as Record<string, unknown>;
  if (version !== 1) throw bad(`"version" must be 1, not ${JSON.stringify(version)}`);
  if (typeof files !== "object" || files === null || Array.isArray(files)) throw bad(`"files" must be an object`);
  for (const [file, byRule] of Object.entries(files)) {
    if (typeof byRule !== "object" || byRule === null)
      throw bad(`"files.${file}" must be an object of rule id → count`);
    for (const [rule, count] of Object.entries(byRule)) {
      if (!Number.isInteger(count) || (count as number) < 0) throw bad(`"files.${file}.${rule}" must be a count ≥ 0`);
    }
  }
  return data as Baseline;
}

/**
 * Keeps the findings beyond each file's and rule's accepted count. `stale` counts accepted findings that
 * are gone: the baseline can be tightened with --update-baseline.
 */
export function applyBaseline<F extends Finding>(
  findings: readonly F[],
  baseline: Baseline,
): { kept: F[]; suppressed: number; stale: number } {
  const remaining = new Map<string, number>();
  for (const [file, byRule] of Object.entries(baseline.files)) {
    for (const [rule, count] of Object.entries(byRule)) remaining.set(`${file}\0${rule}`, count);
  }
  const kept: F[] = [];
  let suppressed = 0;
  for (const finding of [...findings].sort(compareFindings)) {
    const key = isFileFinding(finding) ? `${finding.location.file.path}\0${finding.ruleId}` : undefined;
    const left = key === undefined ? 0 : (remaining.get(key) ?? 0);
    if (left > 0) {
      remaining.set(key!, left - 1);
      suppressed++;
    } else {
      kept.push(finding);
    }
  }
  const stale = [...remaining.values()].reduce((sum, n) => sum + n, 0);
  return { kept, suppressed, stale };
}
