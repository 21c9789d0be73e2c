import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { ALL_RULES } from "../../rules/index.js";
import { README, renderCatalogue, withCatalogue } from "../../scripts/rule-catalogue.js";

it("README.md's rule catalogue matches the rules' metadata (run: node --import tsx scripts/rule-catalogue.ts)", () => {
  const readme = readFileSync(README, "utf8");
  const rules = ALL_RULES;
  assert.equal(withCatalogue(readme, renderCatalogue(rules)), readme);
  for (const rule of rules)
    assert.ok(
      readme.includes(`[\`${rule.meta.id}\`](rules/${rule.meta.id}.md)`),
      `${rule.meta.id} missing from the catalogue`,
    );
});
