import assert from "node:assert/strict";
import { it } from "node:test";
import { isTerraformJson, plannedInstalls } from "../../rules/support/terraform-json.js";
import { testRuleFixtures } from "./rule-tester.js";

testRuleFixtures("no-extension-deployment");

// A saved plan's change installs only where it creates or updates; braces and keys inside strings are text.

const plan = (actions: string[], after: unknown) =>
  JSON.stringify(
    {
      format_version: "1.2",
      terraform_version: "1.8.5",
      resource_changes: [
        {
          address: "azurerm_virtual_machine_extension.msi",
          change: {
            actions,
            before: { settings: '{"after": {"publisher": 1}}' },
            after,
          },
        },
      ],
    },
    null,
    2,
  );
const extension = { publisher: "Microsoft.ManagedIdentity", type: "ManagedIdentityExtensionForLinux" };

it("a plan's change installs where it creates or updates, not where it keeps or deletes", () => {
  const verdict = (actions: string[]) => {
    const text = plan(actions, extension);
    assert.equal(isTerraformJson(text), true);
    return plannedInstalls(text)(text.lastIndexOf('"Microsoft.ManagedIdentity"'));
  };
  assert.equal(verdict(["create"]), true);
  assert.equal(verdict(["update"]), true);
  assert.equal(verdict(["delete", "create"]), true, "a replacement installs it again");
  assert.equal(verdict(["no-op"]), false);
  assert.equal(verdict(["read"]), false);
});

it("what a before says, even a key named after in a string, is no install", () => {
  const text = plan(["create"], extension);
  assert.equal(plannedInstalls(text)(text.indexOf('\\"publisher\\"')), false);
  assert.equal(isTerraformJson('{"resources": [], "note": "terraform_version"}'), false);
});

it("a scale set's extension nested in what a change creates is planned; drift and policy input are told apart", () => {
  const scaleSet = { name: "agents", extension: [{ ...extension, type_handler_version: "1.0" }] };
  const text = plan(["create"], scaleSet);
  assert.equal(plannedInstalls(text)(text.lastIndexOf('"Microsoft.ManagedIdentity"')), true);
  const drift = JSON.stringify({
    terraform_version: "1.8.5",
    resource_drift: [{ change: { actions: ["update"], after: extension } }],
  });
  assert.equal(plannedInstalls(drift)(drift.indexOf('"Microsoft.ManagedIdentity"')), false);
  // `jq -S` puts the version after `configuration`; a policy's test input keeps only the changes.
  assert.equal(isTerraformJson(`{"configuration": {${" ".repeat(3000)}}, "terraform_version": "1.8.5"}`), true);
  assert.equal(isTerraformJson('{"resource_changes": []}'), true);
});
