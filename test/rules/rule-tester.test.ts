import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadFixtureCases, ruleById, runFixtureCase } from "./rule-tester.js";

// The tester must be able to fail: each broken fixture set below is rejected, for the stated reason.

const TEXT_RULE = ruleById("no-extension-endpoint-text");
const FIX_RULE = ruleById("no-extension-endpoint");
const BAD = 'URL = "http://localhost:50342/oauth2/token"\n';
const GOOD = 'URL = "http://169.254.169.254/metadata/identity/oauth2/token"\n';

function fixtureDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-tester-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function runAll(files: Record<string, string>, rule = TEXT_RULE): Promise<void> {
  const dir = fixtureDir(files);
  try {
    for (const c of loadFixtureCases(rule, dir)) await runFixtureCase(rule, c);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const review = (line: number, column: number, message: string) => JSON.stringify([{ line, column, message }]);

describe("rule tester", () => {
  it("accepts a correct fixture set", async () => {
    await runAll({ "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review(1, 8, "port 50342") });
  });

  const broken: [string, Record<string, string>, RegExp][] = [
    ["a file outside the conventions", { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review(1, 8, "x"), "notes.txt": "" }, /does not follow/],
    ["a review case without its .json", { "a.valid.py": GOOD, "b.review.py": BAD }, /needs b\.review\.json/],
    ["an orphan .review.json", { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review(1, 8, "port"), "c.review.json": review(1, 1, "x") }, /"c\.review\.json" has no matching/],
    ["no valid case", { "b.review.py": BAD, "b.review.json": review(1, 8, "port") }, /at least one \.valid case/],
    ["a language the rule does not read", { "a.valid.ts": GOOD, "b.review.py": BAD, "b.review.json": review(1, 8, "port") }, /language the rule does not read/],
    ["an .output for a rule that does not fix", { "a.valid.py": GOOD, "b.input.py": BAD, "b.output.py": GOOD }, /not fixable/],
    ["a valid case with a finding", { "a.valid.py": BAD, "b.review.py": BAD, "b.review.json": review(1, 8, "port") }, /expected no finding/],
    ["a missing expected finding", { "a.valid.py": GOOD, "b.review.py": BAD + BAD, "b.review.json": review(1, 8, "port") }, /expected 1 finding\(s\), got 2/],
    ["a wrong position", { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review(1, 9, "port") }, /position/],
    ["a wrong message", { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review(1, 8, "port 50343") }, /does not contain/],
  ];
  for (const [what, files, reason] of broken) {
    it(`rejects ${what}`, async () => {
      await assert.rejects(runAll(files), reason);
    });
  }

  it("rejects a fix case whose .output equals its .input", async () => {
    const input = 'await fetch("http://localhost:50342/oauth2/token?resource=x", { headers: { Metadata: "true" } });\n';
    await assert.rejects(runAll({ "a.valid.ts": "export {};\n", "b.input.ts": input, "b.output.ts": input }, FIX_RULE), /\.output equals \.input|differs from \.output/);
  });
});
