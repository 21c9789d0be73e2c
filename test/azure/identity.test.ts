import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasManagedIdentity, normalizeIdentity } from "../../src/azure/identity.js";

// ARM, Resource Graph and saved reports show a machine's identity three ways; scan and remove read them all
// through one function, so they cannot disagree on "no identity" or on the order of user-assigned ids.

describe("normalizeIdentity", () => {
  const a = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/a";
  const b = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/b";

  it("absent, null, an empty or blank type all mean None", () => {
    for (const identity of [undefined, null, {}, { type: "" }, { type: "  " }, { type: 7 }]) {
      assert.deepEqual(
        normalizeIdentity(identity),
        { type: "None", userAssignedIdentities: [] },
        JSON.stringify(identity),
      );
    }
  });

  it("ARM's map and a report's list give the same sorted ids", () => {
    const fromArm = normalizeIdentity({
      type: "UserAssigned",
      userAssignedIdentities: { [b]: {}, [a]: { clientId: "c" } },
    });
    const fromReport = normalizeIdentity({ type: "UserAssigned", userAssignedIdentities: [b, a] });
    assert.deepEqual(fromArm, { type: "UserAssigned", userAssignedIdentities: [a, b] });
    assert.deepEqual(fromReport, fromArm);
  });

  it("hasManagedIdentity: None in any case is none", () => {
    assert.equal(hasManagedIdentity(normalizeIdentity({ type: "none" })), false);
    assert.equal(hasManagedIdentity(undefined), false);
    assert.equal(hasManagedIdentity(normalizeIdentity({ type: "SystemAssigned" })), true);
  });
});
