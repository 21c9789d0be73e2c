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

/** BAD's one finding is 1:8 to 1:43, message id literalPort; each argument can be set wrong. */
const review = (
  change: Partial<{
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    messageId: string;
    message: string;
  }> = {},
) => JSON.stringify([{ line: 1, column: 8, endLine: 1, endColumn: 43, messageId: "literalPort", ...change }]);

describe("rule tester", () => {
  it("accepts a correct fixture set", async () => {
    await runAll({ "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review({ message: "port 50342" }) });
  });

  const broken: [string, Record<string, string>, RegExp][] = [
    [
      "a file outside the conventions",
      { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review(), "notes.txt": "" },
      /does not follow/,
    ],
    ["a review case without its .json", { "a.valid.py": GOOD, "b.review.py": BAD }, /needs b\.review\.json/],
    [
      "an orphan .review.json",
      { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review(), "c.review.json": review({ column: 1 }) },
      /"c\.review\.json" has no matching/,
    ],
    ["no valid case", { "b.review.py": BAD, "b.review.json": review() }, /at least one \.valid case/],
    [
      "a language the rule does not read",
      { "a.valid.ts": GOOD, "b.review.py": BAD, "b.review.json": review() },
      /language the rule does not read/,
    ],
    [
      "an .output for a rule that does not fix",
      { "a.valid.py": GOOD, "b.input.py": BAD, "b.output.py": GOOD },
      /not fixable/,
    ],
    [
      "a valid case with a finding",
      { "a.valid.py": BAD, "b.review.py": BAD, "b.review.json": review() },
      /expected no finding/,
    ],
    [
      "a missing expected finding",
      { "a.valid.py": GOOD, "b.review.py": BAD + BAD, "b.review.json": review() },
      /expected 1 finding\(s\), got 2/,
    ],
    ["a wrong start", { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review({ column: 9 }) }, /range/],
    ["a wrong end", { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review({ endColumn: 42 }) }, /range/],
    [
      "a wrong message id",
      { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review({ messageId: "builtPort" }) },
      /message id/,
    ],
    [
      "an entry without its end",
      { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": '[{"line":1,"column":8,"messageId":"literalPort"}]' },
      /bad entry/,
    ],
    [
      "a wrong message",
      { "a.valid.py": GOOD, "b.review.py": BAD, "b.review.json": review({ message: "port 50343" }) },
      /does not contain/,
    ],
  ];
  for (const [what, files, reason] of broken) {
    it(`rejects ${what}`, async () => {
      await assert.rejects(runAll(files), reason);
    });
  }

  it("rejects a fix case whose .output equals its .input", async () => {
    const input = 'await fetch("http://localhost:50342/oauth2/token?resource=x", { headers: { Metadata: "true" } });\n';
    await assert.rejects(
      runAll({ "a.valid.ts": "export {};\n", "b.input.ts": input, "b.output.ts": input }, FIX_RULE),
      /\.output equals \.input|differs from \.output/,
    );
  });
});
