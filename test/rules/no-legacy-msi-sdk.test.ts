import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { extensionPorts } from "../../src/imds.js";
import { lintFiles } from "../../src/lint/engine.js";
import { makeRepo } from "../lint/helpers.js";
import { CODEMOD_ANALYSIS, ruleById, testRuleFixtures } from "./rule-tester.js";

testRuleFixtures("no-legacy-msi-sdk");

describe("no-legacy-msi-sdk reads the version the project uses", () => {
  const rule = ruleById("no-legacy-msi-sdk");
  const lint = async (files: Record<string, string>, target: string) => {
    const root = makeRepo(files);
    const result = await lintFiles([{ path: join(root, target), displayPath: target, explicit: true }], {
      rules: [{ rule, severity: "error" }],
      ports: extensionPorts([]),
      fix: false,
      knownRuleIds: [rule.meta.id],
      analysis: CODEMOD_ANALYSIS,
    });
    assert.deepEqual(result.errors, []);
    return result.findings.map((f) => `${f.messageId} ${f.severity}: ${f.message}`);
  };

  // ms-rest-azure in JS/TS is the codemod's (no-extension-endpoint): test/codemod and its legacy-sdk fixtures.
  it("msrestazure: MSIAuthentication(port=…) is an error before 0.4.25, a warning after (port ignored)", async () => {
    const py = 'MSIAuthentication(port=50342, resource="https://management.azure.com/")\n';
    const [old] = await lint({ "requirements.txt": "msrestazure==0.4.21\n", "a.py": py }, "a.py");
    assert.match(old!, /^msiAuthenticationPort error: .*msrestazure 0\.4\.21/);
    const [moved] = await lint(
      { "poetry.lock": '[[package]]\nname = "msrestazure"\nversion = "0.6.4"\n', "a.py": py },
      "a.py",
    );
    assert.match(moved!, /^msiAuthenticationPortIgnored warning: msrestazure 0\.6\.4 \(\S*poetry\.lock\) ignores/);
  });

  it("go-autorest: GetMSIVMEndpoint before v10.6.0 is an error; v10.6.0 or the adal module passes", async () => {
    const go = "package a\nfunc f() { adal.GetMSIVMEndpoint() }\n";
    const mod = (line: string) => `module x\n\nrequire ${line}\n`;
    const [old] = await lint(
      { "go.mod": mod("github.com/Azure/go-autorest v10.5.1+incompatible"), "a.go": go },
      "a.go",
    );
    assert.match(old!, /^getMsiVmEndpoint error: .*github\.com\/Azure\/go-autorest v10\.5\.1 \(\S*go\.mod\)/);
    assert.deepEqual(
      await lint({ "go.mod": mod("github.com/Azure/go-autorest v10.6.0+incompatible"), "a.go": go }, "a.go"),
      [],
    );
    assert.deepEqual(
      await lint({ "go.mod": mod("github.com/Azure/go-autorest/autorest/adal v0.9.23"), "a.go": go }, "a.go"),
      [],
    );
  });

  it("ms_rest_azure (Ruby): an error before 0.10.4, nothing from it on, a warning naming the range it may resolve to", async () => {
    const lock = (version: string) => `GEM\n  specs:\n    ms_rest_azure (${version})\n`;
    const rb = "MsRestAzure::MSITokenProvider.new(50342)\n";
    const [old] = await lint({ "Gemfile.lock": lock("0.10.3"), "a.rb": rb }, "a.rb");
    assert.match(old!, /^msiTokenProviderOld error: .*here: ms_rest_azure 0\.10\.3 \(\S*Gemfile\.lock\)/);
    assert.deepEqual(await lint({ "Gemfile.lock": lock("0.10.4"), "a.rb": rb }, "a.rb"), []);
    // MSI_VM=true sends even a current release to the extension: that setting is the finding then.
    assert.deepEqual(await lint({ "Gemfile.lock": lock("0.11.1"), "a.rb": `ENV['MSI_VM'] = 'true'\n${rb}` }, "a.rb"), [
      "msiVmSetting error: MSI_VM=true makes ms_rest_azure's MSITokenProvider ask the deprecated Managed Identity VM extension; remove it (IMDS is the default).",
    ]);
    const [unknown] = await lint({ Gemfile: "gem 'ms_rest_azure', '~> 0.10.0'\n", "a.rb": rb }, "a.rb");
    assert.match(unknown!, /^msiTokenProvider warning: .*no lock file or manifest names ms_rest_azure/);
  });
});
