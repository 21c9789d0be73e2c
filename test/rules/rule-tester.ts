import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import type { Finding } from "../../src/core/finding.js";
import type { FileRule } from "../../src/core/rule.js";
import { languageOf } from "../../src/core/language.js";
import { extensionPorts } from "../../src/imds.js";
import { lintFiles, type EngineResult } from "../../src/lint/engine.js";
import { FILE_RULES } from "../../rules/index.js";

// A strict fixture tester, shared with the codemod's conventions, in fixtures/<rule-id>/:
//   <case>.valid.<ext>                        no finding at all
//   <case>.review.<ext> + <case>.review.json  EVERY finding, as [{ line, column, endLine, endColumn, messageId }]
//                                             (plus `message`, a substring, where one id words many findings)
//   <case>.input.<ext> + <case>.output.<ext>  the rule fixes: output must differ, and a second run changes nothing
//   <case>.input.<ext> + <case>.review.json   an input whose remaining findings are listed (fixable rules only)
// Any other file, a case without its pair, or a fixture in a language the rule does not read fails the test.

export const FIXTURES_DIR = resolve(import.meta.dirname, "../../fixtures");

export interface ExpectedFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  messageId: string;
  /** A substring of the message, for rules whose one message id words many findings. */
  message?: string;
}

export interface FixtureCase {
  name: string;
  kind: "valid" | "review" | "input";
  file: string;
  output?: string;
  expected?: ExpectedFinding[];
}

const FIXTURE_NAME = /^(.+?)\.(valid|review|input|output)\.([^/]+)$/;

export function ruleById(id: string): FileRule {
  const rule = FILE_RULES.find((r) => r.meta.id === id);
  assert.ok(rule, `rule ${id} is not registered in src/lint/registry.ts`);
  return rule;
}

/** Reads fixtures/<id>/ and checks the conventions before any case runs. */
export function loadFixtureCases(rule: FileRule, dir = join(FIXTURES_DIR, rule.meta.id)): FixtureCase[] {
  // Subfolders are projects with a manifest beside their files, read by the tests that need one.
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  const cases = new Map<string, FixtureCase>();
  const outputs = new Map<string, string>();
  const expectations = new Map<string, string>();
  for (const name of names) {
    const match = FIXTURE_NAME.exec(name);
    assert.ok(match, `${rule.meta.id}: fixture "${name}" does not follow <case>.(valid|review|input|output).<ext>`);
    const [, caseName, kind, ext] = match as unknown as [string, string, FixtureCase["kind"] | "output", string];
    if (kind === "review" && ext === "json") {
      expectations.set(caseName, name);
      continue;
    }
    if (kind === "output") {
      outputs.set(caseName, name);
      continue;
    }
    // Valid cases pair with nothing, so one name may serve several languages.
    const key = kind === "valid" ? name : `${caseName}.${kind}`;
    assert.ok(!cases.has(key), `${rule.meta.id}: case "${key}" has two files; name them apart`);
    const language = languageOf(name);
    assert.ok(
      language && rule.languages.includes(language),
      `${rule.meta.id}: fixture "${name}" is in a language the rule does not read (${language ?? "unknown"})`,
    );
    cases.set(key, { name: kind === "valid" ? name : caseName, kind, file: join(dir, name) });
  }
  for (const [caseName, output] of outputs) {
    const fixtureCase = cases.get(`${caseName}.input`);
    assert.ok(fixtureCase, `${rule.meta.id}: "${output}" has no matching .input file`);
    assert.ok(rule.meta.fixable, `${rule.meta.id}: "${output}" states a fix but the rule is not fixable`);
    fixtureCase.output = join(dir, output);
  }
  for (const [caseName, file] of expectations) {
    const fixtureCase = cases.get(`${caseName}.review`) ?? cases.get(`${caseName}.input`);
    assert.ok(fixtureCase, `${rule.meta.id}: "${file}" has no matching .review or .input file`);
    fixtureCase.expected = parseExpectations(join(dir, file));
  }
  for (const c of cases.values()) {
    if (c.kind === "review")
      assert.ok(
        c.expected,
        `${rule.meta.id}: review case "${c.name}" needs ${c.name}.review.json listing every finding`,
      );
    if (c.kind === "input")
      assert.ok(
        c.output || c.expected,
        `${rule.meta.id}: input case "${c.name}" needs an .output file (or a .review.json)`,
      );
    if (c.kind === "input")
      assert.ok(rule.meta.fixable, `${rule.meta.id}: input case "${c.name}" but the rule does not fix; use .review`);
  }
  const all = [...cases.values()];
  assert.ok(
    all.some((c) => c.kind === "valid"),
    `${rule.meta.id}: needs at least one .valid case`,
  );
  assert.ok(
    all.some((c) => c.kind !== "valid"),
    `${rule.meta.id}: needs at least one invalid (.review or .input) case`,
  );
  return all;
}

