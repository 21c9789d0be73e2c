// `npm run eval`: every rule over its fixtures (fixtures/<rule>/, the conventions of
// test/rules/fixture-cases.ts), with recall and false findings per language, per rule and per kind (the
// message id a fixture expects; "negative" for files where nothing may be found). A finding counts
// as found when it has the range, message id and (where the fixture says) severity of one the fixture
// expects; a false error is an error the fixture does not expect (in a valid file, extra in a review, or
// an expected warning reported as an error). Exit 1 when there is any false error or missed finding.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { FileFinding } from "../src/core/finding.js";
import { languageOf, languageOfText } from "../src/core/language.js";
import type { FileRule } from "../src/core/rule.js";
import { FILE_RULES } from "../rules/index.js";
import { type ExpectedFinding, type FixtureCase, lintWithRule, loadFixtureCases } from "../test/rules/fixture-cases.js";

interface Tally {
  cases: number;
  expected: number;
  found: number;
  falseErrors: number;
  falseWarnings: number;
}

const empty = (): Tally => ({ cases: 0, expected: 0, found: 0, falseErrors: 0, falseWarnings: 0 });
const byLanguage = new Map<string, Tally>();
const byRule = new Map<string, Tally>();
const byKind = new Map<string, Tally>();
const problems: string[] = [];

function addTo(total: Tally, tally: Tally): void {
  for (const field of Object.keys(total) as (keyof Tally)[]) total[field] += tally[field];
}

function add(map: Map<string, Tally>, key: string, tally: Tally): void {
  const total = map.get(key) ?? empty();
  addTo(total, tally);
  map.set(key, total);
}

function sameRange(f: FileFinding, e: ExpectedFinding): boolean {
  const r = f.location.file;
  return r.line === e.line && r.column === e.column && r.endLine === e.endLine && r.endColumn === e.endColumn;
}

async function evaluate(rule: FileRule, c: FixtureCase): Promise<Tally> {
  const result = await lintWithRule(rule, c.file);
  if (result.errors.length > 0) problems.push(`${basename(c.file)}: the run failed: ${result.errors.join("; ")}`);
  const findings = result.findings.filter((f): f is FileFinding => f.ruleId === rule.meta.id && "file" in f.location);
  // A fix case expects its findings before the fix; the fixture states the rewrite, not each range.
  if (c.kind === "input") {
    const tally = { ...empty(), cases: 1, expected: 1, found: findings.length > 0 ? 1 : 0 };
    add(byKind, `${rule.meta.id}: fix`, tally);
    return tally;
  }
  const expected = c.kind === "valid" ? [] : c.expected!;
  const unmatched = [...findings];
  const total = { ...empty(), cases: 1 };
  for (const e of expected) {
    const severity = e.severity ?? rule.meta.severity;
    const at = unmatched.findIndex((f) => sameRange(f, e) && f.messageId === e.messageId && f.severity === severity);
    const tally = { ...empty(), expected: 1, found: at === -1 ? 0 : 1 };
    add(byKind, `${rule.meta.id}: ${e.messageId} (${severity})`, tally);
    addTo(total, tally);
    if (at === -1) problems.push(`${basename(c.file)}:${e.line}:${e.column}: missed ${e.messageId} (${severity})`);
    else unmatched.splice(at, 1);
  }
  for (const f of unmatched) {
    const where = `${basename(c.file)}:${f.location.file.line}:${f.location.file.column}`;
    problems.push(`${where}: false ${f.severity} ${f.messageId}`);
    const tally = {
      ...empty(),
      falseErrors: f.severity === "error" ? 1 : 0,
      falseWarnings: f.severity === "warning" ? 1 : 0,
    };
    add(byKind, `${rule.meta.id}: ${c.kind === "valid" ? "negative" : f.messageId}`, tally);
    addTo(total, tally);
  }
  if (c.kind === "valid") add(byKind, `${rule.meta.id}: negative`, { ...empty(), cases: 1 });
  return total;
}

function table(title: string, rows: Map<string, Tally>): string {
  const lines = [
    `\n${title}`,
    `| ${title.split(" ")[1]} | cases | expected | found | recall | false errors | false warnings |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const total = empty();
  for (const [key, t] of [...rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
    addTo(total, t);
    lines.push(row(key, t));
  }
  lines.push(row("**all**", total));
  return lines.join("\n");
}

function row(key: string, t: Tally): string {
  const recall = t.expected === 0 ? "—" : `${((100 * t.found) / t.expected).toFixed(1)}%`;
  return `| ${key} | ${t.cases} | ${t.expected} | ${t.found} | ${recall} | ${t.falseErrors} | ${t.falseWarnings} |`;
}

for (const rule of FILE_RULES) {
  for (const c of loadFixtureCases(rule)) {
    const tally = await evaluate(rule, c);
    add(byLanguage, languageOf(c.file) ?? languageOfText(readFileSync(c.file, "utf8")), tally);
    add(byRule, rule.meta.id, tally);
  }
}
const out = [table("By language", byLanguage), table("By rule", byRule), table("By kind", byKind)];
if (problems.length > 0) out.push("", ...problems);
process.stdout.write(`${out.join("\n")}\n`);
const failed = problems.length > 0;
process.exitCode = failed ? 1 : 0;
