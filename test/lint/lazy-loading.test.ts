import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { makeRepo } from "./helpers.js";
import { resolve } from "node:path";

// lint must not pay for TypeScript unless a JS/TS file can hold an extension call, and never for the
// Azure SDKs. Checked in a fresh process by the CommonJS modules it loaded.

const RUN = resolve(import.meta.dirname, "../../dist/src/lint/run.js");

function loadedModules(cwd: string): { exitCode: number; modules: string[] } {
  const script = `import(${JSON.stringify(RUN)}).then(async (m) => {
    const exitCode = await m.runLint(["."], { format: "json", fix: false, port: [], updateBaseline: false, color: false, output: "out.json" });
    process.stdout.write(JSON.stringify({ exitCode, modules: Object.keys(require("node:module")._cache) }));
  });`;
  const child = spawnSync(process.execPath, ["-e", script], { cwd, encoding: "utf8", timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { exitCode: number; modules: string[] };
}

const TYPESCRIPT = /[/\\](?:ts-morph|typescript)[/\\]|@ts-morph/;
const AZURE = /@azure[/\\]/;

describe("lazy loading", () => {
  it("a repository whose JS/TS only calls IMDS never loads TypeScript or the Azure SDKs", () => {
    const root = makeRepo({
      "a.py": 'URL = "http://localhost:50342/oauth2/token"\n',
      "b.ts": 'await fetch("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x", { headers: { Metadata: "true" } });\n',
      "c.js": "console.log('hello');\n",
    });
    const { exitCode, modules } = loadedModules(root);
    assert.equal(exitCode, 1);
    assert.deepEqual(modules.filter((m) => TYPESCRIPT.test(m) || AZURE.test(m)), []);
  });

  it("a JS/TS file that can call the extension loads TypeScript, still no Azure SDK", () => {
    const root = makeRepo({ "c.ts": 'await fetch("http://localhost:50342/oauth2/token?resource=x", { headers: { Metadata: "true" } });\n' });
    const { exitCode, modules } = loadedModules(root);
    assert.equal(exitCode, 1);
    assert.ok(modules.some((m) => TYPESCRIPT.test(m)), "the analysis ran, so TypeScript must have loaded");
    assert.deepEqual(modules.filter((m) => AZURE.test(m)), []);
  });
});
