import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import type { Rule } from "../../src/core/rule.js";
import { ALL_RULES, FILE_RULES } from "../../rules/index.js";
import { FIXTURES_DIR, lintWithRule } from "./rule-tester.js";

// Rules ↔ docs ↔ fixtures ↔ tests, one to one (typescript-eslint's docs test): every rule in rules/ has
// its doc, its fixtures folder and its test; every doc and rule test has its rule; the docs' code
// examples do what they say.

const ROOT = resolve(import.meta.dirname, "../..");
const RULES_DIR = join(ROOT, "rules");
const TESTS_DIR = join(ROOT, "test/rules");
/** Test files in test/rules/ that are not a rule's own. */
/** rules/index.ts lists the rules; it is not one. */
const REGISTRY = "index.ts";
const SUPPORT_TESTS = ["meta.test.ts", "rule-tester.test.ts", "catalogue.test.ts"];
const DOC_SECTIONS = ["## Why", "## What is flagged", "## Examples", "## How to fix", "## Options", "## Suppression"];
const FENCE_EXTENSIONS: Record<string, string> = {
  ts: "ts",
  js: "js",
  python: "py",
  sh: "sh",
  bicep: "bicep",
  hcl: "tf",
  powershell: "ps1",
  yaml: "yml",
  json: "json",
  csharp: "cs",
  java: "java",
  go: "go",
};

const ruleIds = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith(".ts") && f !== REGISTRY)
  .map((f) => f.slice(0, -3))
  .sort();

async function loadRule(id: string): Promise<Rule> {
  const module = (await import(pathToFileURL(join(RULES_DIR, `${id}.ts`)).href)) as { default?: Rule };
  assert.ok(module.default, `rules/${id}.ts has no default export`);
  return module.default;
}

describe("rules ↔ docs ↔ fixtures ↔ tests", () => {
  it("finds the rules", () => assert.ok(ruleIds.length >= 5, `only ${ruleIds.length} rules in rules/`));

  for (const id of ruleIds) {
    it(`${id}: id, doc, fixtures and test match`, async () => {
      const rule = await loadRule(id);
      assert.equal(rule.meta.id, id, `rules/${id}.ts declares id "${rule.meta.id}"`);
      assert.ok(rule.meta.description.length > 20, `${id}: description too short`);
      assert.ok(existsSync(join(RULES_DIR, `${id}.md`)), `rules/${id}.md is missing`);
      const fixtures = join(FIXTURES_DIR, id);
      assert.ok(existsSync(fixtures) && readdirSync(fixtures).length > 0, `fixtures/${id}/ is missing or empty`);
      assert.ok(existsSync(join(TESTS_DIR, `${id}.test.ts`)), `test/rules/${id}.test.ts is missing`);
      if (rule.kind === "file") {
        assert.ok(
          FILE_RULES.some((r) => r.meta.id === id),
          `${id} is not registered in rules/index.ts`,
        );
        assert.match(
          readFileSync(join(TESTS_DIR, `${id}.test.ts`), "utf8"),
          new RegExp(`testRuleFixtures\\("${id}"\\)`),
          `test/rules/${id}.test.ts does not run its fixtures`,
        );
      } else {
        assert.ok(existsSync(join(RULES_DIR, `${id}.kql`)), `fleet rule ${id} has no rules/${id}.kql`);
      }
    });
  }

  for (const rule of ALL_RULES) {
    it(`${rule.meta.id}: the doc's header states the metadata, the docs URL is the doc's page`, () => {
      const doc = readFileSync(join(RULES_DIR, `${rule.meta.id}.md`), "utf8");
      const header = /^# [\w-]+\n\nSeverity: \*\*(error|warning)\*\* · Fixable: \*\*(yes|no)\*\*/.exec(doc);
      assert.ok(
        header,
        `rules/${rule.meta.id}.md: the line under the title must be "Severity: **…** · Fixable: **…**"`,
      );
      assert.deepEqual([header[1], header[2]], [rule.meta.severity, rule.meta.fixable ? "yes" : "no"]);
      const homepage = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { homepage: string }).homepage;
      assert.equal(rule.meta.docsUrl, `${homepage}/blob/main/rules/${rule.meta.id}.md`);
      assert.ok(Object.keys(rule.meta.messages).length > 0, `${rule.meta.id} declares no message ids`);
    });
  }

  it("every doc and every rule test belongs to a rule", () => {
    for (const doc of readdirSync(RULES_DIR).filter((f) => f.endsWith(".md"))) {
      assert.ok(ruleIds.includes(doc.slice(0, -3)), `rules/${doc} has no rule`);
    }
    for (const test of readdirSync(TESTS_DIR).filter((f) => f.endsWith(".test.ts") && !SUPPORT_TESTS.includes(f))) {
      assert.ok(ruleIds.includes(test.slice(0, -".test.ts".length)), `test/rules/${test} has no rule`);
    }
    assert.deepEqual(
      ALL_RULES.map((r) => r.meta.id),
      ruleIds,
      "rules/index.ts lists exactly the rule files in rules/",
    );
  });
});

