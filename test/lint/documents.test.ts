import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runLint } from "../../src/lint/run.js";
import { CODEMOD_ANALYSIS } from "../rules/rule-tester.js";
import { makeRepo } from "./helpers.js";

// Docs are read for their code blocks, each in its own language, and what is found is a warning at its
// line in the document: a doc shows what to type, it runs nothing.

const URL = "http://localhost:50342/oauth2/token";

describe("documents", () => {
  it("Markdown and reStructuredText blocks of every kind, suppressions in a block, prose left alone", async () => {
    const root = makeRepo({
      "README.md": [
        `Never call ${URL} again.`,
        "```sh",
        `curl -H Metadata:true ${URL}`,
        "```",
        "```ts",
        `await fetch("${URL}?resource=x", { headers: { Metadata: "true" } });`,
        "```",
        "```json",
        '{ "properties": { "publisher": "Microsoft.ManagedIdentity", "type": "ManagedIdentityExtensionForLinux", "typeHandlerVersion": "1.0" } }',
        "```",
        "```python",
        "# msi2imds-disable-next-line no-extension-endpoint-text -- the story of the migration",
        `OLD = "${URL}"`,
        "```",
        "",
      ].join("\n"),
      "docs/guide.rst": ["Log in::", "", "    az login --msi", ""].join("\n"),
    });
    const { report, exitCode } = await runLint(
      [],
      { fix: false, port: [], updateBaseline: false, analysis: CODEMOD_ANALYSIS },
      root,
    );
    assert.deepEqual(
      report.findings.map((f) => `${f.location.file.path}:${f.location.file.line} ${f.ruleId} ${f.severity}`),
      [
        "README.md:3 no-extension-endpoint-text warning",
        "README.md:6 no-extension-endpoint warning",
        "README.md:9 no-extension-deployment warning",
        "docs/guide.rst:3 no-legacy-msi-sdk warning",
      ],
    );
    assert.ok(report.findings.every((f) => f.message.endsWith("(in a code block of this document)") && !f.fix));
    assert.equal(exitCode, 0);
  });
});
