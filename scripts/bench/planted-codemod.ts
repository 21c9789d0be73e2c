import type { PlantedFile } from "./planted.js";

// Token helpers as real projects write them, in the shapes issue 14 names: each one is a call site `fix`
// should migrate (or, for an old SDK pinned before it moved to IMDS, report once per file). They are planted
// so that the bench counts what `fix` leaves for review on them; placeholders as in planted.ts.

const ARM = "https://management.azure.com/";

export const CODEMOD_SHAPES: readonly PlantedFile[] = [
  {
    path: "planted/helpers/src/msi-token.ts",
    segments: [
      "// A constant named after the variable Cloud Shell sets, but no environment read: the VM extension.",
      {
        form: "constant named MSI_ENDPOINT, also in an error message",
        code: [
          'const MSI_ENDPOINT = "{{EXT}}{{PATH}}";',
          `const ARM_RESOURCE = "${ARM}";`,
          "",
          "export async function managementToken(): Promise<string> {",
          "  const response = await fetch(`${MSI_ENDPOINT}?resource=${encodeURIComponent(ARM_RESOURCE)}`, {",
          '    headers: { Metadata: "true" },',
          "  });",
          "  if (!response.ok) throw new Error(`Could not get a token from ${MSI_ENDPOINT}: HTTP ${response.status}`);",
          "  const body = (await response.json()) as { access_token: string };",
          "  return body.access_token;",
          "}",
        ].join("\n"),
      },
      "",
    ],
  },
  {
    path: "planted/helpers/src/token-form.js",
    segments: [
      {
        form: "form built over several statements, URL in a log line",
        code: [
          "const TOKEN_ENDPOINT = '{{EXT}}{{PATH}}';",
          "",
          "export async function getToken(resource, clientId) {",
          "  let form = 'resource=' + encodeURIComponent(resource);",
          "  if (clientId) {",
          "    form += '&client_id=' + encodeURIComponent(clientId);",
          "  }",
          "  console.debug('requesting a token from ' + TOKEN_ENDPOINT);",
          "  const response = await fetch(TOKEN_ENDPOINT, {",
          "    method: 'POST',",
          "    headers: { Metadata: 'true', 'Content-Type': 'application/x-www-form-urlencoded' },",
          "    body: form,",
          "  });",
          "  if (!response.ok) throw new Error('token request to ' + TOKEN_ENDPOINT + ' failed: ' + response.status);",
          "  return response.json();",
          "}",
        ].join("\n"),
      },
      "",
    ],
  },
  {
    path: "planted/helpers/src/vault-token.ts",
    segments: [
      'import axios from "axios";',
      "",
      {
        form: "URLSearchParams appended in branches",
        code: [
          'const MSI_URL = "{{EXT}}{{PATH}}";',
          'const FORM_HEADERS = { Metadata: "true", "Content-Type": "application/x-www-form-urlencoded" };',
          "",
          "export async function vaultToken(clientId?: string, objectId?: string): Promise<string> {",
          "  const params = new URLSearchParams();",
          '  params.append("resource", "https://vault.azure.net");',
          '  if (clientId) params.append("client_id", clientId);',
          '  else if (objectId) params.append("object_id", objectId);',
          "  const { data } = await axios.post(MSI_URL, params.toString(), { headers: FORM_HEADERS });",
          "  return data.access_token;",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "axios.post with a concatenated form and a shared headers object",
        code: [
          "export async function storageToken(): Promise<string> {",
          '  const { data } = await axios.post(MSI_URL, "resource=" + encodeURIComponent("https://storage.azure.com/"), {',
          "    headers: FORM_HEADERS,",
          "  });",
          "  return data.access_token;",
          "}",
        ].join("\n"),
      },
      "",
    ],
  },
  {
    path: "planted/helpers/src/http-token.ts",
    segments: [
      'import * as http from "node:http";',
      "",
      {
        form: "node:http POST with req.write(body)",
        code: [
          "export function requestToken(resource: string): Promise<{ access_token: string }> {",
          "  const body = `resource=${encodeURIComponent(resource)}`;",
          "  return new Promise((resolve, reject) => {",
          "    const req = http.request(",
          "      {",
          '        host: "{{HOST}}",',
          "        port: {{PORT}},",
          '        path: "{{PATH}}",',
          '        method: "POST",',
          "        headers: {",
          '          Metadata: "true",',
          '          "Content-Type": "application/x-www-form-urlencoded",',
          '          "Content-Length": Buffer.byteLength(body),',
          "        },",
          "      },",
          "      (res) => {",
          '        let text = "";',
          '        res.setEncoding("utf8");',
          '        res.on("data", (chunk: string) => (text += chunk));',
          '        res.on("end", () => resolve(JSON.parse(text)));',
          "      },",
          "    );",
          '    req.on("error", reject);',
          "    req.write(body);",
          "    req.end();",
          "  });",
          "}",
        ].join("\n"),
      },
      "",
    ],
  },
  {
    path: "planted/helpers/src/msi-client.js",
    segments: [
      "const axios = require('axios');",
      "",
      {
        form: "axios instance with baseURL",
        code: [
          "const msi = axios.create({",
          "  baseURL: '{{EXT}}',",
          "  headers: { Metadata: 'true' },",
          "  timeout: 5000,",
          "});",
          "",
          "async function tokenFor(resource) {",
          "  const { data } = await msi.get('{{PATH}}', { params: { resource } });",
          "  return data;",
          "}",
        ].join("\n"),
      },
      "",
      "module.exports = { tokenFor };",
    ],
  },
  {
    path: "planted/helpers/src/got-client.mjs",
    segments: [
      'import got from "got";',
      "",
      {
        form: "got.extend with prefixUrl",
        code: [
          "const identity = got.extend({",
          '  prefixUrl: "{{EXT}}",',
          '  headers: { Metadata: "true" },',
          "  retry: { limit: 2 },",
          "});",
          "",
          "export function tokenFor(resource) {",
          '  return identity.get("oauth2/token", { searchParams: { resource } }).json();',
          "}",
        ].join("\n"),
      },
      "",
    ],
  },
  {
    path: "planted/helpers/src/url-pieces.ts",
    segments: [
      {
        form: "host, port and path in separate constants",
        code: [
          'const MSI_HOST = "{{HOST}}";',
          "const MSI_PORT = {{PORT}};",
          'const MSI_TOKEN_PATH = "{{PATH}}";',
          "",
          "export async function tokenFor(resource: string): Promise<unknown> {",
          "  const url = `http://${MSI_HOST}:${MSI_PORT}${MSI_TOKEN_PATH}?resource=${encodeURIComponent(resource)}`;",
          '  const response = await fetch(url, { headers: { Metadata: "true" } });',
          "  return response.json();",
          "}",
        ].join("\n"),
      },
      "",
    ],
  },
  {
    path: "planted/legacy-sdk/package.json",
    segments: ['{ "name": "legacy-sdk", "private": true, "dependencies": { "ms-rest-azure": "2.5.9" } }'],
  },
  {
    path: "planted/legacy-sdk/src/login.js",
    segments: [
      "const msRestAzure = require('ms-rest-azure');",
      "",
      {
        form: "ms-rest-azure loginWithMSI({ port }) and loginWithMSI()",
        code: [
          "async function login() {",
          "  const port = Number(process.env.MSI_PORT) || {{PORT}};",
          "  return msRestAzure.loginWithMSI({ port });",
          "}",
          "",
          "function loginDefault() {",
          "  return msRestAzure.loginWithMSI();",
          "}",
        ].join("\n"),
      },
      "",
      "module.exports = { login, loginDefault };",
    ],
  },
  {
    path: "planted/legacy-sdk/test/credentials.test.js",
    segments: [
      "const assert = require('assert');",
      "const { MSIVmTokenCredentials } = require('ms-rest-azure');",
      "",
      {
        form: "MSIVmTokenCredentials in 14 tests",
        code: Array.from({ length: 14 }, (_, i) =>
          [
            `it('builds credentials ${i + 1}', () => {`,
            `  const creds = new MSIVmTokenCredentials({ resource: 'https://resource${i + 1}.example/' });`,
            `  assert.strictEqual(creds.resource, 'https://resource${i + 1}.example/');`,
            "});",
          ].join("\n"),
        ).join("\n"),
      },
    ],
  },
  {
    path: "planted/upgraded-sdk/package.json",
    segments: ['{ "name": "upgraded-sdk", "private": true, "dependencies": { "ms-rest-azure": "2.6.2" } }'],
  },
  {
    path: "planted/upgraded-sdk/src/login.js",
    segments: [
      "const msRestAzure = require('ms-rest-azure');",
      "",
      {
        form: "ms-rest-azure 2.6 loginWithMSI with a port it ignores",
        code: ["function login() {", "  return msRestAzure.loginWithMSI({ port: {{PORT}} });", "}"].join("\n"),
      },
      "",
      "module.exports = { login };",
    ],
  },
];
