import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import rule from "../../rules/vm-extension-installed.js";
import { loadFleet } from "../emulator/fleet.js";
import { FIXTURES_DIR } from "./rule-tester.js";

// The fleet rule over committed extension JSON: exact matches by publisher and type, never by name; and
// over the sample fleet, exactly the extensions the expected report lists.

interface ExtensionCase {
  case: string;
  publisher?: string;
  type?: string;
  name: string;
  matches: boolean;
}

const cases = (
  JSON.parse(readFileSync(join(FIXTURES_DIR, "vm-extension-installed", "extensions.json"), "utf8")) as {
    extensions: ExtensionCase[];
  }
).extensions;

describe("vm-extension-installed", () => {
  it("is a fleet rule with a query", () => {
    assert.equal(rule.kind, "fleet");
    assert.equal(rule.meta.fixable, false);
    assert.match(rule.query(), /order by id asc/);
    assert.match(rule.query(), /'Microsoft\.ManagedIdentity'/);
  });

  for (const c of cases) {
    it(`${c.matches ? "matches" : "ignores"} ${c.case}`, () => {
      assert.equal(rule.matches({ publisher: c.publisher, type: c.type }), c.matches);
    });
  }

  it("matches exactly the expected extensions of the sample fleet", () => {
    const expected = JSON.parse(readFileSync(join(FIXTURES_DIR, "fleets", "sample.expected.json"), "utf8")) as {
      findings: { resourceId: string; extension: string }[];
    };
    const matched: string[] = [];
    for (const subscription of loadFleet("sample").subscriptions.filter((s) => s.state === "Enabled")) {
      const machines = [
        ...subscription.virtualMachines.map((vm) => ({ kind: "virtualMachines", m: vm })),
        ...subscription.scaleSets.map((s) => ({ kind: "virtualMachineScaleSets", m: s })),
      ];
      for (const { kind, m } of machines) {
        for (const e of m.extensions.filter((x) => rule.matches(x))) {
          matched.push(
            `/subscriptions/${subscription.subscriptionId}/resourceGroups/${m.resourceGroup}/providers` +
              `/Microsoft.Compute/${kind}/${m.name} ${e.name}`,
          );
        }
      }
    }
    assert.deepEqual(matched.sort(), expected.findings.map((f) => `${f.resourceId} ${f.extension}`).sort());
  });
});
