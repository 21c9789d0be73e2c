import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { extensionPorts } from "../../src/imds.js";
import { lintFiles } from "../../src/lint/engine.js";
import { makeRepo } from "../lint/helpers.js";
import { CODEMOD_ANALYSIS, ruleById, testRuleFixtures } from "./rule-tester.js";

testRuleFixtures("no-extension-endpoint-text");

describe("no-extension-endpoint-text options", () => {
  const rule = ruleById("no-extension-endpoint-text");
  const source = '# r = requests.post("http://localhost:50342/oauth2/token")\nx = 1\n';
  const lint = (options?: Record<string, boolean>) => {
    const root = makeRepo({ "a.py": source });
    return lintFiles([{ path: join(root, "a.py"), displayPath: "a.py", explicit: true }], {
      rules: [{ rule, severity: "error", ...(options ? { options } : {}) }],
      ports: extensionPorts([]),
      fix: false,
      knownRuleIds: [rule.meta.id],
      analysis: CODEMOD_ANALYSIS,
    });
  };

  it("reportComments: a commented-out request is a warning, only when asked", async () => {
    assert.deepEqual((await lint()).findings, []);
    const { findings } = await lint({ reportComments: true });
    assert.deepEqual(
      findings.map((f) => [f.messageId, f.severity, "file" in f.location && f.location.file.column]),
      [["commentedOut", "warning", 22]],
    );
  });
});
