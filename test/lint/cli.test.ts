import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CLEAN_PY, EXTENSION_PY, lint, lintJson, makeRepo, summary } from "./helpers.js";

// Exit codes, options and config through the built CLI.

describe("lint exit codes", () => {
  it("0 when clean, 1 on an error finding", () => {
    const root = makeRepo({ "clean.py": CLEAN_PY });
    assert.equal(lint(root, []).status, 0);
    const dirty = makeRepo({ "app/token.py": EXTENSION_PY });
    const run = lint(dirty, []);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /app\/token\.py/);
    assert.match(run.stdout, /1:14 +error .*no-extension-endpoint-text/);
  });

  it("warnings pass unless there are more than --max-warnings", () => {
    const root = makeRepo({
      "t.py": EXTENSION_PY,
      "msi2imds.config.json": JSON.stringify({ rules: { "no-extension-endpoint-text": "warn" } }),
    });
    assert.equal(lint(root, []).status, 0);
    assert.equal(lint(root, ["--max-warnings", "1"]).status, 0);
    assert.equal(lint(root, ["--max-warnings", "0"]).status, 1);
  });

  it("2 with a one-line message for usage and config problems", () => {
    const root = makeRepo({ "t.py": EXTENSION_PY });
    const cases: [string[], RegExp][] = [
      [["--format", "xml"], /xml/],
      [["--max-warnings", "-1"], /max-warnings|whole number/],
      [["--port", "70000"], /port/],
      [["missing-dir"], /^msi2imds: missing-dir: no such file or directory$/m], // worded as fix words it
      [["--config", "nope.json"], /config file not found: nope\.json/],
    ];
    for (const [args, message] of cases) {
      const run = lint(root, args);
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace for a usage error");
    }
  });

  it("2 for a bad config, naming the file and the key", () => {
    const bad: [unknown, RegExp][] = [
      [{ rules: { "no-such-rule": "error" } }, /"rules\.no-such-rule" is not a known rule/],
      [{ rules: { "imds-request-shape": "loud" } }, /"rules\.imds-request-shape" must be "off", "warn" or "error"/],
      [{ ports: [50342, "x"] }, /"ports\[1\]" must be an integer/],
      [{ ignore: "dist" }, /"ignore" must be an array/],
      [{ colour: true }, /"colour" is not a known key/],
    ];
    for (const [config, message] of bad) {
      const root = makeRepo({ "t.py": EXTENSION_PY, "msi2imds.config.json": JSON.stringify(config) });
      const run = lint(root, []);
      assert.equal(run.status, 2, JSON.stringify(config));
      assert.match(run.stderr, /msi2imds\.config\.json/);
      assert.match(run.stderr, message);
    }
    const root = makeRepo({ "t.py": EXTENSION_PY, "msi2imds.config.json": '{\n  "rules": {\n    rules: ' });
    const run = lint(root, []);
    assert.equal(run.status, 2);
    // Where, as an editor counts: line and column, not JSON.parse's character offset.
    assert.match(run.stderr, /msi2imds\.config\.json is not valid JSON: .* at line 3, column 5/);
  });
});

