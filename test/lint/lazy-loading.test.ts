import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  loadedAzureSdk,
  loadedJsonParser,
  loadedTreeSitter,
  loadedTypeScript,
  spawnCli,
} from "../support/spawn-cli.js";
import { makeRepo } from "./helpers.js";

// lint must not pay for TypeScript unless a JS/TS file can hold an extension call, and never for the
// Azure SDKs. Checked in a fresh process of the built CLI by the modules its main thread loaded.

describe("lazy loading", () => {
  it("a repository whose JS/TS only calls IMDS never loads TypeScript or the Azure SDKs", () => {
    const root = makeRepo({
      "a.py": 'URL = "http://localhost:50342/oauth2/token"\n',
      "b.ts":
        'await fetch("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x", ' +
        '{ headers: { Metadata: "true" } });\n',
      "c.js": "console.log('hello');\n",
    });
    const run = spawnCli("dist", ["lint", "--format", "json"], root);
    assert.equal(run.status, 1, run.stderr);
    assert.ok(
      run.modules.some((m) => m.endsWith("/lint/run.js")),
      "the recorder saw lint load",
    );
    assert.equal(loadedTypeScript(run), false);
    assert.equal(loadedAzureSdk(run), false);
  });

  it("a JS/TS file that can call the extension loads TypeScript, still no Azure SDK", () => {
    const root = makeRepo({
      "c.ts": 'await fetch("http://localhost:50342/oauth2/token?resource=x", { headers: { Metadata: "true" } });\n',
    });
    const run = spawnCli("dist", ["lint", "--format", "json"], root);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(loadedTypeScript(run), true, "the analysis ran, so TypeScript must have loaded");
    assert.equal(loadedAzureSdk(run), false);
  });

  it("no file with candidate bytes: no grammar is loaded; one such file: its parser loads", () => {
    const clean = spawnCli("dist", ["lint", "--format", "json"], makeRepo({ "a.py": "print('hello')\n" }));
    assert.equal(clean.status, 0, clean.stderr);
    assert.ok(clean.modules.some((m) => m.endsWith("/lint/run.js")));
    assert.equal(loadedTreeSitter(clean), false);
    const candidate = spawnCli(
      "dist",
      ["lint", "--format", "json"],
      makeRepo({ "a.py": 'URL = "http://localhost:50342/oauth2/token"\n', "b.sh": "echo hello\n" }),
    );
    assert.equal(candidate.status, 1, candidate.stderr);
    assert.equal(loadedTreeSitter(candidate), true);
  });

  it("a notebook loads the JSON parser only when it can hold a finding", () => {
    const notebook = (line: string) =>
      JSON.stringify({ cells: [{ cell_type: "code", metadata: {}, outputs: [], source: [line] }], metadata: {} });
    const clean = spawnCli("dist", ["lint", "--format", "json"], makeRepo({ "a.ipynb": notebook("print(1)") }));
    assert.equal(clean.status, 0, clean.stderr);
    assert.ok(clean.modules.some((m) => m.endsWith("/lint/run.js")));
    assert.equal(loadedJsonParser(clean), false);
    const candidate = spawnCli(
      "dist",
      ["lint", "--format", "json"],
      makeRepo({ "a.ipynb": notebook("!curl http://localhost:50342/oauth2/token") }),
    );
    assert.equal(candidate.status, 1, candidate.stderr);
    assert.equal(loadedJsonParser(candidate), true);
  });

  it("scan loads the Azure SDKs (the recorder sees them)", () => {
    const run = spawnCli(
      "dist",
      ["scan", "--auth", "env", "--arm-endpoint", "https://127.0.0.1:1", "--retry-delay-ms", "0"],
      makeRepo({}),
      {
        AZURE_TENANT_ID: "",
        AZURE_CLIENT_ID: "",
      },
    );
    assert.equal(run.status, 2);
    assert.equal(loadedAzureSdk(run), true);
  });
});
