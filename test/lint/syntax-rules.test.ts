import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { FileRule } from "../../src/core/rule.js";
import { lintFiles } from "../../src/lint/engine.js";
import { createRule } from "../../rules/support/create-rule.js";
import { makeRepo } from "./helpers.js";

// Rules that read the syntax service: the engine parses a file once for all of them, only when a rule
// that declared `syntax: true` runs on it, and a rule that did not declare it cannot read it.

function stringRule(id: string, declares: boolean, seen: string[]): FileRule {
  return createRule<FileRule>({
    kind: "file",
    meta: { id, description: "reports every string", severity: "error", fixable: false, messages: { s: "string" } },
    languages: ["python", "shell"],
    ...(declares ? { syntax: true } : {}),
    prefilter: () => [/oauth2/],
    check(context) {
      const tree = context.syntax();
      seen.push(`${id} ${context.displayPath}`);
      for (const node of tree.ofKind("string")) context.report({ messageId: "s", start: node.start, end: node.end });
    },
  });
}

const lint = (root: string, names: string[], rules: FileRule[]) =>
  lintFiles(
    names.map((name) => ({ path: join(root, name), displayPath: name, explicit: true })),
    {
      rules: rules.map((rule) => ({ rule, severity: "error" as const })),
      ports: [50342],
      fix: false,
      knownRuleIds: rules.map((r) => r.meta.id),
      analysis: { load: () => Promise.reject(new Error("not used")) },
    },
  );

describe("rules reading syntax", () => {
  it("get the file's tree once the prefilter passed: strings, not comments", async () => {
    const root = makeRepo({
      "a.py": '# "oauth2" in a comment\nx = "oauth2"\n',
      "b.sh": 'echo "$(curl oauth2)"\n',
      "c.py": 'x = "nothing to see"\n',
    });
    const seen: string[] = [];
    const result = await lint(
      root,
      ["a.py", "b.sh", "c.py"],
      [stringRule("first-rule", true, seen), stringRule("second-rule", true, seen)],
    );
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.findings.map((f) =>
        "file" in f.location ? `${f.ruleId} ${f.location.file.path}:${f.location.file.line}` : "",
      ),
      ["first-rule a.py:2", "second-rule a.py:2", "first-rule b.sh:1", "second-rule b.sh:1"],
    );
    assert.deepEqual(seen, ["first-rule a.py", "second-rule a.py", "first-rule b.sh", "second-rule b.sh"]);
  });

  it("a rule that reads syntax without declaring it fails, naming the rule", async () => {
    const root = makeRepo({ "a.py": 'x = "oauth2"\n' });
    const result = await lint(root, ["a.py"], [stringRule("undeclared-rule", false, [])]);
    assert.deepEqual(result.errors, [
      "rule undeclared-rule failed on a.py: the rule reads syntax but does not declare syntax: true",
    ]);
  });
});