describe("lint config and options", () => {
  it("finds the config by walking up, turns rules off and ignores globs relative to it", () => {
    const root = makeRepo({
      "msi2imds.config.json": JSON.stringify({ rules: { "no-legacy-msi-sdk": "off" }, ignore: ["vendor/**"] }),
      "svc/app/t.py": EXTENSION_PY,
      "svc/app/login.sh": "az login --msi\n",
      "svc/app/vendor/x.py": EXTENSION_PY,
      "vendor/y.py": EXTENSION_PY,
    });
    const { run, results } = lintJson(join(root, "svc"));
    assert.equal(run.status, 1);
    assert.deepEqual(summary(results), [
      "app/t.py:1 no-extension-endpoint-text",
      "app/vendor/x.py:1 no-extension-endpoint-text",
    ]);
  });

  it("config ignore globs apply to names that start with two dots, which are inside its folder", () => {
    const root = makeRepo({
      "msi2imds.config.json": JSON.stringify({ ignore: ["..dotdot.py", "..d/"] }),
      "..dotdot.py": EXTENSION_PY,
      "..d/a.py": EXTENSION_PY,
      "kept.py": EXTENSION_PY,
    });
    const { results } = lintJson(root);
    assert.deepEqual(summary(results), ["kept.py:1 no-extension-endpoint-text"]);
  });

  it("--port and config ports add extension ports", () => {
    const source = 'URL = "http://localhost:50399/oauth2/token"\n';
    const root = makeRepo({ "t.py": source });
    assert.equal(lint(root, []).status, 0);
    assert.equal(lint(root, ["--port", "50399"]).status, 1);
    const configured = makeRepo({ "t.py": source, "msi2imds.config.json": JSON.stringify({ ports: [50399] }) });
    assert.equal(lint(configured, []).status, 1);
  });

  it("honours .gitignore and walks dot folders such as .github", () => {
    const root = makeRepo({
      ".gitignore": "generated/\n",
      "generated/t.py": EXTENSION_PY,
      ".github/workflows/ci.yml": "steps:\n  - run: az login --msi\n",
      "infra/Dockerfile": "FROM alpine\nRUN curl http://localhost:50342/oauth2/token\n",
    });
    const { results } = lintJson(root);
    assert.deepEqual(summary(results), [
      ".github/workflows/ci.yml:2 no-legacy-msi-sdk",
      "infra/Dockerfile:2 no-extension-endpoint-text",
    ]);
  });

  it("reads ARM templates as .json, comments and trailing commas included", () => {
    const template =
      `{\n  // VM extension\n` +
      `  "resources": [{ "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm/x",\n` +
      `    "properties": { "publisher": "Microsoft.ManagedIdentity", ` +
      `"type": "ManagedIdentityExtensionForLinux", "typeHandlerVersion": "1.0", }, }],\n}\n`;
    const root = makeRepo({
      "infra/azuredeploy.json": template,
      "package.json": '{ "name": "Microsoft.ManagedIdentity" }',
    });
    const { results } = lintJson(root);
    assert.deepEqual(summary(results), ["infra/azuredeploy.json:4 no-extension-deployment"]);
  });

  it("--output writes the report to a file", () => {
    const root = makeRepo({ "t.py": EXTENSION_PY });
    const run = lint(root, ["--format", "json", "--output", "report.json"]);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, "");
    const results = JSON.parse(readFileSync(join(root, "report.json"), "utf8")) as unknown[];
    assert.equal(results.length, 1);
  });

  it("--output creates its parent folders and says where the report went, in one line", () => {
    const root = makeRepo({ "t.py": EXTENSION_PY });
    const run = lint(root, ["--format", "json", "--output", "new/dir/report.json"]);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      "msi2imds: lint: 1 error(s), 0 warning(s), 0 file(s) skipped; report written to new/dir/report.json\n",
    );
    assert.equal((JSON.parse(readFileSync(join(root, "new/dir/report.json"), "utf8")) as unknown[]).length, 1);
  });

  it("an unwritable --output or job summary is a one-line error (exit 2); the report still goes to stdout", () => {
    const root = makeRepo({ "t.py": EXTENSION_PY });
    const run = lint(root, ["--format", "json", "--output", "t.py/report.json"]);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /cannot write t\.py\/report\.json: not a directory; the report follows on stdout/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    assert.equal((JSON.parse(run.stdout) as unknown[]).length, 1);
    // Under /proc, mkdir answers ENOENT where Node 20's recursive mkdir would loop for ever.
    const proc = lint(
      root,
      ["--format", "json", "--output", "/proc/msi2imds-absent/report.json"],
      {},
      { timeout: 20_000 },
    );
    assert.equal(proc.status, 2, proc.stderr);
    assert.match(proc.stderr, /cannot write \/proc\/msi2imds-absent\/report\.json: no such file or directory/);
    const github = lint(root, ["--format", "github"], { GITHUB_STEP_SUMMARY: join(root, "missing-dir", "summary.md") });
    assert.equal(github.status, 2, github.stderr);
    assert.match(github.stderr, /cannot append the job summary to GITHUB_STEP_SUMMARY .*: no such file or directory/);
    assert.doesNotMatch(github.stderr, /\n\s+at /, "no stack trace");
    assert.match(github.stdout, /::error file=t\.py/);
  });
});
