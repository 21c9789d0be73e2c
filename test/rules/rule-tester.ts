import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, it } from "node:test";
import type { Finding } from "../../src/core/finding.js";
import type { FileRule } from "../../src/core/rule.js";
import type { EngineResult } from "../../src/lint/engine.js";
import {
  type ExpectedFinding,
  type FixtureCase,
  isManifest,
  lintWithRule,
  loadFixtureCases,
  ruleById,
} from "./fixture-cases.js";

export * from "./fixture-cases.js";

// A strict fixture tester over the conventions of fixture-cases.ts: every finding of a review case at its
// exact range, nothing in a valid case, fixes byte for byte and idempotent.

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
      return { line, column, endLine, endColumn, messageId: f.messageId, message: f.message, severity: f.severity };
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
    if (w.severity !== undefined)
      assert.equal(a.severity, w.severity, `finding ${i + 1} at ${a.line}:${a.column}: severity`);
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
    const target = join(dir, basename(c.file));
    copyFileSync(c.file, target);
    // A project's lock file or manifest goes with it: the fix depends on the version it pins.
    for (const name of readdirSync(dirname(c.file)).filter(isManifest))
      copyFileSync(join(dirname(c.file), name), join(dir, name));
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
