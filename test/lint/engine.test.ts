import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FileRule } from "../../src/core/rule.js";
import { lintFiles } from "../../src/lint/engine.js";
import { lintExitCode as exitCode } from "../../src/lint/run.js";
import { createRule } from "../../rules/support/create-rule.js";
import { FILE_RULES } from "../../rules/index.js";
import { makeRepo } from "./helpers.js";
import { join } from "node:path";

// Failures of the tool itself are never a clean run: they surface as errors and exit code 2.

const all = FILE_RULES.map((rule) => ({ rule, severity: rule.meta.severity }));
const knownRuleIds = FILE_RULES.map((r) => r.meta.id);
const ANALYSIS = { module: new URL("../../src/codemod/analyze.js", import.meta.url) };

describe("engine failures", () => {
  it("a JS analysis that cannot load is an error, and the text rules still run", async () => {
    const root = makeRepo({
      "a.ts":
        'fetch("http://localhost:50342/oauth2/token");\n' +
        'fetch("http://169.254.169.254/metadata/identity/oauth2/token?resource=x", ' +
        '{ headers: { Metadata: "true" } });\n',
    });
    const result = await lintFiles([{ path: join(root, "a.ts"), displayPath: "a.ts", explicit: true }], {
      rules: all,
      ports: [50342],
      fix: false,
      knownRuleIds,
      analysis: { load: () => Promise.reject(new Error("module not found")) },
    });
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!, /could not be loaded, no-extension-endpoint did not run: module not found/);
    assert.deepEqual(
      result.findings.map((f) => f.ruleId),
      ["imds-request-shape"],
    );
    assert.equal(exitCode(result.findings, result.errors.length > 0, undefined), 2);
  });

  it("a rule that throws is an error naming the rule and the file; the other rules still report", async () => {
    const root = makeRepo({ "a.py": 'URL = "http://localhost:50342/oauth2/token"\n' });
    const broken = createRule<FileRule>({
      kind: "file",
      meta: {
        id: "broken-rule",
        description: "always throws, for this test",
        severity: "error",
        fixable: false,
        messages: { x: "x" },
      },
      languages: ["python"],
      prefilter: () => [/oauth2/i],
      check() {
        throw new Error("boom");
      },
    });
    const result = await lintFiles([{ path: join(root, "a.py"), displayPath: "a.py", explicit: true }], {
      rules: [{ rule: broken, severity: "error" }, ...all],
      ports: [50342],
      fix: false,
      knownRuleIds,
      analysis: ANALYSIS,
    });
    assert.deepEqual(result.errors, ["rule broken-rule failed on a.py: boom"]);
    assert.deepEqual(
      result.findings.map((f) => f.ruleId),
      ["no-extension-endpoint-text"],
    );
  });

  it("a rule that reports a fix without declaring itself fixable fails", async () => {
    const root = makeRepo({ "a.py": "oauth2\n" });
    const sneaky = createRule<FileRule>({
      kind: "file",
      meta: {
        id: "sneaky-rule",
        description: "reports a fix it did not declare",
        severity: "error",
        fixable: false,
        messages: { x: "x" },
      },
      languages: ["python"],
      prefilter: () => [/oauth2/i],
      check(context) {
        context.report({ messageId: "x", start: 0, end: 1, fix: [{ start: 0, end: 1, text: "y" }] });
      },
    });
    const result = await lintFiles([{ path: join(root, "a.py"), displayPath: "a.py", explicit: true }], {
      rules: [{ rule: sneaky, severity: "error" }],
      ports: [],
      fix: false,
      knownRuleIds,
      analysis: ANALYSIS,
    });
    assert.match(result.errors[0]!, /sneaky-rule reported a fix but is not declared fixable/);
  });

  it("exit codes: errors 1, warnings over the limit 1, within it 0", () => {
    const file = { path: "a.py", line: 1, column: 1, endLine: 1, endColumn: 2 };
    const warning = { ruleId: "r", severity: "warning" as const, message: "m", location: { file }, fingerprint: "f" };
    assert.equal(exitCode([], false, undefined), 0);
    assert.equal(exitCode([{ ...warning, severity: "error" }], false, undefined), 1);
    assert.equal(exitCode([warning, warning], false, 2), 0);
    assert.equal(exitCode([warning, warning], false, 1), 1);
    assert.equal(exitCode([warning], false, undefined), 0);
  });
});

describe("screening by language", () => {
  // Rules screen code for a quoted publisher and scripts for a bare one: two languages read by the same rules
  // must not share one screen, whichever comes first.
  const files = {
    "deploy.go":
      'package main\n\nconst ext = `{"publisher": "Microsoft.ManagedIdentity", "type": "ManagedIdentityExtensionForLinux", "typeHandlerVersion": "1.0"}`\n',
    "deploy.sh":
      "az vm extension set -n ManagedIdentityExtensionForLinux --publisher Microsoft.ManagedIdentity --vm-name vm -g rg\n",
  };
  for (const order of [
    ["deploy.go", "deploy.sh"],
    ["deploy.sh", "deploy.go"],
  ]) {
    it(`finds the install in both files, ${order.join(" then ")}`, async () => {
      const root = makeRepo(files);
      const result = await lintFiles(
        order.map((name) => ({ path: join(root, name), displayPath: name, explicit: false })),
        { rules: all, ports: [50342], fix: false, knownRuleIds, analysis: ANALYSIS },
      );
      assert.deepEqual(result.findings.map((f) => f.location.file.path).sort(), ["deploy.go", "deploy.sh"]);
    });
  }
});
