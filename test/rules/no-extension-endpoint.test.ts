import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import { FIXTURES_DIR, lintWithRule, ruleById, testRuleFixtures } from "./rule-tester.js";

testRuleFixtures("no-extension-endpoint");

it("a test pinning the old endpoint gets a warning that says so; the same code elsewhere an error", async () => {
  const rule = ruleById("no-extension-endpoint");
  const inTest = await lintWithRule(rule, join(FIXTURES_DIR, "no-extension-endpoint/test/msi-credentials.input.ts"));
  assert.deepEqual(
    inTest.findings.map((f) => [f.severity, /\(in a test: move it together with the code it tests\)$/.test(f.message)]),
    [["warning", true]],
  );
  const elsewhere = await lintWithRule(rule, join(FIXTURES_DIR, "no-extension-endpoint/fetch-literal.input.ts"));
  assert.ok(elsewhere.findings.length > 0 && elsewhere.findings.every((f) => f.severity === "error"));
});