function parseExpectations(path: string): ExpectedFinding[] {
  const data = JSON.parse(readFileSync(path, "utf8")) as unknown;
  assert.ok(
    Array.isArray(data) && data.length > 0,
    `${path}: must be a non-empty array of { line, column, endLine, endColumn, messageId }`,
  );
  for (const e of data as ExpectedFinding[]) {
    const positions = [e.line, e.column, e.endLine, e.endColumn].every((n) => Number.isInteger(n) && n >= 1);
    const words =
      typeof e.messageId === "string" &&
      e.messageId !== "" &&
      (e.message === undefined || (typeof e.message === "string" && e.message !== ""));
    assert.ok(positions && words, `${path}: bad entry ${JSON.stringify(e)}`);
  }
  return data as ExpectedFinding[];
}

export async function lintWithRule(
  rule: FileRule,
  path: string,
  options: { fix?: boolean; ports?: number[] } = {},
): Promise<EngineResult> {
  return lintFiles([{ path, displayPath: path, explicit: true }], {
    rules: [{ rule, severity: rule.meta.severity }],
    ports: extensionPorts(options.ports ?? []),
    fix: options.fix ?? false,
    knownRuleIds: FILE_RULES.map((r) => r.meta.id),
    analysis: CODEMOD_ANALYSIS,
  });
}

/** The JS/TS analysis the command line hands lint. */
export const CODEMOD_ANALYSIS = { module: new URL("../../src/codemod/analyze.js", import.meta.url) };

function assertClean(result: EngineResult, label: string): void {
  assert.deepEqual(result.errors, [], `${label}: the run failed`);
}

function describeFindings(findings: readonly Finding[]): string {
  return findings
    .map((f) => ("file" in f.location ? `${f.location.file.line}:${f.location.file.column} ${f.message}` : f.message))
    .join("\n");
}

/** Registers one node:test case per fixture. */
export function testRuleFixtures(ruleId: string): void {
  const rule = ruleById(ruleId);
  describe(`${ruleId} fixtures`, () => {
    for (const c of loadFixtureCases(rule)) it(`${c.kind}: ${c.name}`, () => runFixtureCase(rule, c));
  });
}

/** Runs one case; throws an AssertionError when the rule does not do what the fixture says. */
export async function runFixtureCase(rule: FileRule, c: FixtureCase): Promise<void> {
  if (c.kind === "input") return runFixCase(rule, c);
  const result = await lintWithRule(rule, c.file);
  assertClean(result, c.name);
  const findings = result.findings;
  for (const f of findings) assert.equal(f.ruleId, rule.meta.id);
  if (c.kind === "valid") {
    assert.equal(findings.length, 0, `expected no finding, got:\n${describeFindings(findings)}`);
    return;
  }
  assertFindings(findings, c.expected!);
}

export function assertFindings(findings: readonly Finding[], expected: readonly ExpectedFinding[]): void {
  const actual = findings
    .map((f) => {
      assert.ok("file" in f.location);
      const { line, column, endLine, endColumn } = f.location.file;
      return { line, column, endLine, endColumn, messageId: f.messageId, message: f.message };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
  const wanted = [...expected].sort((a, b) => a.line - b.line || a.column - b.column);
  const listed = actual
    .map((a) => `${a.line}:${a.column}-${a.endLine}:${a.endColumn} ${a.messageId} ${a.message}`)
    .join("\n");
  assert.equal(actual.length, wanted.length, `expected ${wanted.length} finding(s), got ${actual.length}:\n${listed}`);
  wanted.forEach((w, i) => {
    const a = actual[i]!;
    assert.deepEqual(
      [a.line, a.column, a.endLine, a.endColumn],
      [w.line, w.column, w.endLine, w.endColumn],
      `finding ${i + 1}: range`,
    );
    assert.equal(a.messageId, w.messageId, `finding ${i + 1} at ${a.line}:${a.column}: message id`);
    if (w.message !== undefined)
      assert.ok(
        a.message.includes(w.message),
        `finding ${i + 1} at ${a.line}:${a.column}: "${a.message}" does not contain "${w.message}"`,
      );
  });
}

/** A fixable case: the fix is written, byte for byte the .output, and a second run changes nothing. */
async function runFixCase(rule: FileRule, c: FixtureCase): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-fixture-"));
  try {
    const target = join(dir, c.file.slice(c.file.lastIndexOf("/") + 1));
    copyFileSync(c.file, target);
    const input = readFileSync(c.file);
    const first = await lintWithRule(rule, target, { fix: true });
    assertClean(first, c.name);
    const fixed = readFileSync(target);
    if (c.output) {
      const expected = readFileSync(c.output);
      assert.notDeepEqual(expected, input, `${c.name}: .output equals .input; a fix case must change something`);
      assert.equal(fixed.toString("utf8"), expected.toString("utf8"), `${c.name}: fixed text differs from .output`);
      assert.deepEqual(fixed, expected, `${c.name}: fixed bytes differ from .output (BOM or line endings)`);
    }
    const remaining = first.findings.filter((f) => f.ruleId === rule.meta.id);
    assert.ok(
      remaining.every((f) => !f.fix || f.fix.length === 0),
      `${c.name}: fixable findings left after --fix`,
    );
    if (c.expected) assertFindings(remaining, c.expected);
    else
      assert.equal(
        remaining.length,
        0,
        `${c.name}: findings left after the fix without a .review.json:\n${describeFindings(remaining)}`,
      );
    const second = await lintWithRule(rule, target, { fix: true });
    assertClean(second, c.name);
    assert.deepEqual(readFileSync(target), fixed, `${c.name}: a second --fix run changed the file again`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
