import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintJson, makeRepo, summary } from "./helpers.js";

// msi2imds-disable-next-line in each language's own comment syntax; unused and malformed ones reported.

const URL = "http://localhost:50342/oauth2/token";
const DEPLOY_TF = (directive: string) =>
  `resource "azurerm_virtual_machine_extension" "x" {\n  ${directive}\n  publisher = "Microsoft.ManagedIdentity"\n` +
  `  type = "ManagedIdentityExtensionForLinux"\n}\n`;

describe("suppressions", () => {
  it("are honoured in every language's comment syntax", () => {
    const root = makeRepo({
      "app.ts":
        `// msi2imds-disable-next-line imds-request-shape -- test double\n` +
        `await fetch("http://169.254.169.254/metadata/identity/oauth2/token?resource=x", ` +
        `{ headers: { Metadata: "true" } });\n`,
      "app.py": `# msi2imds-disable-next-line no-extension-endpoint-text -- Cloud Shell\nURL = "${URL}"\n`,
      "token.ps1":
        `# msi2imds-disable-next-line no-extension-endpoint-text -- lab only\n$uri = "${URL}"\n` +
        `<# msi2imds-disable-next-line no-extension-endpoint-text #>\n$two = "${URL}"\n`,
      "ci.yml": `steps:\n  # msi2imds-disable-next-line no-legacy-msi-sdk -- old agents\n  - script: az login --msi\n`,
      "vm.bicep":
        `properties: {\n  // msi2imds-disable-next-line no-extension-deployment -- legacy pool\n` +
        `  publisher: 'Microsoft.ManagedIdentity'\n  type: 'ManagedIdentityExtensionForLinux'\n  typeHandlerVersion: '1.0'\n}\n`,
      "hash.tf": DEPLOY_TF("# msi2imds-disable-next-line no-extension-deployment -- legacy"),
      "slash.tf": DEPLOY_TF("// msi2imds-disable-next-line no-extension-deployment -- legacy"),
      "Token.cs":
        `class T {\n  /* msi2imds-disable-next-line no-extension-endpoint-text -- fake */\n` +
        `  const string U = "${URL}";\n` +
        `  // msi2imds-disable-next-line no-extension-endpoint-text, no-legacy-msi-sdk -- two rules\n` +
        `  const string V = "${URL}";\n}\n`,
    });
    const { run, results } = lintJson(root);
    assert.deepEqual(summary(results), ["Token.cs:4 unused-disable-directive"], JSON.stringify(results, null, 2));
    assert.equal(run.status, 0, "an unused directive is a warning");
  });

  it("only cover the next line and only the named rule", () => {
    const root = makeRepo({
      "far.py": `# msi2imds-disable-next-line no-extension-endpoint-text -- too far\n\nURL = "${URL}"\n`,
      "other.py": `# msi2imds-disable-next-line no-legacy-msi-sdk -- wrong rule\nURL = "${URL}"\n`,
      "string.py": `NOTE = "msi2imds-disable-next-line no-extension-endpoint-text"\nURL = "${URL}"\n`,
    });
    const { results } = lintJson(root);
    assert.deepEqual(summary(results), [
      "far.py:1 unused-disable-directive",
      "far.py:3 no-extension-endpoint-text",
      "other.py:1 unused-disable-directive",
      "other.py:2 no-extension-endpoint-text",
      "string.py:2 no-extension-endpoint-text",
    ]);
  });

  it("msi2imds-disable covers the lines up to msi2imds-enable of that rule, or to the end of the file", () => {
    const root = makeRepo({
      "block.py":
        `# msi2imds-disable no-extension-endpoint-text -- Cloud Shell paths\nA = "${URL}"\nB = "${URL}"\n` +
        `# msi2imds-enable no-extension-endpoint-text\nC = "${URL}"\n`,
      "rest.py": `X = "${URL}"\n# msi2imds-disable no-extension-endpoint-text -- fakes below\nY = "${URL}"\n\nZ = "${URL}"\n`,
      "other-rule.py": `# msi2imds-disable no-legacy-msi-sdk -- not this rule\nA = "${URL}"\n`,
      "stale.py": `A = "${URL}"\n# msi2imds-disable no-extension-endpoint-text -- nothing below\nB = 1\n`,
    });
    const { results } = lintJson(root);
    assert.deepEqual(summary(results), [
      "block.py:5 no-extension-endpoint-text",
      "other-rule.py:1 unused-disable-directive",
      "other-rule.py:2 no-extension-endpoint-text",
      "rest.py:1 no-extension-endpoint-text",
      "stale.py:1 no-extension-endpoint-text",
      "stale.py:2 unused-disable-directive",
    ]);
  });

  it("must name a known rule", () => {
    const root = makeRepo({
      "a.py": `# msi2imds-disable-next-line\nURL = "${URL}"\n`,
      "b.py": `# msi2imds-disable-next-line no-such-rule -- typo\nURL = "${URL}"\n`,
    });
    const { run, results } = lintJson(root);
    assert.equal(run.status, 1);
    assert.deepEqual(summary(results), [
      "a.py:1 invalid-disable-directive",
      "a.py:2 no-extension-endpoint-text",
      "b.py:1 invalid-disable-directive",
      "b.py:2 no-extension-endpoint-text",
    ]);
    const messages = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === "invalid-disable-directive").map((m) => m.message),
    );
    assert.match(messages[0]!, /needs a rule id/);
    assert.match(messages[1]!, /unknown rule "no-such-rule"/);
  });

  it("unused-disable-directive can be raised to an error or switched off in the config", () => {
    const files = {
      "a.py":
        "# msi2imds-disable-next-line no-extension-endpoint-text -- stale\n" +
        'IMDS = "http://169.254.169.254/metadata/identity/oauth2/token"\n',
    };
    const strict = makeRepo({
      ...files,
      "msi2imds.config.json": JSON.stringify({ rules: { "unused-disable-directive": "error" } }),
    });
    const { run, results } = lintJson(strict);
    assert.equal(run.status, 1);
    assert.equal(results[0]!.messages[0]!.severity, 2);
    const quiet = makeRepo({
      ...files,
      "msi2imds.config.json": JSON.stringify({ rules: { "unused-disable-directive": "off" } }),
    });
    assert.deepEqual(lintJson(quiet).results, []);
  });

  it("for a rule switched off are not reported as unused", () => {
    const root = makeRepo({
      "msi2imds.config.json": JSON.stringify({ rules: { "no-extension-endpoint-text": "off" } }),
      "a.py": `# msi2imds-disable-next-line no-extension-endpoint-text -- kept for when it is on\nURL = "${URL}"\n`,
    });
    const { run, results } = lintJson(root);
    assert.equal(run.status, 0);
    assert.deepEqual(results, []);
  });
});
