import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as eslint10 from "eslint10";
import * as eslint9 from "eslint9";
import plugin from "../../src/eslint-plugin/index.js";
import { FILE_RULES } from "../../rules/index.js";
import { analyzeSource } from "../../src/codemod/analyze.js";
import { DEFAULT_API_VERSION, extensionPorts } from "../../src/imds.js";

// The ESLint plugin under ESLint 9 and ESLint 10, with each one's own RuleTester (strict about suggestions
// and messages): the same rule ids and messages as msi2imds lint, the codemod's rewrite as a suggestion
// whose output is the fixture's, and a flat config that needs nothing but the plugin.

const FIXTURES = join(import.meta.dirname, "../../fixtures/no-extension-endpoint");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

const IMDS_POST = `export async function getToken() {
  const url = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x";
  return (await fetch(url, { method: "POST", headers: { Metadata: "true" } })).json();
}
`;

type Eslint = typeof eslint9;

for (const [version, eslint] of [
  ["ESLint 9", eslint9],
  ["ESLint 10", eslint10 as unknown as Eslint],
] as const) {
  describe(`msi2imds/eslint-plugin on ${version}`, () => {
    const { RuleTester, Linter } = eslint;
    Object.assign(RuleTester, { describe, it, itOnly: it.only });
    const tester = new RuleTester({ languageOptions: { ecmaVersion: "latest", sourceType: "module" } });

    it("is the ESLint version it says", () => {
      assert.equal(eslint.Linter.version.split(".")[0], version.split(" ")[1]);
    });

    tester.run("no-extension-endpoint", plugin.rules["no-extension-endpoint"] as never, {
      valid: [
        { code: fixture("already-imds.valid.mjs"), filename: "already-imds.mjs" },
        { code: fixture("app-service-msi-secret.valid.js"), filename: "app-service.js" },
      ],
      invalid: [
        {
          code: fixture("fetch-concatenation.input.js"),
          filename: "fetch-concatenation.js",
          errors: [
            {
              messageId: "rewrite",
              line: 6,
              suggestions: [{ messageId: "rewriteToImds", output: fixture("fetch-concatenation.output.js") }],
            },
          ],
        },
        {
          code: fixture("node-fetch-form-post.input.mjs"),
          filename: "node-fetch-form-post.mjs",
          errors: [
            {
              messageId: "rewrite",
              suggestions: [{ messageId: "rewriteToImds", output: fixture("node-fetch-form-post.output.mjs") }],
            },
          ],
        },
        {
          code: fixture("old-sdk.review.js"),
          filename: "old-sdk.cjs",
          languageOptions: { sourceType: "commonjs" },
          errors: [
            { messageId: "legacySdk", line: 6, suggestions: [] },
            { messageId: "legacySdk", line: 10, suggestions: [] },
          ],
        },
        {
          code: 'const url = "http://localhost:50400/oauth2/token?resource=x";\nexport default fetch(url);\n',
          filename: "custom-port.js",
          options: [{ ports: [50400] }],
          errors: [
            {
              messageId: "rewrite",
              suggestions: [
                {
                  messageId: "rewriteToImds",
                  output:
                    'const url = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01' +
                    '&resource=x";\nexport default fetch(url, { headers: { Metadata: "true" } });\n',
                },
              ],
            },
          ],
        },
      ],
    });

    tester.run("imds-request-shape", plugin.rules["imds-request-shape"] as never, {
      valid: [{ code: IMDS_POST.replace('method: "POST", ', ""), filename: "imds.js" }],
      invalid: [{ code: IMDS_POST, filename: "imds.js", errors: [{ messageId: "post" }] }],
    });

    it("configs.recommended is a flat config: the rules at lint's severities, messages word for word", () => {
      const linter = new Linter({ configType: "flat" });
      const messages = linter.verify(
        fixture("fetch-concatenation.input.js"),
        [plugin.configs.recommended as never, { languageOptions: { sourceType: "module" } }],
        "fetch-concatenation.js",
      );
      assert.deepEqual(
        messages.map((m) => [m.ruleId, m.severity, m.line]),
        [["msi2imds/no-extension-endpoint", 2, 6]],
      );
      const lint = analyzeSource({
        path: "fetch-concatenation.js",
        displayPath: "fetch-concatenation.js",
        text: fixture("fetch-concatenation.input.js"),
        ports: extensionPorts(),
        apiVersion: DEFAULT_API_VERSION,
      });
      assert.equal(messages[0]!.message, lint.findings[0]!.message, "what msi2imds lint says of the same call");
      assert.equal(messages[0]!.fix, undefined, "a suggestion, never an autofix");
    });
  });
}

describe("the plugin's rules", () => {
  it("are the rules that read JavaScript or TypeScript, with lint's ids, messages and docs", () => {
    const expected = FILE_RULES.filter((r) => r.languages.some((l) => l === "javascript" || l === "typescript"));
    assert.deepEqual(Object.keys(plugin.rules).sort(), expected.map((r) => r.meta.id).sort());
    for (const rule of expected) {
      const eslintRule = plugin.rules[rule.meta.id]!;
      for (const [id, text] of Object.entries(rule.meta.messages)) assert.equal(eslintRule.meta.messages[id], text);
      assert.equal(eslintRule.meta.docs.url, rule.meta.docsUrl);
      assert.equal(eslintRule.meta.hasSuggestions, rule.meta.fixable);
    }
    assert.deepEqual(
      Object.keys(plugin.configs.recommended.rules).sort(),
      expected.map((r) => `msi2imds/${r.meta.id}`).sort(),
    );
  });
});
