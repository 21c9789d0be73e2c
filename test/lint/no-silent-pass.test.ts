import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FileFinding } from "../../src/core/finding.js";
import { runLint } from "../../src/lint/run.js";
import { CODEMOD_ANALYSIS } from "../rules/rule-tester.js";
import { lint, makeRepo } from "./helpers.js";

// No file whose bytes hold the extension passes unread: names that tell no language are read by their
// text, templates by their content, standard input and globs as files are. In process, but for the one
// case that needs the command line's own reading of standard input.

const URL = "http://localhost:50342/oauth2/token";
const ARM =
  '{\n  "resources": [{ "type": "Microsoft.Compute/virtualMachines/extensions", "properties": ' +
  '{ "publisher": "Microsoft.ManagedIdentity", "type": "ManagedIdentityExtensionForLinux", "typeHandlerVersion": "1.0" } }]\n}\n';

const run = (root: string, paths: string[], extra: Partial<Parameters<typeof runLint>[1]> = {}) =>
  runLint(paths, { fix: false, port: [], updateBaseline: false, analysis: CODEMOD_ANALYSIS, ...extra }, root);

const where = (findings: readonly FileFinding[]) =>
  findings.map((f) => `${f.location.file.path}:${f.location.file.line} ${f.ruleId} ${f.severity}`);

describe("no silent pass", () => {
  it("settings files, shebang scripts, PHP, Kotlin, Dockerfile.prod and templates under any name", async () => {
    const root = makeRepo({
      ".env": `MSI_URL=${URL}\n# OLD_URL=${URL}\n`,
      "app.properties": `msi.endpoint=${URL}\n`,
      "web.config": `<add key="TokenUrl" value="${URL}" />\n`,
      "bin/get-token": `#!/usr/bin/env bash\n# ${URL}\ncurl -H Metadata:true "${URL}?resource=x"\n`,
      "src/a.php": `<?php\n// ${URL}\n$u = "${URL}";\n`,
      "src/A.kt": `val u = "${URL}"\n`,
      "Dockerfile.prod": `FROM alpine\nRUN curl ${URL}\n`,
      "parts/vm.t": ARM,
      "templates/vm.txt": ARM,
      "img.png": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), Buffer.from(URL)]),
      "notes.txt": "nothing to see\n",
    });
    const { report } = await run(root, []);
    assert.deepEqual(where(report.findings), [
      ".env:1 no-extension-endpoint-text error",
      "Dockerfile.prod:2 no-extension-endpoint-text error",
      "app.properties:1 no-extension-endpoint-text error",
      "bin/get-token:3 no-extension-endpoint-text error",
      "parts/vm.t:2 no-extension-deployment error",
      "src/A.kt:1 no-extension-endpoint-text error",
      "src/a.php:3 no-extension-endpoint-text error",
      "templates/vm.txt:2 no-extension-deployment error",
      "web.config:1 no-extension-endpoint-text error",
    ]);
    assert.deepEqual(report.skipped, [], "a binary file is not even read in a walk");
  });

  it("standard input, as the file --stdin-filename names or as <stdin> (its text tells the language)", async () => {
    const root = makeRepo({ "b.py": `B = "${URL}"\n` });
    const bytes = Buffer.from(`#!/bin/sh\ncurl ${URL}\n`);
    const named = await run(root, ["-"], { stdin: { bytes: Buffer.from(`x = "${URL}"\n`), filename: "src/x.py" } });
    assert.deepEqual(where(named.report.findings), ["src/x.py:1 no-extension-endpoint-text error"]);
    const unnamed = await run(root, ["-", "b.py"], { stdin: { bytes } });
    assert.deepEqual(where(unnamed.report.findings), [
      "<stdin>:2 no-extension-endpoint-text error",
      "b.py:1 no-extension-endpoint-text error",
    ]);
    await assert.rejects(run(root, ["-"], { stdin: { bytes }, fix: true }), /--fix cannot rewrite standard input/);
  });

  it("a quoted glob that matches no file is a usage error, not a pass", () => {
    const root = makeRepo({ "deploy.sh": `curl ${URL}\n` });
    const typo = lint(root, ["**/*.bash"]);
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /\*\*\/\*\.bash: no file matches this pattern/);
    assert.equal(lint(root, ["**/*.sh"]).status, 1);
  });

  it("the command line reads a pipe on - and on /dev/stdin", () => {
    const root = makeRepo({});
    for (const path of ["-", "/dev/stdin"]) {
      const result = lint(
        root,
        [path, "--stdin-filename", "deploy.sh", "--format", "json"],
        {},
        { input: `curl ${URL}\n` },
      );
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stdout, /"filePath": "deploy\.sh"/);
    }
  });
});
