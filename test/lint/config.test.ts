import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateConfig } from "../../src/lint/config.js";

// Rule options in the config: [setting, { option: boolean }], each option one the rule declares.

const ids = ["no-extension-endpoint-text", "imds-request-shape"];
const names = { "no-extension-endpoint-text": ["reportComments"], "imds-request-shape": [] };
const validate = (rules: unknown) => validateConfig({ rules }, "msi2imds.config.json", ids, names);

describe("config: rule options", () => {
  it("a setting alone, or a setting with the rule's options", () => {
    const config = validate({
      "no-extension-endpoint-text": ["warn", { reportComments: true }],
      "imds-request-shape": "off",
    });
    assert.deepEqual(config.rules, { "no-extension-endpoint-text": "warn", "imds-request-shape": "off" });
    assert.deepEqual(config.ruleOptions, { "no-extension-endpoint-text": { reportComments: true } });
  });

  it("an option the rule does not declare, a value that is not a boolean, a bad shape: each names the key", () => {
    const bad: [unknown, RegExp][] = [
      [{ "no-extension-endpoint-text": ["error", { comments: true }] }, /unknown option "comments".*reportComments/],
      [{ "imds-request-shape": ["error", { any: true }] }, /unknown option "any" \(known: none\)/],
      [{ "no-extension-endpoint-text": ["error", { reportComments: "yes" }] }, /must be true or false/],
      [{ "no-extension-endpoint-text": ["error", true] }, /must be an object/],
      [{ "no-extension-endpoint-text": ["loud", {}] }, /"rules\.no-extension-endpoint-text" must be "off"/],
    ];
    for (const [rules, message] of bad) assert.throws(() => validate(rules), message, JSON.stringify(rules));
  });
});
