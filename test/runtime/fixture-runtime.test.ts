// The runtime harness must be able to fail: hand-written pairs prove that a correct migration passes and that
// each way a migration goes wrong (POST to IMDS, no api-version, another resource, a broken input, a leak) is
// caught with a reason a person can act on.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../fakes/redirected-child.js";
import { checkPair, findFixturePairs, isMigration, type FixturePair } from "./fixture-runtime.js";

const EXTENSION_GET =
  `export async function getToken() {
  const res = await fetch("http://localhost:50342/oauth2/token?resource=https%3A%2F%2Fvault.azure.net", ` +
  `{ headers: { Metadata: "true" } });
  if (!res.ok) throw new Error("HTTP " + res.status + " " + (await res.text()));
  return res.json();
}
`;

const imdsGet = (query: string, headers = `{ Metadata: "true" }`) => `export async function getToken() {
  const res = await fetch("http://169.254.169.254/metadata/identity/oauth2/token?${query}", { headers: ${headers} });
  if (!res.ok) throw new Error("HTTP " + res.status + " " + (await res.text()));
  return res.json();
}
`;

const AXIOS_FORM_INPUT = `import axios from "axios";
export async function getToken(): Promise<string> {
  const body = new URLSearchParams({ resource: "https://management.azure.com/", client_id: "c1" });
  const res = await axios.post<{ access_token: string }>("http://127.0.0.1:50343/oauth2/token", body.toString(), {
    headers: { Metadata: "true", "Content-Type": "application/x-www-form-urlencoded" },
  });
  return res.data.access_token;
}
`;

const AXIOS_GET_OUTPUT = `import axios from "axios";
export async function getToken(): Promise<string> {
  const res = await axios.get<{ access_token: string }>("http://169.254.169.254/metadata/identity/oauth2/token", {
    params: { "api-version": "2018-02-01", resource: "https://management.azure.com/", client_id: "c1" },
    headers: { Metadata: "true" },
    proxy: false,
  });
  return res.data.access_token;
}
`;

// Outputs run with a proxy in their environment that does not answer: axios must be told to go direct.
const AXIOS_POST_OUTPUT = AXIOS_FORM_INPUT.replace(
  "127.0.0.1:50343/oauth2/token",
  "169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01",
).replace("    headers:", "    proxy: false,\n    headers:");

const cases: Record<string, { input: string; output: string; ext: string }> = {
  "fetch-get": {
    input: EXTENSION_GET,
    output: imdsGet("api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net"),
    ext: "mjs",
  },
  "axios-form": { input: AXIOS_FORM_INPUT, output: AXIOS_GET_OUTPUT, ext: "ts" },
  "post-kept": { input: AXIOS_FORM_INPUT, output: AXIOS_POST_OUTPUT, ext: "ts" },
  proxied: { input: AXIOS_FORM_INPUT, output: AXIOS_GET_OUTPUT.replace("    proxy: false,\n", ""), ext: "ts" },
  "no-api-version": { input: EXTENSION_GET, output: imdsGet("resource=https%3A%2F%2Fvault.azure.net"), ext: "mjs" },
  "other-resource": {
    input: EXTENSION_GET,
    output: imdsGet("api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com"),
    ext: "mjs",
  },
  "broken-input": {
    input: EXTENSION_GET.replace(`{ Metadata: "true" }`, "{}"),
    output: imdsGet("api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net"),
    ext: "mjs",
  },
  "form-content-type-kept": {
    input: EXTENSION_GET,
    output: imdsGet(
      "api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net",
      `{ Metadata: "true", "Content-Type": "application/x-www-form-urlencoded" }`,
    ),
    ext: "mjs",
  },
  leak: { input: EXTENSION_GET, output: EXTENSION_GET.replace("localhost:50342", "203.0.113.1"), ext: "mjs" },
  unchanged: { input: EXTENSION_GET, output: EXTENSION_GET, ext: "mjs" },
};

describe("fixture runtime harness", { concurrency: 2 }, () => {
  let dir: string;
  const pairs = new Map<string, FixturePair>();
  before(() => {
    // Outside the repository, yet resolving its packages: a node_modules link and an ESM package.json.
    dir = mkdtempSync(join(tmpdir(), "msi2imds-pairs-"));
    symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(join(dir, "package.json"), `{ "type": "module" }\n`);
    for (const [name, { input, output, ext }] of Object.entries(cases)) {
      writeFileSync(join(dir, `${name}.input.${ext}`), input);
      writeFileSync(join(dir, `${name}.output.${ext}`), output);
    }
    for (const pair of findFixturePairs(dir)) pairs.set(pair.name.replace(/\.\w+$/, ""), pair);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const problemsOf = async (name: string) => (await checkPair(pairs.get(name)!)).problems;

  test("finds every pair and tells migrations from unchanged cases", () => {
    assert.deepEqual([...pairs.keys()].sort(), Object.keys(cases).sort());
    assert.equal(isMigration(pairs.get("unchanged")!), false);
    assert.equal(isMigration(pairs.get("fetch-get")!), true);
  });

  test("a correct fetch GET migration passes", async () => {
    assert.deepEqual(await problemsOf("fetch-get"), []);
  });

  test("a correct axios form POST → GET migration passes, selector and all", async () => {
    assert.deepEqual(await problemsOf("axios-form"), []);
  });

  test("an axios GET that takes the environment's proxy never reaches IMDS", async () => {
    const problems = await problemsOf("proxied");
    assert.ok(problems.includes("output never called IMDS"), problems.join("\n"));
    assert.ok(
      problems.some((p) => /ECONNREFUSED 127\.0\.0\.1:9/.test(p)),
      problems.join("\n"),
    );
  });

  test("a POST kept on IMDS fails with 405", async () => {
    const problems = await problemsOf("post-kept");
    assert.ok(
      problems.some((p) => /IMDS answered 405 method_not_allowed/.test(p)),
      problems.join("\n"),
    );
  });

  test("a missing api-version fails with IMDS's 400", async () => {
    const problems = await problemsOf("no-api-version");
    assert.ok(
      problems.some((p) => /IMDS answered 400 bad_request/.test(p)),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => /api-version appears 0 times/.test(p)),
      problems.join("\n"),
    );
  });

  test("asking IMDS for another resource fails as a change of meaning", async () => {
    const problems = await problemsOf("other-resource");
    assert.ok(
      problems.some((p) => /input asked the extension for .*vault.* but output asked IMDS for .*storage/.test(p)),
      problems.join("\n"),
    );
  });

  test("an input that never worked against the extension fails", async () => {
    const problems = await problemsOf("broken-input");
    assert.ok(
      problems.some((p) => /extension answered 400 bad_request_102/.test(p)),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => /^input failed/.test(p)),
      problems.join("\n"),
    );
  });

  test("a GET that keeps the form's Content-Type is reported, though IMDS accepts it", async () => {
    assert.deepEqual(await problemsOf("form-content-type-kept"), [
      "output's GET /metadata/identity/oauth2/token: keeps the form Content-Type",
    ]);
  });

  test("an output that leaves loopback is refused and reported", async () => {
    const problems = await problemsOf("leak");
    assert.ok(
      problems.some((p) => /output tried to leave loopback: 203\.0\.113\.1:80/.test(p)),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => /output never called IMDS/.test(p)),
      problems.join("\n"),
    );
  });
});
