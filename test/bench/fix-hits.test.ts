import assert from "node:assert/strict";
import { test } from "node:test";
import type { FileFinding } from "../../src/core/finding.js";
import { fixTextRenderer } from "../../src/formatters/fix-report.js";
import { diffAndReviewLines } from "../../scripts/bench/tools.js";

// The bench scores fix by the lines its text report names: diffs and the review list, grouped items included.

const finding = (line: number, message: string): FileFinding => ({
  ruleId: "no-extension-endpoint",
  severity: "error",
  message,
  location: { file: { path: "b.js", line, column: 3, endLine: line, endColumn: 9 } },
  fingerprint: "f",
});

test("the bench reads every line fix's text report names, grouped review items too", () => {
  const renderer = fixTextRenderer({ color: false, written: false });
  const text = [
    renderer.start(),
    renderer.file({
      path: "a.ts",
      status: "changed",
      review: [],
      before: "one\nfetch(old)\nthree\n",
      after: "one\nfetch(new)\nthree\n",
      notes: ["X also appears in a log line (line 3): it now names the IMDS URL"],
    }),
    renderer.file({
      path: "b.js",
      status: "unchanged",
      review: [finding(4, "same"), finding(9, "same"), finding(7, "other")],
    }),
    renderer.end({ changed: 1, unchanged: 1, skipped: 0, errors: 0, review: 3 }, 1),
  ].join("");
  assert.deepEqual(diffAndReviewLines(text), [
    { path: "a.ts", line: 2 },
    { path: "b.js", line: 4 },
    { path: "b.js", line: 9 },
    { path: "b.js", line: 7 },
  ]);
});
