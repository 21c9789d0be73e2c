import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { EXTENSION_PY, lint, lintJson, makeRepo, summary } from "./helpers.js";

// Baseline round trip: record today's findings, fail only on new ones.

describe("baseline", () => {
  it("--update-baseline writes sorted counts per file per rule; --baseline then gates only new findings", () => {
    const root = makeRepo({
      "b/two.py": `${EXTENSION_PY}${EXTENSION_PY.replace("TOKEN_URL", "AGAIN")}`,
      "a/login.sh": "az login --msi\n",
    });
    const update = lint(root, ["--update-baseline", "--baseline", "ci/baseline.json"]);
    assert.equal(update.status, 0, update.stderr);
    const text = readFileSync(join(root, "ci/baseline.json"), "utf8");
    assert.equal(
      text,
      `${JSON.stringify(
        {
          version: 1,
          files: { "a/login.sh": { "no-legacy-msi-sdk": 1 }, "b/two.py": { "no-extension-endpoint-text": 2 } },
        },
        null,
        2,
      )}\n`,
    );

    assert.equal(lint(root, ["--baseline", "ci/baseline.json"]).status, 0);
    writeFileSync(join(root, "a/login.sh"), "az login --identity\n");
    const tighter = lint(root, ["--baseline", "ci/baseline.json"]);
    assert.equal(tighter.status, 0);
    assert.match(tighter.stderr, /1 finding\(s\) accepted by the baseline are gone; tighten it with --update-baseline/);
    assert.equal(lint(root, []).status, 1, "without the baseline the old findings still fail");

    // One more in a baselined file and one in a new file: only those two are reported.
    writeFileSync(join(root, "b/two.py"), `${EXTENSION_PY}${EXTENSION_PY}${EXTENSION_PY}`);
    writeFileSync(join(root, "c.py"), EXTENSION_PY);
    const { run, results } = lintJson(root, ["--baseline", "ci/baseline.json"]);
    assert.equal(run.status, 1);
    assert.deepEqual(summary(results), ["b/two.py:3 no-extension-endpoint-text", "c.py:1 no-extension-endpoint-text"]);
  });

  it("defaults to msi2imds-baseline.json and rejects a malformed baseline with exit 2", () => {
    const root = makeRepo({ "t.py": EXTENSION_PY });
    assert.equal(lint(root, ["--update-baseline"]).status, 0);
    assert.deepEqual(JSON.parse(readFileSync(join(root, "msi2imds-baseline.json"), "utf8")), {
      version: 1,
      files: { "t.py": { "no-extension-endpoint-text": 1 } },
    });
    writeFileSync(join(root, "bad.json"), JSON.stringify({ version: 2, files: {} }));
    const run = lint(root, ["--baseline", "bad.json"]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /baseline .*bad\.json: "version" must be 1, not 2/);
  });
});
