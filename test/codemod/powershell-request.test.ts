import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { knowsNoProxy } from "../../src/codemod/scripts/powershell/version.js";
import {
  API_VERSION_PARAM,
  EXTENSION_TOKEN_PATH,
  IMDS_TOKEN_URL,
  isImdsIdentityApiVersion,
  METADATA_HEADER_NAME,
  METADATA_HEADER_VALUE,
} from "../../src/imds.js";
import { loadConcreteParser, type ParseConcrete } from "../../src/syntax/index.js";
import { requestsOf, type ScriptRequest } from "./powershell-request.js";

// There is no pwsh to run fix's PowerShell fixtures, so the proof is read from the syntax tree: each output
// parses with tree-sitter's PowerShell grammar, and the request each of its Invoke-RestMethod /
// Invoke-WebRequest calls sends is exactly the IMDS request for what its input asked the extension: GET,
// IMDS's token URL, an identity api-version first, the same parameters, Metadata: true, no body; -NoProxy
// wherever the script says it runs on PowerShell 6 or later.

const DIR = fileURLToPath(new URL("../../fixtures/fix-powershell/", import.meta.url));
const inputs = readdirSync(DIR)
  .filter((name) => name.endsWith(".input.ps1"))
  .sort();

/** The token parameters a request sends, from its query and its form alike, sorted. */
function parameters(request: ScriptRequest): [string, string][] {
  return [...request.query, ...request.form]
    .filter(([name]) => name !== API_VERSION_PARAM)
    .map(([name, value]): [string, string] => [name, decodeURIComponent(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe("fix's PowerShell fixtures send the IMDS request, read from their syntax trees", () => {
  let parse: ParseConcrete;
  before(async () => {
    parse = await loadConcreteParser("powershell");
  });

  it("there are pairs to read", () => assert.ok(inputs.length >= 4));

  for (const input of inputs) {
    it(input, () => {
      const read = (name: string) => {
        const text = readFileSync(join(DIR, name), "utf8").replace(/^\uFEFF/, "");
        const tree = parse(text);
        assert.equal(tree.errors, 0, `${name} does not parse`);
        return { text, requests: requestsOf(tree) };
      };
      const before = read(input);
      const after = read(input.replace(".input.", ".output."));
      assert.ok(before.requests.length > 0);
      assert.equal(after.requests.length, before.requests.length);
      before.requests.forEach((old, i) => {
        const now = after.requests[i]!;
        assert.match(old.url, new RegExp(`^http://(localhost|127\\.0\\.0\\.1):5034[23]${EXTENSION_TOKEN_PATH}/?$`));
        assert.equal(now.method, "GET");
        assert.equal(now.url, IMDS_TOKEN_URL);
        assert.deepEqual(now.form, [], "IMDS takes no body");
        assert.equal(now.query[0]?.[0], API_VERSION_PARAM, "api-version comes first");
        assert.ok(isImdsIdentityApiVersion(now.query[0]![1]), `api-version=${now.query[0]![1]}`);
        assert.equal(now.query.filter(([name]) => name === API_VERSION_PARAM).length, 1);
        assert.deepEqual(parameters(now), parameters(old), "the same resource and identity");
        assert.ok(parameters(now).some(([name]) => name === "resource"));
        // Header names are compared in any case (HTTP's rule); a script's own `'metadata' = 'true'` is kept.
        const metadata = Object.entries(now.headers).filter(([name]) => name.toLowerCase() === "metadata");
        assert.deepEqual(
          metadata.map(([name, value]) => [name.toLowerCase(), value]),
          [[METADATA_HEADER_NAME.toLowerCase(), METADATA_HEADER_VALUE]],
        );
        assert.equal(now.noProxy, knowsNoProxy(after.text), "-NoProxy exactly where PowerShell 6+ is stated");
      });
    });
  }
});