describe("file rule docs", () => {
  for (const rule of FILE_RULES) {
    const id = rule.meta.id;
    const doc = readFileSync(join(RULES_DIR, `${id}.md`), "utf8");

    it(`${id}: has every section`, () => {
      assert.ok(doc.startsWith(`# ${id}\n`), `rules/${id}.md must start with "# ${id}"`);
      for (const section of DOC_SECTIONS)
        assert.ok(doc.includes(`\n${section}\n`), `rules/${id}.md lacks "${section}"`);
      assert.ok(
        doc.includes(`msi2imds-disable-next-line ${id} -- `),
        `rules/${id}.md: the suppression example must name the rule and a reason`,
      );
    });

    it(`${id}: Bad examples are flagged, Good and Suppression examples are not`, async () => {
      const examples = codeExamples(doc);
      assert.ok(
        examples.some((e) => e.kind === "bad"),
        `rules/${id}.md has no Bad example`,
      );
      const dir = mkdtempSync(join(tmpdir(), "msi2imds-doc-"));
      try {
        for (const [i, example] of examples.entries()) {
          const file = join(dir, `example${i}.${example.extension}`);
          writeFileSync(file, example.code);
          const result = await lintWithRule(rule, file);
          assert.deepEqual(result.errors, []);
          const own = result.findings.filter((f) => f.ruleId === id);
          if (example.kind === "bad")
            assert.ok(own.length > 0, `rules/${id}.md Bad example ${i} is not flagged:\n${example.code}`);
          else
            assert.deepEqual(
              result.findings.map((f) => f.message),
              [],
              `rules/${id}.md ${example.kind} example ${i}:\n${example.code}`,
            );
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

interface CodeExample {
  kind: "bad" | "good" | "suppression";
  extension: string;
  code: string;
}

/** Fenced blocks after "Bad:" / "Good:" and in the Suppression section. */
function codeExamples(doc: string): CodeExample[] {
  const examples: CodeExample[] = [];
  let kind: CodeExample["kind"] | undefined;
  const fence = /^```(\w+)\n([\s\S]*?)^```$/gm;
  let last = 0;
  for (let m = fence.exec(doc); m !== null; m = fence.exec(doc)) {
    const between = doc.slice(last, m.index);
    const marker = [...between.matchAll(/^(Bad:|Good:|## Suppression)/gm)].at(-1)?.[1];
    if (marker === "Bad:") kind = "bad";
    else if (marker === "Good:") kind = "good";
    else if (marker === "## Suppression") kind = "suppression";
    else if (/^## /m.test(between)) kind = undefined;
    last = m.index + m[0].length;
    const extension = FENCE_EXTENSIONS[m[1]!];
    if (kind && extension) examples.push({ kind, extension, code: m[2]! });
  }
  return examples;
}
