// msi2imds's own reports, recognised by their content so that a report written into the tree (`lint -f sarif
// > results.sarif`, a baseline, a saved scan) is not linted by the next run: they quote the very settings,
// URLs and examples the rules look for. What recognises each: SARIF's driver and the scan report's tool
// are named msi2imds; the JSON, GitLab and fix reports and the baseline name rule ids only msi2imds has;
// the stylish, GitHub and fix text outputs end or are made of lines only msi2imds writes.

const TOOL_NAME = "msi2imds";

/** What kind of msi2imds report `text` is, or undefined for anything else. */
export function ownReportKind(text: string, ruleIds: ReadonlySet<string>): string | undefined {
  const start = text.trimStart()[0];
  return start === "{" || start === "[" ? jsonReportKind(text, ruleIds) : textReportKind(text, ruleIds);
}

function jsonReportKind(text: string, ruleIds: ReadonlySet<string>): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (isRecord(value)) {
    if (isRecord(value.tool) && value.tool.name === TOOL_NAME) return "scan report";
    if (Array.isArray(value.runs) && value.runs.some((run) => driverName(run) === TOOL_NAME)) return "SARIF report";
    if (isBaseline(value, ruleIds)) return "baseline";
  }
  const named = namedRuleIds(value);
  return named.length > 0 && named.every((id) => ruleIds.has(id)) ? "JSON report" : undefined;
}

function driverName(run: unknown): unknown {
  return isRecord(run) && isRecord(run.tool) && isRecord(run.tool.driver) ? run.tool.driver.name : undefined;
}

/** `{ "version": 1, "files": { path: { ruleId: count } } }`, as `--update-baseline` writes it. */
function isBaseline(value: Record<string, unknown>, ruleIds: ReadonlySet<string>): boolean {
  if (typeof value.version !== "number" || !isRecord(value.files)) return false;
  const counts = Object.values(value.files);
  return counts.length > 0 && counts.every((c) => isRecord(c) && Object.keys(c).every((id) => ruleIds.has(id)));
}

/** Every `ruleId` and `check_name` (GitLab's) string in the value, however deep. */
function namedRuleIds(value: unknown): string[] {
  const found: string[] = [];
  const stack = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) stack.push(...item);
    else if (isRecord(item)) {
      for (const [key, inner] of Object.entries(item)) {
        if ((key === "ruleId" || key === "check_name") && typeof inner === "string") found.push(inner);
        else stack.push(inner);
      }
    }
  }
  return found;
}

const STYLISH_SUMMARY = /^✖ \d+ problems? \(\d+ errors?, \d+ warnings?\)$/;
const FIX_SUMMARY = /^\d+ (?:to change|changed), \d+ unchanged, \d+ skipped, \d+ error\(s\), \d+ need review \(/;
const ANNOTATION = /^::(?:error|warning|notice) [^:]*title=([^,:]+)/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the colours a terminal report may have been saved with
const COLOUR = /\x1b\[[0-9;]*m/g;

/** Judged by its last line (the stylish total, past the indented notes under it), and by its first. */
function textReportKind(text: string, ruleIds: ReadonlySet<string>): string | undefined {
  const plain = text.replace(COLOUR, "").trim();
  let end = plain.length;
  // The notes under a stylish total ("  1 problem fixable with --fix") are indented; the total is not.
  while (end > 0 && /^ {2}\S/.test(plain.slice(plain.lastIndexOf("\n", end - 1) + 1, end)))
    end = plain.lastIndexOf("\n", end - 1);
  const last = plain.slice(plain.lastIndexOf("\n", end - 1) + 1, Math.max(end, 0)).trim();
  // ESLint ends its stylish output alike: a finding line must end with one of msi2imds's rule ids.
  const endsALine = (id: string) => plain.includes(`  ${id}\n`) || plain.includes(`  ${id}\r\n`);
  if (STYLISH_SUMMARY.test(last) && [...ruleIds].some(endsALine)) return "lint output";
  if (FIX_SUMMARY.test(last)) return "fix output";
  if (!plain.startsWith("::")) return undefined;
  const lines = plain.split("\n").filter((line) => line.trim() !== "");
  const annotated = lines.every((line) => ruleIds.has(ANNOTATION.exec(line)?.[1] ?? ""));
  return annotated ? "GitHub annotations" : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
