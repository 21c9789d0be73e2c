import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { knownRuleIds } from "../../src/lint/run.js";
import { ownReportKind } from "../../src/lint/own-reports.js";
import { CLI, lint, makeRepo } from "./helpers.js";

// A report written into the tree quotes the settings, URLs and examples the rules look for: the next run
// must not fail on it. Each format is written by the real command line, then the tree is linted again.

const TREE = {
  "deploy/get-token.sh": '#!/bin/sh\naz login --msi\ncurl -s "http://localhost:50342/oauth2/token?resource=x"\n',
  "app/config.rb": "ENV['MSI_VM'] = 'true'\nsettings = File.read('/var/lib/waagent/ManagedIdentity-Settings')\n",
  "token.py": 'import requests\nrequests.post("http://localhost:50342/oauth2/token", data={"resource": "x"})\n',
};

const run = (root: string, command: "lint" | "fix", args: string[], env: NodeJS.ProcessEnv = { NO_COLOR: "1" }) =>
  spawnSync(process.execPath, [CLI, command, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });

describe("msi2imds's own reports in the tree", () => {
  it("are passed over whatever their format, and the findings stay those of the code", () => {
    const root = makeRepo(TREE);
    const first = lint(root, ["-f", "json", "."]);
    assert.equal(first.status, 1, first.stderr);
    const outputs: Record<string, string> = {
      "reports/lint.txt": run(root, "lint", ["."]).stdout,
      "reports/lint-colour.txt": run(root, "lint", ["."], { FORCE_COLOR: "1" }).stdout,
      "reports/lint.json": first.stdout,
      "reports/lint.sarif": run(root, "lint", ["-f", "sarif", "."]).stdout,
      "reports/gitlab.json": run(root, "lint", ["-f", "gitlab", "."]).stdout,
      "reports/annotations.txt": run(root, "lint", ["-f", "github", "."]).stdout,
      "reports/fix.txt": run(root, "fix", ["."]).stdout,
      "reports/fix.json": run(root, "fix", ["--format", "json", "."]).stdout,
    };
    for (const [path, text] of Object.entries(outputs)) {
      assert.notEqual(text, "", `${path}: the command printed a report`);
      writeFileSync(join(root, path.replace("reports/", "")), text);
    }
    const baseline = lint(root, ["--update-baseline", "--baseline", "msi2imds-baseline.json", "."]);
    assert.equal(baseline.status, 0, baseline.stderr);

    const again = lint(root, ["-f", "json", "."]);
    assert.equal(again.status, 1, again.stderr);
    assert.equal(again.stdout, first.stdout, "the same findings, none in a report");
    assert.doesNotMatch(again.stderr, /skipped/, "a report left in the tree is passed over quietly");
    // Named, each says why it is not linted (fix.json names no setting or URL here: cleared unread).
    const named = lint(root, ["-f", "json", ...Object.keys(outputs).map((path) => path.replace("reports/", ""))]);
    assert.equal(named.status, 0, named.stderr);
    const skipped = named.stderr.split("\n").filter((line) => line.startsWith("msi2imds: skipped"));
    assert.deepEqual(skipped, [
      "msi2imds: skipped lint.txt: msi2imds's own lint output, not linted",
      "msi2imds: skipped lint-colour.txt: msi2imds's own lint output, not linted",
      "msi2imds: skipped lint.json: msi2imds's own JSON report, not linted",
      "msi2imds: skipped lint.sarif: msi2imds's own SARIF report, not linted",
      "msi2imds: skipped gitlab.json: msi2imds's own JSON report, not linted",
      "msi2imds: skipped annotations.txt: msi2imds's own GitHub annotations, not linted",
      "msi2imds: skipped fix.txt: msi2imds's own fix output, not linted",
    ]);
  });

  it("other tools' reports and files that merely look alike are read as any file is", () => {
    const ids = new Set(knownRuleIds());
    const url = "http://localhost:50342/oauth2/token";
    const lookalikes = {
      "ESLint's JSON": JSON.stringify([{ filePath: "a.js", messages: [{ ruleId: "no-unused-vars", message: url }] }]),
      "ESLint's JSON, partly ours": JSON.stringify([
        { messages: [{ ruleId: "no-extension-endpoint" }, { ruleId: "semi", message: url }] },
      ]),
      "a package.json": JSON.stringify({ name: "x", scripts: { token: `curl ${url}` } }),
      "another tool's SARIF": JSON.stringify({ runs: [{ tool: { driver: { name: "semgrep" } } }] }),
      "ESLint's stylish output": `a.js\n  1:1  error  ${url}  no-restricted-syntax\n\n✖ 1 problem (1 error, 0 warnings)\n`,
      "a script echoing annotations": `echo "::error title=no-legacy-msi-sdk::x"\ncurl ${url}\n`,
      "a JSON array of URLs": JSON.stringify([url]),
      "not JSON at all": `[${url}`,
    };
    for (const [name, text] of Object.entries(lookalikes)) assert.equal(ownReportKind(text, ids), undefined, name);
  });
});
