import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeSource } from "../../src/codemod/analyze.js";
import { codemodPrefilter } from "../../rules/support/extension-call-prefilter.js";
import { fixUntilStable } from "../../src/core/fix.js";
import { createPrefilter } from "../../src/pipeline/prefilter.js";

// Behaviour that the fixture pairs cannot show: what needs --port, headers added or removed, shared
// constants, api-version choice, escapes, parse errors and the prefilter's promise.

function fix(text: string, options: { ports?: number[]; apiVersion?: string; path?: string } = {}) {
  const analyze = (t: string) =>
    analyzeSource({
      path: options.path ?? "/tmp/x.ts",
      displayPath: "x.ts",
      text: t,
      ports: options.ports ?? [50342],
      apiVersion: options.apiVersion ?? "2018-02-01",
    });
  return { first: analyze(text), outcome: fixUntilStable(text, analyze) };
}

test("port 50343 is only the extension when --port says so", () => {
  const text = `fetch("http://localhost:50343/oauth2/token?resource=r", { headers: { Metadata: "true" } });\n`;
  assert.deepEqual(fix(text).first.findings, []);
  assert.match(fix(text, { ports: [50342, 50343] }).outcome.text, /169\.254\.169\.254/);
});

test("a missing Metadata header is added in the headers object and X-Forwarded-For is removed", () => {
  const text =
    `fetch("http://localhost:50342/oauth2/token?resource=r", ` +
    `{ headers: { "X-Forwarded-For": "10.0.0.1", Accept: "application/json" } });\n`;
  const { first, outcome } = fix(text);
  assert.match(first.findings[0]!.message, /X-Forwarded-For removed/);
  assert.equal(
    outcome.text,
    `fetch("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r", ` +
      `{ headers: { Metadata: "true", Accept: "application/json" } });\n`,
  );
});

test("a header removed from a line of its own where Metadata goes in before it: both edits made", () => {
  const text =
    `fetch("http://localhost:50342/oauth2/token", {\n  method: "POST",\n  headers: {\n` +
    `    "Content-Type": "application/x-www-form-urlencoded", // the form\n    Accept: "application/json",\n  },\n` +
    `  body: "resource=r",\n});\n`;
  assert.equal(
    fix(text).outcome.text,
    `fetch("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r", {\n` +
      `  method: "GET",\n  headers: {\n    Metadata: "true",\n    Accept: "application/json",\n  },\n});\n`,
  );
});

test("a call without options gets them, in the file's quote style", () => {
  const { outcome } = fix(`const r = await fetch('http://localhost:50342/oauth2/token?resource=r');\n`);
  assert.equal(
    outcome.text,
    `const r = await fetch(` +
      `'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r', ` +
      `{ headers: { Metadata: 'true' } });\n`,
  );
});

test("calls sharing one URL constant are fixed together: a finding each, one fix", () => {
  const text = [
    `const URL_ = "http://localhost:50342/oauth2/token";`,
    `const a = fetch(URL_ + "?resource=a", { headers: { Metadata: "true" } });`,
    `const b = fetch(\`\${URL_}?resource=b\`, { headers: { Metadata: "true" } });`,
    ``,
  ].join("\n");
  const { first, outcome } = fix(text);
  assert.deepEqual(
    first.findings.map((f) => (f.location as { file: { line: number } }).file.line),
    [2, 3],
  );
  assert.match(first.findings[0]!.message, /1 more call/);
  assert.deepEqual(first.findings[0]!.fix, first.findings[1]!.fix);
  assert.equal(outcome.fixesApplied, 1);
  assert.equal(
    outcome.text,
    [
      `const URL_ = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01";`,
      `const a = fetch(URL_ + "&resource=a", { headers: { Metadata: "true" } });`,
      `const b = fetch(\`\${URL_}&resource=b\`, { headers: { Metadata: "true" } });`,
      ``,
    ].join("\n"),
  );
});

