import { stripVTControlCharacters } from "node:util";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { escapeData, escapeProperty } from "../../src/formatters/github.js";
import { toSarif } from "../../src/formatters/sarif.js";
import { validateSarif } from "../support/sarif-schema.js";
import { EXTENSION_PY, lint, lintJson, makeRepo } from "./helpers.js";

// Every output format, rendered by the CLI from the same findings.

const REPO = {
  "src/app.py": `${EXTENSION_PY}\n# msi2imds-disable-next-line no-extension-endpoint-text\n`,
  "infra/vm.bicep":
    "properties: {\n  publisher: 'Microsoft.ManagedIdentity'\n  type: 'ManagedIdentityExtensionForLinux'\n  typeHandlerVersion: '1.0'\n}\n",
  "dir with space/t,x.sh": "az login --msi\n",
};

describe("json", () => {
  it("is ESLint's result shape", () => {
    const root = makeRepo(REPO);
    const { run, results } = lintJson(root);
    assert.equal(run.status, 1);
    const app = results.find((r) => r.filePath === "src/app.py")!;
    assert.deepEqual(Object.keys(app).sort(), ["errorCount", "filePath", "messages", "warningCount"]);
    assert.equal(app.errorCount, 1);
    assert.equal(app.warningCount, 1);
    const [error, warning] = app.messages;
    assert.deepEqual(
      { ...error, message: "" },
      {
        ruleId: "no-extension-endpoint-text",
        severity: 2,
        message: "",
        line: 1,
        column: 14,
        endLine: 1,
        endColumn: 49,
      },
    );
    assert.equal(warning!.ruleId, "unused-disable-directive");
    assert.equal(warning!.severity, 1);
  });

  it("is an empty array when clean", () => {
    const root = makeRepo({ "ok.py": "print('hello')\n" });
    const { run, results } = lintJson(root);
    assert.equal(run.status, 0);
    assert.deepEqual(results, []);
  });
});

describe("sarif", () => {
  it("validates against the SARIF 2.1.0 schema, with repo-relative URIs, rules and fingerprints", () => {
    const root = makeRepo(REPO);
    const run = lint(join(root, "src"), ["--format", "sarif", ".."]);
    assert.equal(run.status, 1);
    const log = JSON.parse(run.stdout) as SarifLog;
    validateSarif(log);
    assert.equal(log.version, "2.1.0");
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.originalUriBaseIds["%SRCROOT%"]!.uri, `file://${root}/`);
    const uris = sarifRun.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    for (const uri of uris) assert.equal(uri.uriBaseId, "%SRCROOT%");
    assert.deepEqual(uris.map((u) => u.uri).sort(), [
      "dir%20with%20space/t%2Cx.sh",
      "infra/vm.bicep",
      "src/app.py",
      "src/app.py",
    ]);
    for (const result of sarifRun.results) {
      assert.match(result.partialFingerprints["msi2imds/v1"]!, /^[0-9a-f]{32}$/);
      const rule = sarifRun.tool.driver.rules[result.ruleIndex!]!;
      assert.equal(rule.id, result.ruleId);
    }
    const deployment = sarifRun.tool.driver.rules.find((r) => r.id === "no-extension-deployment")!;
    assert.equal(deployment.helpUri, "https://github.com/msi2imds/msi2imds/blob/main/rules/no-extension-deployment.md");
    assert.match(deployment.help.markdown!, /^# no-extension-deployment/);
  });

  it("a name that starts with two dots is inside the repository: a relative URI, not file://", () => {
    const root = makeRepo({ "..dotdot.py": EXTENSION_PY, "..d/a.py": EXTENSION_PY, "sub/..x.py": EXTENSION_PY });
    for (const cwd of [root, join(root, "sub")]) {
      const run = lint(cwd, ["--format", "sarif", root]);
      const log = JSON.parse(run.stdout) as SarifLog;
      validateSarif(log);
      const locations = log.runs[0].results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
      assert.deepEqual(
        locations.map((l) => `${l.uriBaseId} ${l.uri}`).sort(),
        ["%SRCROOT% ..d/a.py", "%SRCROOT% ..dotdot.py", "%SRCROOT% sub/..x.py"],
        cwd,
      );
    }
  });

  it("the schema check itself rejects a broken log", () => {
    assert.throws(() => validateSarif({ version: "2.1.0", runs: [{ results: [] }] }), /tool/);
    assert.throws(() => validateSarif({ version: "2.0.0", runs: [] }), /version|enum/);
  });

  it("has results: [] when clean and lists skipped files as notifications", () => {
    const root = makeRepo({
      "ok.py": "print('hello')\n",
      "bin.py": Buffer.from([0x00, 0x01, ...Buffer.from(EXTENSION_PY)]),
    });
    const run = lint(root, ["--format", "sarif"]);
    assert.equal(run.status, 0);
    const log = JSON.parse(run.stdout) as SarifLog;
    validateSarif(log);
    assert.deepEqual(log.runs[0].results, []);
    const notes = log.runs[0].invocations[0]!.toolExecutionNotifications.map((n) => n.message.text);
    assert.deepEqual(notes, ["skipped bin.py: binary file"]);
  });

  it("marks a run with tool errors as not successful", () => {
    const log = toSarif({
      tool: { name: "msi2imds", version: "0.0.0" },
      findings: [],
      cwd: process.cwd(),
      sourceRoot: process.cwd(),
      rules: [],
      skipped: [],
      fixed: [],
      toolErrors: ["rule x failed on a.py: boom"],
    }) as SarifLog & {
      runs: [{ invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string }[] }[] }];
    };
    validateSarif(log);
    assert.equal(log.runs[0].invocations[0]!.executionSuccessful, false);
    assert.equal(log.runs[0].invocations[0]!.toolExecutionNotifications[0]!.level, "error");
  });

  it("keeps fingerprints when lines move", () => {
    const root = makeRepo({ "t.py": EXTENSION_PY });
    const before = (JSON.parse(lint(root, ["--format", "sarif"]).stdout) as SarifLog).runs[0].results[0]!
      .partialFingerprints;
    writeFileSync(join(root, "t.py"), `import os\n\n${EXTENSION_PY}`);
    const after = (JSON.parse(lint(root, ["--format", "sarif"]).stdout) as SarifLog).runs[0].results[0]!;
    assert.equal(after.locations[0]!.physicalLocation.region.startLine, 3);
    assert.deepEqual(after.partialFingerprints, before);
  });
});

