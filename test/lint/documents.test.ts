import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
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

  it("notebooks: code cells as code, directives within their cell, a JS cell, a broken notebook as text", async () => {
    const cell = (source: string[], metadata = {}) => ({ cell_type: "code", metadata, outputs: [], source });
    const notebook = (cells: unknown[]) =>
      JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
    const root = makeRepo({
      "token.ipynb": notebook([
        cell([
          "# msi2imds-disable-next-line no-extension-endpoint-text -- kept as the old call\n",
          `!curl -s ${URL}\n`,
          `!curl -s ${URL}\n`,
        ]),
        // A directive covers its own cell, not the next one's first line.
        cell([`!curl -s ${URL}\n`]),
        cell(["%%javascript\n", `fetch("${URL}?resource=x", { headers: { Metadata: "true" } });\n`]),
        // The kernel's cells are one program: a directive there that covers nothing is reported, as in a file.
        cell(["# msi2imds-disable-next-line no-extension-endpoint-text\n", "x = 1\n"]),
      ]),
      "broken.ipynb": `{"cells": [{"source": ["!curl ${URL}"`,
    });
    const { report, exitCode } = await runLint(
      [],
      { fix: true, port: [], updateBaseline: false, analysis: CODEMOD_ANALYSIS },
      root,
    );
    const json = readFileSync(join(root, "token.ipynb"), "utf8");
    assert.deepEqual(
      report.findings.map((f) => `${f.location.file.path}:${f.location.file.line} ${f.ruleId} ${f.severity}`),
      [
        "broken.ipynb:1 no-extension-endpoint-text error",
        `token.ipynb:${lineOf(json, `!curl -s ${URL}`, 2)} no-extension-endpoint-text error`,
        `token.ipynb:${lineOf(json, `!curl -s ${URL}`, 3)} no-extension-endpoint-text error`,
        `token.ipynb:${lineOf(json, "fetch(")} no-extension-endpoint error`,
        `token.ipynb:${lineOf(json, "msi2imds-disable-next-line", 2)} unused-disable-directive warning`,
      ],
    );
    assert.match(report.findings[1]!.message, /\(in cell 1 of this notebook\)$/);
    assert.match(report.findings[3]!.message, /\(in cell 3 of this notebook\)$/);
    assert.equal(readFileSync(join(root, "token.ipynb"), "utf8"), json, "--fix leaves a notebook as it is");
    assert.equal(exitCode, 1);
  });
});

/** The 1-based line of the `nth` line holding `piece`. */
describe("notebooks as programs", () => {
  const code = (source: string) => ({ cell_type: "code", metadata: {}, outputs: [], source });
  const markdown = (source: string) => ({ cell_type: "markdown", metadata: {}, source });
  const call = `import requests\nrequests.get("${URL}", headers={"Metadata": "true"})\n`;
  const lintNotebook = async (cells: unknown[]) => {
    const root = makeRepo({ "a.ipynb": JSON.stringify({ cells, metadata: {} }, null, 1) });
    const { report } = await runLint(
      [],
      { fix: false, port: [], updateBaseline: false, analysis: CODEMOD_ANALYSIS },
      root,
    );
    return report.findings;
  };

  it("keeps fingerprints when a heading elsewhere changes, one per finding", async () => {
    // Findings of the same snippet and message are told apart by their order, as in a file: another URL.
    const other = call.replace("localhost", "127.0.0.1");
    const cells = (heading: string) => [markdown(heading), code(call), markdown("## On the VM"), code(other)];
    const before = await lintNotebook(cells("## Setup"));
    const after = await lintNotebook(cells("## In Azure Cloud Shell"));
    assert.equal(before.length, 2);
    assert.notEqual(before[0]!.fingerprint, before[1]!.fingerprint);
    assert.equal(after[1]!.fingerprint, before[1]!.fingerprint, "the VM cell's finding is the same finding");
    assert.equal(after[0]!.severity, "warning", "the Cloud Shell cell is judged by its section");
  });

  it("keeps fingerprints when a cell is added above; names a directive's line in its cell", async () => {
    const before = await lintNotebook([code(call), code("x = 1\n")]);
    const after = await lintNotebook([markdown("# Title"), code("y = 2\n"), code(call), code("x = 1\n")]);
    assert.equal(after[0]!.fingerprint, before[0]!.fingerprint);
    const unused = await lintNotebook([
      code("x = 1\n"),
      code("# msi2imds-disable-next-line no-extension-endpoint-text\nz = 3\n"),
      code(call),
    ]);
    assert.match(unused.find((f) => f.ruleId === "unused-disable-directive")!.message, /line 2 of cell 2\b/);
  });

  it("a directive ending one cell covers the next cell's first line, as fix reads it", async () => {
    const findings = await lintNotebook([
      code("import requests\n# msi2imds-disable-next-line no-extension-endpoint-text -- kept"),
      code(`requests.get("${URL}", headers={"Metadata": "true"})\n`),
    ]);
    assert.deepEqual(findings, []);
  });
});

describe("large notebooks", () => {
  it("a notebook past the 4 MiB limit with its outputs is still read (to 32 MiB), as a script past it is not", async () => {
    const image = { output_type: "display_data", data: { "image/png": "iVBORw0KGgo".repeat(500_000) } };
    const notebook = JSON.stringify({
      cells: [{ cell_type: "code", metadata: {}, outputs: [image], source: [`!curl -s ${URL}`] }],
      metadata: {},
    });
    const root = makeRepo({ "plots.ipynb": notebook, "big.sh": `curl -s ${URL}\n${"#".repeat(5 * 1024 * 1024)}\n` });
    const { report } = await runLint(
      [],
      { fix: false, port: [], updateBaseline: false, analysis: CODEMOD_ANALYSIS },
      root,
    );
    assert.ok(notebook.length > 5 * 1024 * 1024);
    assert.deepEqual(
      report.findings.map((f) => `${f.location.file.path} ${f.ruleId}`),
      ["plots.ipynb no-extension-endpoint-text"],
    );
    assert.deepEqual(
      report.skipped.map((s) => s.path),
      ["big.sh"],
    );
  });
});

function lineOf(text: string, piece: string, nth = 1): number {
  const lines = text.split("\n");
  const found = lines.flatMap((line, i) => (line.includes(piece) ? [i + 1] : []));
  return found[nth - 1]!;
}
