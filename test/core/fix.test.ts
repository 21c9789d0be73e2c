import { test } from "node:test";
import assert from "node:assert/strict";
import { applyEdits, fixUntilStable, type Analysis } from "../../src/core/fix.js";
import type { Finding } from "../../src/core/finding.js";
import { growthWhenDoubled } from "../support/character-work.js";

test("applyEdits applies end to start and refuses overlaps", () => {
  const result = applyEdits("abcdef", [
    { start: 4, end: 6, text: "XY" },
    { start: 0, end: 1, text: "A" },
    { start: 0, end: 2, text: "overlaps the first" },
  ]);
  assert.equal(result.text, "AbcdXY");
  assert.equal(result.applied, 2);
  assert.equal(result.skipped, 1);
});

test("two insertions at one offset are not both applied", () => {
  const result = applyEdits("ab", [
    { start: 1, end: 1, text: "1" },
    { start: 1, end: 1, text: "2" },
  ]);
  assert.equal(result.text, "a1b");
  assert.equal(result.skipped, 1);
});

test("applyEdits rejects an edit outside the text", () => {
  assert.throws(() => applyEdits("ab", [{ start: 1, end: 5, text: "" }]), RangeError);
});

const finding = (start: number, end: number, text: string): Finding => ({
  ruleId: "t",
  severity: "error",
  message: "m",
  location: { resourceId: "x" },
  fingerprint: "f",
  fix: [{ start, end, text }],
});

test("fixUntilStable repeats until nothing is fixable", () => {
  // Each pass turns the first "a" into "b"; three passes are needed.
  const analyze = (text: string): Analysis => {
    const i = text.indexOf("a");
    return { parseErrors: 0, findings: i === -1 ? [] : [finding(i, i + 1, "b")] };
  };
  const outcome = fixUntilStable("xaaa", analyze);
  assert.equal(outcome.text, "xbbb");
  assert.equal(outcome.fixesApplied, 3);
  assert.deepEqual(outcome.analysis.findings, []);
});

test("fixUntilStable analyses each text once when given the first analysis", () => {
  const analysed: string[] = [];
  const analyze = (text: string): Analysis => {
    analysed.push(text);
    const i = text.indexOf("a");
    return { parseErrors: 0, findings: i === -1 ? [] : [finding(i, i + 1, "b")] };
  };
  const first = analyze("xa");
  const outcome = fixUntilStable("xa", analyze, first);
  assert.equal(outcome.text, "xb");
  assert.deepEqual(analysed, ["xa", "xb"]);
});

test("fixUntilStable drops a pass that adds parse errors", () => {
  const analyze = (text: string): Analysis => ({
    parseErrors: text.includes("(") ? 1 : 0,
    findings: text.includes("(") ? [] : [finding(0, 1, "(")],
  });
  const outcome = fixUntilStable("x", analyze);
  assert.equal(outcome.text, "x");
  assert.match(outcome.rejected ?? "", /parse error/);
});

test("fixUntilStable is bounded", () => {
  let calls = 0;
  const analyze = (_text: string): Analysis => {
    calls++;
    return { parseErrors: 0, findings: [finding(0, 0, "z")] };
  };
  fixUntilStable("", analyze, undefined, 5);
  assert.ok(calls <= 6, `analysed ${calls} times`);
});

test("a pass over thousands of fixes is linear: findings taken and edits applied without rescans", async () => {
  // n findings in text order, each rewriting its own `old;` and overlapping none, plus one that overlaps
  // the first and must be left out. Work: characters read, and reads of an edit's offsets.
  let offsetReads = 0;
  const counted = (start: number, end: number, text: string) => ({
    get start() {
      offsetReads++;
      return start;
    },
    get end() {
      offsetReads++;
      return end;
    },
    text,
  });
  const pass = (n: number) => {
    const text = "old;".repeat(n);
    const findings: Finding[] = Array.from({ length: n }, (_, i) => ({
      ...finding(0, 0, ""),
      fix: [counted(4 * i, 4 * i + 3, "new")],
    }));
    findings.push({ ...finding(0, 0, ""), fix: [counted(1, 2, "overlap")] });
    const analyze = (next: string): Analysis => ({ parseErrors: 0, findings: next === text ? findings : [] });
    const outcome = fixUntilStable(text, analyze);
    assert.equal(outcome.text, "new;".repeat(n));
    assert.equal(outcome.fixesApplied, n);
  };
  const characters = await growthWhenDoubled(pass, 2000);
  assert.ok(characters < 2.5, `characters read grew ${characters.toFixed(2)} times when the fixes doubled`);
  offsetReads = 0;
  pass(2000);
  const single = offsetReads;
  offsetReads = 0;
  pass(4000);
  assert.ok(offsetReads / single < 2.5, `offset reads grew ${(offsetReads / single).toFixed(2)} times`);
});
