import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyzeSource } from "../../src/codemod/analyze.js";
import { extensionPorts } from "../../src/imds.js";
import { lintFiles } from "../../src/lint/engine.js";
import { DIRECTIVE_RULES } from "../../src/core/suppressions.js";
import { FILE_RULES } from "../../rules/index.js";
import { growthWhenDoubled } from "../support/character-work.js";
import { makeRepo } from "./helpers.js";

// Every rule's work on a file grows with the file and its matches, not with their square: a generated
// one-line file with thousands of URLs or commands is linted in seconds. Measured as characters read (see
// test/support/character-work.ts), on the shapes that took minutes: many matches on one long line, and
// many suppression directives.

const all = FILE_RULES.map((rule) => ({ rule, severity: rule.meta.severity }));
const knownRuleIds = [...FILE_RULES.map((r) => r.meta.id), ...Object.keys(DIRECTIVE_RULES)];
const IN_PROCESS = { load: () => Promise.resolve(analyzeSource) };

const EXTENSION_URL = '"http://localhost:50342/oauth2/token"';
const IMDS_URL = "http://169.254.169.254/metadata/identity/oauth2/token";

const SHAPES: { name: string; file: string; text: (n: number) => string }[] = [
  { name: "extension URLs on one line", file: "urls.py", text: (n) => `U = [${repeat(n, EXTENSION_URL, ",")}]\n` },
  {
    name: "IMDS URLs in a list on one line",
    file: "imds.py",
    text: (n) => `U = [${repeat(n, `"${IMDS_URL}"`, ",")}]\n`,
  },
  {
    name: "curl POSTs to IMDS on one line",
    file: "curl.sh",
    text: (n) => `${repeat(n, `curl -X POST ${IMDS_URL}`, "; ")}\n`,
  },
  {
    name: "az vm extension set commands on one line",
    file: "az.sh",
    text: (n) =>
      `${repeat(n, "az vm extension set --publisher Microsoft.ManagedIdentity --name ManagedIdentityExtensionForLinux", "; ")}\n`,
  },
  {
    name: "IMDS requests at the top level, between functions",
    file: "requests.py",
    text: (n) => repeat(n, `r = requests.get("${IMDS_URL}", headers=h)\ndef f():\n    return 1\n`, ""),
  },
  { name: "az login --msi on one line", file: "login.sh", text: (n) => `${repeat(n, "az login --msi", " && ")}\n` },
  {
    name: "suppression directives, each over its URL",
    file: "suppressed.py",
    text: (n) => repeat(n, `# msi2imds-disable-next-line no-extension-endpoint-text\nU = ${EXTENSION_URL}\n`, ""),
  },
  {
    name: "minified fetch calls to the extension (JavaScript analysis)",
    file: "bundle.js",
    text: (n) => `${repeat(n, `fetch(${EXTENSION_URL},{headers:{Metadata:"true"}})`, ";")}\n`,
  },
];

function repeat(n: number, piece: string, separator: string): string {
  return Array.from({ length: n }, () => piece).join(separator);
}

describe("lint's work grows linearly with the matches in a file", () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      const root = makeRepo({});
      const path = join(root, shape.file);
      let findings = 0;
      const lintWith = async (n: number) => {
        writeFileSync(path, shape.text(n));
        const result = await lintFiles([{ path, displayPath: shape.file, explicit: true }], {
          rules: all,
          ports: extensionPorts([]),
          fix: false,
          knownRuleIds,
          analysis: IN_PROCESS,
        });
        assert.deepEqual([result.errors, result.skipped], [[], []]);
        findings = result.findings.length;
      };
      const growth = await growthWhenDoubled(lintWith, 1000);
      assert.ok(growth < 2.5, `work grew ${growth.toFixed(2)} times when the input doubled`);
      if (!/^(?:imds|suppressed)/.test(shape.file)) assert.ok(findings >= 2000);
    });
  }
});

describe("the per-file budget", () => {
  it("stops a file's rules at the budget, keeps what they found and says so as a skip", async () => {
    const root = makeRepo({
      "a.py": `${repeat(8, `U = ${EXTENSION_URL}`, "\n")}\n# msi2imds-disable-next-line no-extension-endpoint-text\nV = 1\n`,
    });
    const result = await lintFiles([{ path: join(root, "a.py"), displayPath: "a.py", explicit: true }], {
      rules: all,
      ports: extensionPorts([]),
      fix: false,
      knownRuleIds,
      analysis: IN_PROCESS,
      maxFindingsPerFile: 5,
    });
    assert.deepEqual(
      result.findings.map((f) => `${f.ruleId}:${f.location.file.line}`),
      [1, 2, 3, 4, 5].map((line) => `no-extension-endpoint-text:${line}`),
      "the directive the stopped rule never reached is not reported unused",
    );
    assert.deepEqual(result.skipped, [
      { path: "a.py", reason: "stopped at 5 problems, the per-file budget; the rest of the file is not checked" },
    ]);
  });

  it("is one budget for a notebook's cells and a document's blocks", async () => {
    const cell = (n: number) => ({
      cell_type: "code",
      metadata: {},
      outputs: [],
      source: repeat(n, `U = ${EXTENSION_URL}\n`, ""),
    });
    const directive = { ...cell(0), source: "# msi2imds-disable-next-line no-extension-endpoint-text\nV = 1\n" };
    const block = `\`\`\`python\n${repeat(3, `U = ${EXTENSION_URL}`, "\n")}\n\`\`\`\n`;
    const root = makeRepo({
      "a.ipynb": JSON.stringify({ cells: [cell(3), cell(3), cell(3), directive], metadata: {} }),
      "b.md": repeat(3, block, "\n"),
    });
    const result = await lintFiles(
      ["a.ipynb", "b.md"].map((name) => ({ path: join(root, name), displayPath: name, explicit: true })),
      { rules: all, ports: extensionPorts([]), fix: false, knownRuleIds, analysis: IN_PROCESS, maxFindingsPerFile: 5 },
    );
    const count = (path: string) => result.findings.filter((f) => f.location.file.path === path).length;
    assert.equal(count("a.ipynb"), 5, "the directive the budget never reached is not reported unused");
    assert.equal(count("b.md"), 5);
    assert.deepEqual(
      result.skipped.map((s) => s.path),
      ["a.ipynb", "b.md"],
    );
  });
});
