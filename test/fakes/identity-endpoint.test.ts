// The fakes are only worth something if they are as strict as the real services: each refusal the real IMDS
// makes is proven here with plain node:http requests, and the redirect preload is proven in a child process.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest, type OutgoingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMDS_TOKEN_PATH, IMDS_TOKEN_URL } from "../../src/imds.js";
import { decideConnection, readConnectionLog, redirectedChildEnv } from "./connection-policy.js";
import { mintedToken, startFakeIdentityEndpoint, type FakeIdentityEndpoint } from "./identity-endpoint.js";
import { runRedirectedChild } from "./redirected-child.js";

interface Reply {
  status: number;
  body: Record<string, unknown>;
  contentType: string | undefined;
}

function send(
  base: string,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // An explicit length: node:http would otherwise send a GET body unframed.
    const framing = body === undefined ? {} : { "Content-Length": Buffer.byteLength(body) };
    const req = httpRequest(new URL(path, base), { method, headers: { ...headers, ...framing } }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        try {
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
            contentType: res.headers["content-type"],
          });
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const RESOURCE = "https://management.azure.com/";
const TOKEN_QUERY = `?api-version=2018-02-01&resource=${encodeURIComponent(RESOURCE)}`;
const METADATA = { Metadata: "true" };

describe("fake IMDS", () => {
  let imds: FakeIdentityEndpoint;
  before(async () => {
    imds = await startFakeIdentityEndpoint({ kind: "imds" });
  });
  after(() => imds.close());

  const get = (path: string, headers: OutgoingHttpHeaders = METADATA) => send(imds.url, "GET", path, headers);

  test("issues the minted token for a correct GET, all fields strings, and records the request", async () => {
    const reply = await get(`${IMDS_TOKEN_PATH}${TOKEN_QUERY}&client_id=abc`);
    assert.equal(reply.status, 200);
    assert.match(reply.contentType ?? "", /^application\/json/);
    assert.equal(reply.body.access_token, mintedToken("imds", RESOURCE, { name: "client_id", value: "abc" }));
    assert.equal(reply.body.resource, RESOURCE);
    assert.equal(reply.body.token_type, "Bearer");
    assert.equal(reply.body.expires_in, "3599");
    assert.equal(reply.body.refresh_token, undefined);
    for (const field of ["expires_on", "not_before"]) assert.match(String(reply.body[field]), /^\d+$/);
    for (const value of Object.values(reply.body)) assert.equal(typeof value, "string");
    const recorded = imds.requests.at(-1);
    assert.deepEqual(recorded?.query, [
      ["api-version", "2018-02-01"],
      ["resource", RESOURCE],
      ["client_id", "abc"],
    ]);
    assert.deepEqual(recorded?.tokenRequest, { resource: RESOURCE, selector: { name: "client_id", value: "abc" } });
    assert.equal(recorded?.headers.metadata, "true");
  });

  test("accepts the trailing slash @azure/identity sends", async () => {
    assert.equal((await get(`${IMDS_TOKEN_PATH}/${TOKEN_QUERY}`)).status, 200);
  });

  test("tokens differ by kind, resource and identity, and mi_res_id is msi_res_id", () => {
    const tokens = new Set([
      mintedToken("imds", RESOURCE),
      mintedToken("extension", RESOURCE),
      mintedToken("imds", "https://vault.azure.net"),
      mintedToken("imds", RESOURCE, { name: "client_id", value: "x" }),
      mintedToken("imds", RESOURCE, { name: "object_id", value: "x" }),
    ]);
    assert.equal(tokens.size, 5);
    assert.equal(
      mintedToken("imds", RESOURCE, { name: "mi_res_id", value: "/r" }),
      mintedToken("imds", RESOURCE, { name: "msi_res_id", value: "/r" }),
    );
  });

  const refusals: {
    name: string;
    method?: string;
    path?: string;
    headers?: OutgoingHttpHeaders;
    body?: string;
    status: number;
    error: string;
  }[] = [
    {
      name: "POST",
      method: "POST",
      headers: { ...METADATA, "Content-Type": "application/x-www-form-urlencoded" },
      body: `resource=${encodeURIComponent(RESOURCE)}`,
      status: 405,
      error: "method_not_allowed",
    },
    { name: "a missing Metadata header", headers: {}, status: 400, error: "bad_request" },
    { name: "Metadata: True", headers: { Metadata: "True" }, status: 400, error: "bad_request" },
    { name: "two Metadata headers", headers: { Metadata: ["true", "true"] }, status: 400, error: "bad_request" },
    {
      name: "X-Forwarded-For",
      headers: { ...METADATA, "X-Forwarded-For": "10.0.0.1" },
      status: 400,
      error: "bad_request",
    },
    {
      name: "a missing api-version",
      path: `${IMDS_TOKEN_PATH}?resource=${encodeURIComponent(RESOURCE)}`,
      status: 400,
      error: "bad_request",
    },
    {
      name: "an unknown api-version",
      path: `${IMDS_TOKEN_PATH}?api-version=2017-08-01&resource=x`,
      status: 400,
      error: "bad_request",
    },
    {
      name: "a duplicate parameter",
      path: `${IMDS_TOKEN_PATH}${TOKEN_QUERY}&api-version=2018-02-01`,
      status: 400,
      error: "bad_request",
    },
    {
      name: "a missing resource",
      path: `${IMDS_TOKEN_PATH}?api-version=2018-02-01`,
      status: 400,
      error: "invalid_request",
    },
    {
      name: "two identity selectors",
      path: `${IMDS_TOKEN_PATH}${TOKEN_QUERY}&client_id=a&msi_res_id=b`,
      status: 400,
      error: "invalid_request",
    },
    { name: "a GET with a body", method: "GET", body: "resource=x", status: 400, error: "bad_request" },
    { name: "the extension's path", path: `/oauth2/token${TOKEN_QUERY}`, status: 404, error: "not_found" },
  ];
  for (const refusal of refusals) {
    test(`refuses ${refusal.name}`, async () => {
      const reply = await send(
        imds.url,
        refusal.method ?? "GET",
        refusal.path ?? `${IMDS_TOKEN_PATH}${TOKEN_QUERY}`,
        refusal.headers ?? METADATA,
        refusal.body,
      );
      assert.equal(reply.status, refusal.status);
      assert.equal(reply.body.error, refusal.error);
      assert.equal(reply.body.access_token, undefined);
      const recorded = imds.requests.at(-1);
      assert.equal(recorded?.status, refusal.status);
      assert.equal(recorded?.tokenRequest, undefined);
    });
  }

  test("lists the newest versions when api-version is missing, like the real one", async () => {
    const reply = await get(`${IMDS_TOKEN_PATH}?resource=x`);
    assert.ok(Array.isArray(reply.body["newest-versions"]) && reply.body["newest-versions"].includes("2023-07-01"));
  });
});

describe("fake extension", () => {
  let extension: FakeIdentityEndpoint;
  before(async () => {
    extension = await startFakeIdentityEndpoint({ kind: "extension" });
  });
  after(() => extension.close());

  test("answers a GET with ?resource= and Metadata: true, refresh_token included", async () => {
    const reply = await send(extension.url, "GET", `/oauth2/token?resource=${encodeURIComponent(RESOURCE)}`, METADATA);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.access_token, mintedToken("extension", RESOURCE));
    assert.equal(reply.body.refresh_token, "");
  });

  test("answers a POST form with the selector it names", async () => {
    const body = new URLSearchParams({ resource: RESOURCE, object_id: "oid-1" }).toString();
    const reply = await send(
      extension.url,
      "POST",
      "/oauth2/token",
      { ...METADATA, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    );
    assert.equal(reply.status, 200);
    assert.equal(reply.body.access_token, mintedToken("extension", RESOURCE, { name: "object_id", value: "oid-1" }));
    assert.equal(extension.requests.at(-1)?.body, body);
  });

  test("refuses a missing Metadata header with bad_request_102", async () => {
    const reply = await send(extension.url, "GET", `/oauth2/token?resource=x`, {});
    assert.deepEqual([reply.status, reply.body.error], [400, "bad_request_102"]);
  });

  test("refuses a JSON POST body, a missing resource and the IMDS path", async () => {
    const json = await send(
      extension.url,
      "POST",
      "/oauth2/token",
      { ...METADATA, "Content-Type": "application/json" },
      JSON.stringify({ resource: RESOURCE }),
    );
    assert.deepEqual([json.status, json.body.error], [400, "invalid_request"]);
    const noResource = await send(extension.url, "GET", "/oauth2/token", METADATA);
    assert.deepEqual([noResource.status, noResource.body.error], [400, "invalid_request"]);
    const imdsPath = await send(extension.url, "GET", `${IMDS_TOKEN_PATH}${TOKEN_QUERY}`, METADATA);
    assert.equal(imdsPath.status, 404);
  });
});

describe("connection policy", () => {
  const env = { FAKE_IMDS_PORT: "4001", FAKE_EXTENSION_PORT: "4002" };
  test("redirects IMDS and the extension ports on every loopback spelling", () => {
    assert.deepEqual(decideConnection("169.254.169.254", 80, env), { action: "redirect", port: 4001 });
    for (const host of ["localhost", "127.0.0.1", "::1", "[::1]"]) {
      for (const port of [50342, 50343])
        assert.deepEqual(decideConnection(host, port, env), { action: "redirect", port: 4002 });
    }
  });
  test("lets other loopback through and refuses everything else", () => {
    assert.deepEqual(decideConnection("127.0.0.1", 4001, env), { action: "loopback" });
    assert.deepEqual(decideConnection("localhost", 50342, {}), { action: "loopback" });
    for (const [host, port] of [
      ["10.255.255.1", 80],
      ["203.0.113.1", 443],
      ["example.com", 80],
      ["169.254.169.254", 443],
      ["168.63.129.16", 80],
    ] as const) {
      assert.equal(decideConnection(host, port, env).action, "refuse", `${host}:${port}`);
    }
    assert.equal(decideConnection("169.254.169.254", 80, {}).action, "refuse");
  });
  test("a child environment sets the targets and drops every proxy variable", () => {
    const base = {
      PATH: "/bin",
      HTTP_PROXY: "http://proxy:3128",
      https_proxy: "http://proxy:3128",
      NO_PROXY: "x",
      NODE_TEST_CONTEXT: "child",
      FAKE_IMDS_PORT: "1",
    };
    assert.deepEqual(redirectedChildEnv({ imdsPort: 4001, extensionPort: 4002, logFile: "/tmp/log" }, base), {
      PATH: "/bin",
      FAKE_IMDS_PORT: "4001",
      FAKE_EXTENSION_PORT: "4002",
      REDIRECT_IMDS_LOG: "/tmp/log",
    });
    assert.deepEqual(redirectedChildEnv({}, base), { PATH: "/bin" });
  });
});

describe("redirect preload in a child process", () => {
  let imds: FakeIdentityEndpoint;
  let dir: string;
  before(async () => {
    imds = await startFakeIdentityEndpoint({ kind: "imds" });
    dir = mkdtempSync(join(tmpdir(), "msi2imds-redirect-"));
  });
  after(async () => {
    await imds.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("fetch and node:http reach the fake IMDS; a non-loopback address is refused before connecting", async () => {
    const script = join(dir, "probe.mjs");
    // 203.0.113.1 (TEST-NET-3) is never contacted: the preload refuses it before a packet is sent.
    writeFileSync(
      script,
      `import http from "node:http";
import https from "node:https";
const url = ${JSON.stringify(`${IMDS_TOKEN_URL}${TOKEN_QUERY}`)};
const viaFetch = await (await fetch(url, { headers: { Metadata: "true" } })).json();
const viaHttp = await new Promise((resolve, reject) => http.get(url, { headers: { Metadata: "true" } }, (res) => {
  let text = ""; res.on("data", (c) => (text += c)); res.on("end", () => resolve(JSON.parse(text)));
}).on("error", reject));
const leak = await fetch("http://203.0.113.1/").then(() => "connected", ` +
        `(error) => error.cause?.message ?? error.message);
const tlsLeak = await new Promise((resolve) => https.get("https://203.0.113.1/", () => resolve("connected"))` +
        `.on("error", (error) => resolve(error.message)));
console.log(JSON.stringify({ fetch: viaFetch.access_token, http: viaHttp.access_token, leak, tlsLeak }));
`,
    );
    const logFile = join(dir, "connections.jsonl");
    const { exitCode, stdout, stderr } = await runRedirectedChild(
      script,
      [],
      redirectedChildEnv({ imdsPort: imds.port, logFile }),
    );
    assert.equal(exitCode, 0, stderr);
    const result = JSON.parse(stdout) as { fetch: string; http: string; leak: string; tlsLeak: string };
    const expected = mintedToken("imds", RESOURCE);
    assert.deepEqual([result.fetch, result.http], [expected, expected]);
    assert.match(result.leak, /redirect-imds refused a connection to 203\.0\.113\.1:80/);
    assert.match(result.tlsLeak, /redirect-imds refused a connection to 203\.0\.113\.1:443/);
    assert.match(stderr, /redirect-imds refused/);
    assert.equal(imds.requests.length, 2);
    const connections = readConnectionLog(logFile);
    assert.deepEqual(
      connections.map((c) => [c.host, c.action]),
      [
        ["169.254.169.254", "redirect"],
        ["169.254.169.254", "redirect"],
        ["203.0.113.1", "refuse"],
        ["203.0.113.1", "refuse"],
      ],
    );
  });

  test("a child that hangs is killed and reported as timed out", async () => {
    const script = join(dir, "hang.mjs");
    writeFileSync(script, "setInterval(() => {}, 1000);\n");
    const outcome = await runRedirectedChild(script, [], redirectedChildEnv({}), 300);
    assert.equal(outcome.timedOut, true);
    assert.notEqual(outcome.exitCode, 0);
  });
});

describe("@azure/identity against the fake IMDS", () => {
  test(
    "ManagedIdentityCredential gets the minted token for its client id " + "through AZURE_POD_IDENTITY_AUTHORITY_HOST",
    async () => {
      const imds = await startFakeIdentityEndpoint({ kind: "imds" });
      // The credential picks its source once per process: set the variable before its first use. Each test file
      // runs in its own process, so nothing else here sees it.
      process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = imds.url;
      try {
        const { ManagedIdentityCredential } = await import("@azure/identity");
        const credential = new ManagedIdentityCredential({ clientId: "client-1" });
        const token = await credential.getToken("https://management.azure.com/.default");
        assert.equal(
          token.token,
          mintedToken("imds", "https://management.azure.com", { name: "client_id", value: "client-1" }),
        );
        assert.ok(imds.requests.every((request) => request.method === "GET" && request.path === `${IMDS_TOKEN_PATH}/`));
      } finally {
        delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
        await imds.close();
      }
    },
  );
});