describe("github", () => {
  it("prints workflow commands with escaped properties and a step summary", () => {
    const root = makeRepo(REPO);
    const summaryFile = join(root, "summary.md");
    writeFileSync(summaryFile, "previous step\n");
    const run = lint(join(root, "src"), ["--format", "github", ".."], { GITHUB_STEP_SUMMARY: summaryFile });
    assert.equal(run.status, 1);
    const lines = run.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 4);
    assert.ok(
      lines.includes(
        "::error file=dir with space/t%2Cx.sh,line=1,col=10,endLine=1,endColumn=15,title=no-legacy-msi-sdk::" +
          "az login --msi used the deprecated Managed Identity VM extension; use az login --identity.",
      ),
      lines.join("\n"),
    );
    assert.ok(
      lines.some(
        (l) => l.startsWith("::warning file=src/app.py,line=3,") && l.includes("title=unused-disable-directive::"),
      ),
    );
    assert.ok(lines.some((l) => l.startsWith("::error file=infra/vm.bicep,line=2,col=14,")));
    const summary = readFileSync(summaryFile, "utf8");
    assert.ok(summary.startsWith("previous step\n### msi2imds lint\n"), summary);
    assert.match(summary, /3 error\(s\), 1 warning\(s\)/);
    assert.match(summary, /\| error \| `no-extension-deployment` \| `infra\/vm\.bicep` \| 2 \|/);
  });

  it("escapes %, CR, LF, and : , in properties", () => {
    assert.equal(escapeData("50% a\r\nb"), "50%25 a%0D%0Ab");
    assert.equal(escapeProperty("a:b,c%"), "a%3Ab%2Cc%25");
  });
});

describe("stylish", () => {
  it("groups by file and totals, without colour when asked", () => {
    const root = makeRepo(REPO);
    const run = lint(root, ["--no-color"]);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, stripVTControlCharacters(run.stdout));
    assert.match(run.stdout, /^src\/app\.py$/m);
    assert.match(run.stdout, /^ {2}3:3 +warning +unused msi2imds-disable-next-line directive/m);
    assert.match(run.stdout, /✖ 4 problems \(3 errors, 1 warning\)/);
    // The Python and shell errors: the codemod's to rewrite, not edits the findings carry.
    assert.match(run.stdout, /--fix also rewrites what it can of 2 problems in scripts \(fix lists the rest\)/);
    assert.doesNotMatch(run.stdout, /in notebooks/);
    const notebook = JSON.stringify({
      cells: [{ cell_type: "code", source: '!curl -s -H Metadata:true "http://localhost:50342/oauth2/token"' }],
    });
    const withNotebook = lint(makeRepo({ "token.ipynb": notebook }), ["--no-color"]);
    assert.match(withNotebook.stdout, /msi2imds fix --write rewrites what it can of 1 problem in notebooks/);
  });
});

interface SarifLog {
  version: string;
  runs: [
    {
      tool: { driver: { rules: { id: string; helpUri?: string; help: { markdown?: string } }[] } };
      originalUriBaseIds: Record<string, { uri: string }>;
      invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
      results: {
        ruleId: string;
        ruleIndex?: number;
        locations: {
          physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } };
        }[];
        partialFingerprints: Record<string, string>;
      }[];
    },
  ];
}