test("--api-version picks the version written", () => {
  const { outcome } = fix(
    `fetch("http://localhost:50342/oauth2/token?resource=r", { headers: { Metadata: "true" } });`,
    { apiVersion: "2019-08-01" },
  );
  assert.match(outcome.text, /\?api-version=2019-08-01&resource=r"/);
});

test("a URL written with escapes is left for a person", () => {
  const { first } = fix(
    `fetch("http:\\/\\/localhost:50342/oauth2/token?resource=r", { headers: { Metadata: "true" } });`,
  );
  assert.equal(first.findings.length, 1);
  assert.equal(first.findings[0]!.fix, undefined);
  assert.match(first.findings[0]!.message, /escape sequences/);
});

test("headers built elsewhere are a case for a person", () => {
  const { first } = fix(
    `export async function t(h: Headers) { ` +
      `return fetch("http://localhost:50342/oauth2/token?resource=r", { headers: h }); }`,
  );
  assert.equal(first.findings[0]!.fix, undefined);
  assert.match(first.findings[0]!.message, /headers \(h\)/);
});

test("parse errors are counted and the analysis is a pure function of its input", () => {
  const input = {
    path: "/tmp/y.js",
    displayPath: "y.js",
    text: `fetch("http://localhost:50342/oauth2/token?resource=r", {;`,
    ports: [50342],
    apiVersion: "2018-02-01",
  };
  const a = analyzeSource(input);
  assert.ok(a.parseErrors > 0);
  assert.deepEqual(analyzeSource(input), a);
});

test("fingerprints do not depend on the line", () => {
  const call = `fetch("http://localhost:50342/oauth2/token?resource=r", { headers: { Metadata: "true" } });\n`;
  const a = fix(call).first.findings[0]!;
  const b = fix(`// moved\n\n${call}`).first.findings[0]!;
  assert.equal(a.fingerprint, b.fingerprint);
  assert.notDeepEqual(a.location, b.location);
});

test("the prefilter sees a numeric port and the old SDK names, and not longer numbers", () => {
  const prefilter = createPrefilter(codemodPrefilter([50342]));
  assert.ok(prefilter(Buffer.from("loginWithVmMSI({ port: 50342 })")));
  assert.ok(prefilter(Buffer.from("const PORT = 50342;")));
  assert.ok(prefilter(Buffer.from("new MSIVmTokenCredentials()")));
  assert.ok(prefilter(Buffer.from("path: '/OAuth2/Token'")));
  assert.ok(!prefilter(Buffer.from("const id = 503421; // nothing here")));
});

test("code already on IMDS and the Arc endpoint are left alone", () => {
  for (const url of [
    "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r",
    "http://127.0.0.1:40342/metadata/identity/oauth2/token?resource=r",
  ]) {
    assert.deepEqual(fix(`fetch("${url}", { headers: { Metadata: "true" } });`).first.findings, []);
  }
});

test("neighbouring headers that both go are removed as one run", () => {
  const text =
    `fetch("http://localhost:50342/oauth2/token", { method: "POST", headers: { Metadata: "true", ` +
    `"X-Forwarded-For": "a", "Content-Type": "application/x-www-form-urlencoded" }, body: "resource=r" });\n`;
  const { outcome } = fix(text);
  assert.equal(
    outcome.text,
    `fetch("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r", ` +
      `{ method: "GET", headers: { Metadata: "true" } });\n`,
  );
});

test("a URL constant also used where msi2imds cannot follow is not rewritten for one call only", () => {
  const text = [
    `const TOKEN_URL = "http://localhost:50342/oauth2/token";`,
    `export const a = () => fetch(TOKEN_URL + "?resource=a", { headers: { Metadata: "true" } });`,
    `sessionStorage.setItem("token endpoint", TOKEN_URL);`,
    ``,
  ].join("\n");
  const { first, outcome } = fix(text);
  assert.equal(first.findings.length, 1);
  assert.equal(first.findings[0]!.fix, undefined);
  assert.match(first.findings[0]!.message, /TOKEN_URL the URL is built from is also used on line 3/);
  assert.equal(outcome.text, text);
});

test("a URL constant also in log lines and error messages is rewritten, and the fix says so", () => {
  const text = [
    `const TOKEN_URL = "http://localhost:50342/oauth2/token";`,
    `export const a = () => fetch(TOKEN_URL + "?resource=a", { headers: { Metadata: "true" } });`,
    `console.log("token endpoint", TOKEN_URL);`,
    "logger.warn(`no token from ${TOKEN_URL}`);",
    `export const fail = () => { throw new TypeError("bad answer from " + TOKEN_URL); };`,
    `export const fail2 = (reject) => reject(new Error(TOKEN_URL));`,
    ``,
  ].join("\n");
  const { first, outcome } = fix(text);
  assert.deepEqual(first.findings[0]!.fixNotes, [
    "TOKEN_URL also appears in log lines (lines 3, 4) and error messages (lines 5, 6): it now names the IMDS URL",
  ]);
  assert.deepEqual(outcome.notes, first.findings[0]!.fixNotes);
  assert.match(
    outcome.text,
    /^const TOKEN_URL = "http:\/\/169\.254\.169\.254\/metadata\/identity\/oauth2\/token\?api-version/,
  );
});

test("a query constant whose ? the rewrite turns into & is guarded like the URL constant", () => {
  const text = [
    `const QUERY = "?resource=https://vault.azure.net";`,
    `export const a = () => fetch("http://localhost:50342/oauth2/token" + QUERY, { headers: { Metadata: "true" } });`,
    `export const b = () => fetch("https://example.com/other" + QUERY);`,
    ``,
  ].join("\n");
  const { first, outcome } = fix(text);
  assert.equal(first.findings[0]!.fix, undefined);
  assert.match(first.findings[0]!.message, /QUERY the URL is built from is also used on line 3, by a call to fetch/);
  assert.equal(outcome.text, text);
});

test("a JSON body is not mistaken for a form", () => {
  for (const text of [
    `fetch("http://localhost:50342/oauth2/token", { method: "POST", headers: { Metadata: "true" }, ` +
      `body: JSON.stringify({ resource: "r" }) });`,
    `import got from "got"; ` +
      `got.post("http://localhost:50342/oauth2/token", { json: { resource: "r" }, headers: { Metadata: "true" } });`,
  ]) {
    const { first } = fix(text);
    assert.equal(first.findings.length, 1);
    assert.equal(first.findings[0]!.fix, undefined, text);
  }
});

test("an inserted property takes the file's line ending and the neighbour's indentation", () => {
  const text = `await fetch("http://localhost:50342/oauth2/token?resource=r", {\r\n  method: "GET",\r\n});\r\n`;
  assert.equal(
    fix(text).outcome.text,
    `await fetch("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r", {\r\n` +
      `  headers: { Metadata: "true" },\r\n  method: "GET",\r\n});\r\n`,
  );
});

test('Metadata written "True", as some samples did, is sent in lower case, as IMDS documents it', () => {
  const { outcome } = fix(
    `fetch("http://localhost:50342/oauth2/token?resource=r", { headers: { Metadata: "True", Accept: "True" } });\n`,
  );
  assert.match(outcome.text, /headers: \{ Metadata: "true", Accept: "True" \}/);
});

test("a client whose base URL is the extension is migrated where it cannot be followed no further", () => {
  const create = `import axios from "axios";\nconst msi = axios.create({ baseURL: "http://localhost:50342" });\n`;
  // A path msi2imds cannot read: the base URL stays and the person is told why.
  const unknown = fix(`${create}export const t = (path) => msi.get(path, { params: { resource: "r" } });\n`);
  assert.equal(unknown.first.findings.length, 1);
  assert.equal(unknown.first.findings[0]!.fix, undefined);
  assert.match(unknown.first.findings[0]!.message, /baseURL points at the VM extension \(localhost:50342\)/);
  // The token path: base and path move, Metadata is added to the call.
  const known = fix(`${create}export const t = () => msi.get("oauth2/token", { params: { resource: "r" } });\n`);
  assert.match(known.outcome.text, /baseURL: "http:\/\/169\.254\.169\.254" \}/);
  assert.match(
    known.outcome.text,
    /msi\.get\("metadata\/identity\/oauth2\/token\?api-version=2018-02-01", \{ headers: \{ Metadata: "true" \}, proxy: false, params/,
  );
  // Another base, another client.
  assert.deepEqual(fix(`const api = axios.create({ baseURL: "http://localhost:8080" });`).first.findings, []);
  const other = `import axios from "axios";\nconst api = axios.create({ baseURL: "http://localhost:8080" });\n`;
  assert.deepEqual(fix(`${other}api.get("/oauth2/token");\n`).first.findings, []);
});

test("only a read of MSI_ENDPOINT from the environment makes a file Cloud Shell code", () => {
  const call = `fetch("http://localhost:50342/oauth2/token?resource=r", { headers: { Metadata: "true" } });\n`;
  const cloudShell = [
    "const endpoint = process.env.MSI_ENDPOINT;\n",
    'const endpoint = process.env["MSI_ENDPOINT"];\n',
    "const { MSI_ENDPOINT } = process.env;\n",
    "const { MSI_ENDPOINT: endpoint = '' } = process.env;\n",
    "const env = process.env;\nconst endpoint = env.MSI_ENDPOINT;\n",
    'import { env } from "node:process";\nconst endpoint = env.MSI_ENDPOINT;\n',
    "const endpoint = globalThis.process.env.MSI_ENDPOINT;\n",
  ];
  for (const read of cloudShell) {
    const { first, outcome } = fix(read + call);
    assert.match(first.findings[0]!.message, /reads MSI_ENDPOINT from the environment/, read);
    assert.equal(outcome.text, read + call, read);
  }
  const notCloudShell = [
    'const MSI_ENDPOINT = "http://localhost:50342/oauth2/token";\n',
    "const endpoint = config.MSI_ENDPOINT;\n",
    "// set MSI_ENDPOINT in Cloud Shell\n",
    'const name = "MSI_ENDPOINT";\n',
    "const env = loadSettings();\nconst endpoint = env.MSI_ENDPOINT;\n",
    "const endpoint = process.env.IDENTITY_ENDPOINT;\n",
  ];
  for (const text of notCloudShell) {
    assert.match(fix(text + call).outcome.text, /169\.254\.169\.254/, text);
  }
});

test("a form variable is moved only when every write appends a parameter before the request", () => {
  const request = `fetch("http://localhost:50342/oauth2/token", { method: "POST", headers: { Metadata: "true" }, body: form });\n`;
  const moved = [
    `let form = "resource=r";\nif (id) form += "&client_id=" + id;\n`,
    `let form = "resource=r";\nform = form + "&object_id=o";\n`,
    `let form = new URLSearchParams();\nform.append("resource", "r");\n`,
  ];
  for (const setup of moved) assert.match(fix(setup + request).outcome.text, /&" \+ form, \{ method: "GET"/, setup);
  const kept = [
    `let form = "resource=r";\nform = "resource=s";\n`,
    `let form = "resource=r";\nform += "client_id=c";\n`,
    `let form = JSON.stringify({ resource: "r" });\n`,
    `let form = "resource=r";\n[form] = ["x"];\n`,
    `let form = "resource=r";\nsetTimeout(() => { form += "&client_id=c"; });\n${request}form += "&client_id=late";\n`,
  ];
  for (const setup of kept) {
    const text = setup.endsWith(request) ? setup : setup + request;
    const { first } = fix(text);
    assert.equal(first.findings[0]!.fix, undefined, setup);
  }
});

test("the form's leading literal joins the URL's: one literal, never two side by side", () => {
  const form = (url: string, body: string) =>
    `fetch(${url}, { method: "POST", headers: { Metadata: "true" }, body: ${body} });\n`;
  const cases: [string, string, string][] = [
    [
      `"http://localhost:50342/oauth2/token"`,
      `"resource=" + r`,
      `"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + r`,
    ],
    [
      `"http://localhost:50342/oauth2/token"`,
      `"resource=r"`,
      `"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r"`,
    ],
    [
      `"http://localhost:50342/oauth2/token"`,
      `'resource=' + r`,
      `"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + r`,
    ],
    [
      `"http://localhost:50342/oauth2/token"`,
      `'a="b"&resource=' + r`,
      `"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&" + 'a="b"&resource=' + r`,
    ],
    ["URL", `'resource=' + r`, `URL + '&resource=' + r`],
    ["URL", "`resource=${r}`", 'URL + "&" + `resource=${r}`'],
  ];
  for (const [url, body, expected] of cases) {
    const declared = url === "URL" ? `const URL = "http://localhost:50342/oauth2/token";\n` : "";
    const text = fix(declared + form(url, body)).outcome.text;
    assert.ok(text.includes(`fetch(${expected}, { method: "GET"`), `${body}: ${text}`);
  }
});

test("constants the rewrite leaves unused go with it, and the fix says so; others stay", () => {
  const text = [
    `const HOST = "localhost";`,
    `const PORT = 50342;`,
    `export const SHARED_PORT = 50342;`,
    `const USED = "x";`,
    `const LOGGED = 50342;`,
    `console.log(LOGGED);`,
    `export const t = () => fetch(\`http://\${HOST}:\${PORT}/oauth2/token?resource=\${USED}\`, { headers: { Metadata: "true" } });`,
    `export const u = () => fetch(\`http://localhost:\${SHARED_PORT}/oauth2/token?resource=r\`, { headers: { Metadata: "true" } });`,
    `export const v = () => fetch(\`http://localhost:\${LOGGED}/oauth2/token?resource=r\`, { headers: { Metadata: "true" } });`,
    ``,
  ].join("\n");
  const { first, outcome } = fix(text);
  assert.deepEqual(
    first.findings.flatMap((f) => f.fixNotes ?? []),
    ["HOST, PORT were left unused by the rewrite and removed"],
  );
  assert.deepEqual(outcome.notes, ["HOST, PORT were left unused by the rewrite and removed"]);
  assert.doesNotMatch(outcome.text, /const (HOST|PORT) =/);
  assert.match(outcome.text, /export const SHARED_PORT = 50342;/, "exported: stays");
  assert.match(outcome.text, /const USED = "x";/, "still read: stays");
  assert.match(outcome.text, /const LOGGED = 50342;/, "read elsewhere: stays");
});

test("TypeScript's import x = require() binds a client and an old SDK as a require does", () => {
  const text = [
    `import MSIVmTokenCredentials = require("ms-rest-azure/lib/credentials/msiVmTokenCredentials");`,
    `import http = require("node:http");`,
    `export const creds = () => new MSIVmTokenCredentials({ port: 50342 });`,
    `export const get = (cb: () => void) =>`,
    `  http.get("http://localhost:50342/oauth2/token?resource=r", { headers: { Metadata: "true" } }, cb);`,
    ``,
  ].join("\n");
  const { first } = fix(text, { path: "/nonexistent/project/x.ts" });
  assert.deepEqual(
    first.findings.map((f) => [f.messageId, (f.location as { file: { line: number } }).file.line]),
    [
      ["legacySdk", 3],
      ["rewrite", 5],
    ],
  );
});
