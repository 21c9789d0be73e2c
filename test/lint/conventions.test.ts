import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { validateSarif } from "../support/sarif-schema.js";
import { CLEAN_PY, EXTENSION_PY, lint, lintJson, makeRepo, summary } from "./helpers.js";

// The flags people reach for from other linters, and a baseline that starts itself.

const WARNING_CONFIG = '{ "rules": { "no-legacy-msi-sdk": "warn" } }';

describe("lint conventions", () => {
  it("--quiet reports errors only, and warnings no longer fail --max-warnings", () => {
    const root = makeRepo({
      "a.py": EXTENSION_PY,
      "login.sh": "az login --msi\n",
      "msi2imds.config.json": WARNING_CONFIG,
    });
    assert.deepEqual(summary(lintJson(root).results), [
      "a.py:1 no-extension-endpoint-text",
      "login.sh:1 no-legacy-msi-sdk",
    ]);
    assert.deepEqual(summary(lintJson(root, ["--quiet"]).results), ["a.py:1 no-extension-endpoint-text"]);
    const warningsOnly = makeRepo({ "login.sh": "az login --msi\n", "msi2imds.config.json": WARNING_CONFIG });
    assert.equal(lint(warningsOnly, ["--max-warnings", "0"]).status, 1);
    assert.equal(lint(warningsOnly, ["--max-warnings", "0", "-q"]).status, 0);
  });

  it("--list-rules lists every rule, as text or JSON", () => {
    const root = makeRepo({});
    const text = lint(root, ["--list-rules"]);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^no-extension-endpoint +error, fixable +JavaScript/m);
    const rules = JSON.parse(lint(root, ["--list-rules", "-f", "json"]).stdout) as { id: string }[];
    assert.deepEqual(
      rules.map((r) => r.id),
      [
        "imds-request-shape",
        "invalid-disable-directive",
        "no-extension-deployment",
        "no-extension-endpoint",
        "no-extension-endpoint-text",
        "no-legacy-msi-sdk",
        "unused-disable-directive",
      ],
    );
  });

  it("--print-config shows the rules a file gets from the config above it", () => {
    const root = makeRepo({
      "svc/msi2imds.config.json":
        '{ "rules": { "imds-request-shape": "off" }, "ignore": ["gen/**"], "ports": [50400] }',
      "svc/gen/a.py": CLEAN_PY,
    });
    const run = lint(root, ["--print-config", "svc/gen/a.py"]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      file: "svc/gen/a.py",
      configFile: "svc/msi2imds.config.json",
      language: "python",
      ignored: true,
      ports: [50342, 50343, 50400],
      rules: {
        "no-extension-deployment": "error",
        "no-extension-endpoint-text": "error",
        "no-legacy-msi-sdk": "error",
        "imds-request-shape": "off",
      },
    });
  });

  it("the config is found upwards from the first target, not only from the working directory", () => {
    const root = makeRepo({ "svc/msi2imds.config.json": WARNING_CONFIG, "svc/login.sh": "az login --msi\n" });
    assert.equal(lint(root, ["svc"]).status, 0, "svc's config makes the finding a warning");
    assert.equal(lint(join(root, "svc"), []).status, 0);
    assert.equal(lint(root, ["svc/login.sh"]).status, 0);
  });

  it("--init writes a commented config that lint reads, and never overwrites one", () => {
    const root = makeRepo({ "a.py": EXTENSION_PY });
    const init = lint(root, ["--init"]);
    assert.equal(init.status, 0, init.stderr);
    const text = readFileSync(join(root, "msi2imds.config.json"), "utf8");
    assert.match(text, /^\s*\/\/ "no-extension-endpoint-text": "error",$/m);
    assert.match(text, /^\s*\/\/ "unused-disable-directive": "warn",$/m);
    assert.equal(lint(root, []).status, 1, "the commented config is valid and changes nothing");
    const again = lint(root, ["--init"]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists/);
  });

  it("a missing --baseline reports every finding as new and says how to record one", () => {
    const root = makeRepo({ "a.py": EXTENSION_PY });
    const run = lint(root, ["--baseline", "ci/msi2imds-baseline.json"]);
    assert.equal(run.status, 1, "findings, not a usage error");
    assert.match(
      run.stderr,
      /baseline ci\/msi2imds-baseline\.json does not exist yet.*msi2imds lint --update-baseline --baseline ci\/msi2imds-baseline\.json/,
    );
    assert.equal(lint(root, ["--update-baseline", "--baseline", "ci/msi2imds-baseline.json"]).status, 0);
    assert.equal(lint(root, ["--baseline", "ci/msi2imds-baseline.json"]).status, 0);
  });

  it("--sarif-output writes SARIF beside the main format from the same run", () => {
    const root = makeRepo({ "a.py": EXTENSION_PY });
    const run = lint(root, ["-f", "github", "--sarif-output", "out/deep/msi2imds.sarif"]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^::error file=a\.py,line=1/m);
    assert.match(run.stderr, /report written to out\/deep\/msi2imds\.sarif/);
    const log = JSON.parse(readFileSync(join(root, "out/deep/msi2imds.sarif"), "utf8"));
    validateSarif(log);
    assert.equal(log.runs[0].results.length, 1);
  });

  it("-f gitlab writes GitLab's Code Quality report", () => {
    const root = makeRepo({
      "src/a.py": EXTENSION_PY,
      "login.sh": "az login --msi\n",
      "msi2imds.config.json": WARNING_CONFIG,
    });
    const run = lint(root, ["-f", "gitlab", "-o", "reports/gl-code-quality.json"]);
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /^msi2imds: lint: 1 error\(s\), 1 warning\(s\), 0 file\(s\) skipped; report written to reports\/gl-code-quality\.json$/m,
    );
    const issues = JSON.parse(readFileSync(join(root, "reports/gl-code-quality.json"), "utf8"));
    assert.deepEqual(
      issues.map((i: { check_name: string; severity: string; location: unknown }) => [
        i.check_name,
        i.severity,
        i.location,
      ]),
      [
        ["no-legacy-msi-sdk", "minor", { path: "login.sh", lines: { begin: 1, end: 1 } }],
        ["no-extension-endpoint-text", "major", { path: "src/a.py", lines: { begin: 1, end: 1 } }],
      ],
    );
    for (const issue of issues) {
      assert.equal(issue.type, "issue");
      assert.match(issue.fingerprint, /^[0-9a-f]{32}$/);
      assert.ok(issue.description.length > 0);
    }
    assert.equal(JSON.parse(lint(makeRepo({ "ok.py": CLEAN_PY }), ["-f", "gitlab"]).stdout).length, 0);
  });
});
