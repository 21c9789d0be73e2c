import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, lstatSync, readFileSync, statSync, chmodSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { CLI, lint, makeRepo, writeFiles } from "./helpers.js";

// lint --fix writes the codemod's rewrites (the same engine as fix --write, scripts included) and reports what
// is left.

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/no-extension-endpoint");

describe("lint --fix", () => {
  it("rewrites a JS/TS extension call to IMDS, keeps the file mode, and a second run is clean", () => {
    const root = makeRepo({});
    const target = join(root, "token.ts");
    copyFileSync(join(FIXTURES, "fetch-literal.input.ts"), target);
    chmodSync(target, 0o640);
    const before = lint(root, ["--format", "json"]);
    assert.equal(before.status, 1);
    assert.match(before.stdout, /"ruleId": "no-extension-endpoint"/);
    assert.equal(
      readFileSync(target, "utf8"),
      readFileSync(join(FIXTURES, "fetch-literal.input.ts"), "utf8"),
      "without --fix nothing is written",
    );

    const fixed = lint(root, ["--fix", "--format", "json"]);
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
    assert.match(fixed.stderr, /fixed token\.ts \(1 fix\(es\)\)/);
    assert.equal(readFileSync(target, "utf8"), readFileSync(join(FIXTURES, "fetch-literal.output.ts"), "utf8"));
    assert.equal(statSync(target).mode & 0o777, 0o640);
    const again = lint(root, ["--fix"]);
    assert.equal(again.status, 0);
    assert.doesNotMatch(again.stderr, /fixed/);
  });

  it("does not rewrite a file that does not parse (as fix --write); its text rules still report", () => {
    const source = `${readFileSync(join(FIXTURES, "fetch-literal.input.ts"), "utf8")}export const broken = (;\n`;
    const root = makeRepo({ "token.ts": source });
    const run = lint(root, ["--fix", "--format", "json"]);
    assert.equal(readFileSync(join(root, "token.ts"), "utf8"), source);
    assert.match(run.stderr, /skipped token\.ts: JavaScript\/TypeScript does not parse/);
    assert.doesNotMatch(run.stderr, /fixed/);
  });

  it("writes through a symbolic link and does not write a read-only file (as fix --write)", () => {
    const root = makeRepo({});
    const input = readFileSync(join(FIXTURES, "fetch-literal.input.ts"), "utf8");
    const output = readFileSync(join(FIXTURES, "fetch-literal.output.ts"), "utf8");
    writeFiles(root, { "real/target.ts": input, "readonly.ts": input });
    symlinkSync("real/target.ts", join(root, "link.ts"));
    chmodSync(join(root, "readonly.ts"), 0o444);
    const run = lint(root, ["--fix", "--format", "json", "link.ts", "readonly.ts"]);
    assert.equal(run.status, 1, run.stderr);
    assert.ok(lstatSync(join(root, "link.ts")).isSymbolicLink(), "the link is still a link");
    assert.equal(readFileSync(join(root, "real/target.ts"), "utf8"), output, "its target was rewritten");
    assert.equal(
      readFileSync(join(root, "readonly.ts"), "utf8"),
      input,
      "a read-only file is not written, even by root",
    );
    assert.match(run.stderr, /skipped readonly\.ts: fix not written: read-only file/);
  });

  it("leaves review-only findings in place, in JS/TS and in scripts", () => {
    const fromEnvironment = 'curl -s "http://localhost:${MSI_PORT}/oauth2/token?resource=https://vault.azure.net"\n';
    const root = makeRepo({ "port.sh": fromEnvironment });
    copyFileSync(join(FIXTURES, "exported-constant.review.ts"), join(root, "exported.ts"));
    const original = readFileSync(join(root, "exported.ts"));
    const run = lint(root, ["--fix", "--format", "json"]);
    assert.equal(run.status, 1);
    assert.deepEqual(readFileSync(join(root, "exported.ts")), original);
    assert.equal(readFileSync(join(root, "port.sh"), "utf8"), fromEnvironment);
    assert.match(run.stdout, /no-extension-endpoint-text/);
    assert.match(run.stdout, /no-extension-endpoint"/);
  });

  it("rewrites scripts as fix --write does, only for the rules enabled, never a suppressed line", () => {
    const scripts = {
      "deploy.sh":
        "#!/bin/bash\naz login --msi\n" +
        'curl -s -X POST http://localhost:50342/oauth2/token -H Metadata:true -d "resource=https://management.azure.com/"\n',
      "token.py":
        "import requests\n" +
        'r = requests.post("http://localhost:50342/oauth2/token", data={"resource": "https://vault.azure.net"})\n',
      "kept.ps1": "# msi2imds-disable-next-line no-legacy-msi-sdk -- an agent image with a 2017 CLI\naz login --msi\n",
    };
    const viaLint = makeRepo(scripts);
    const viaFix = makeRepo(scripts);
    const linted = lint(viaLint, ["--fix", "--format", "json"]);
    assert.equal(linted.status, 0, linted.stdout + linted.stderr);
    assert.match(linted.stderr, /fixed deploy\.sh \(2 fix\(es\)\)/);
    const fixed = spawnSync(process.execPath, [CLI, "fix", "--write", "--force", "."], {
      cwd: viaFix,
      encoding: "utf8",
    });
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
    for (const name of Object.keys(scripts))
      assert.equal(readFileSync(join(viaLint, name), "utf8"), readFileSync(join(viaFix, name), "utf8"), name);
    assert.equal(readFileSync(join(viaLint, "kept.ps1"), "utf8"), scripts["kept.ps1"]);

    // A rule turned off is neither reported nor fixed: its rewrite is not made either.
    const partly = makeRepo({ ...scripts, "msi2imds.config.json": '{ "rules": { "no-legacy-msi-sdk": "off" } }' });
    assert.equal(lint(partly, ["--fix"]).status, 0);
    const deploy = readFileSync(join(partly, "deploy.sh"), "utf8");
    assert.match(deploy, /^az login --msi$/m);
    assert.match(deploy, /169\.254\.169\.254/);
  });
});
