import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMachineId, parseResourceId, sameId } from "../../src/azure/resource-id.js";

describe("ARM resource ids", () => {
  it("parseResourceId reads segments case-insensitively", () => {
    assert.deepEqual(
      parseResourceId("/subscriptions/S/resourcegroups/RG-1/providers/Microsoft.Compute/virtualMachines/vm-1"),
      {
        subscriptionId: "S",
        resourceGroup: "RG-1",
        name: "vm-1",
      },
    );
  });

  it("parseMachineId knows VMs and scale sets in any case, and nothing else", () => {
    assert.deepEqual(
      parseMachineId("/subscriptions/S/resourceGroups/rg/providers/microsoft.compute/VIRTUALMACHINES/vm-1/"),
      {
        kind: "virtualMachine",
        subscriptionId: "S",
        resourceGroup: "rg",
        name: "vm-1",
      },
    );
    assert.equal(
      parseMachineId("/subscriptions/S/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss")?.kind,
      "virtualMachineScaleSet",
    );
    assert.equal(parseMachineId("/subscriptions/S/resourceGroups/rg/providers/Microsoft.Compute/disks/d1"), undefined);
    assert.equal(
      parseMachineId("/subscriptions/S/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/extensions/x"),
      undefined,
    );
  });

  it("sameId ignores case and a trailing slash", () => {
    assert.ok(sameId("/subscriptions/S/resourceGroups/RG", "/subscriptions/s/resourcegroups/rg/"));
    assert.ok(!sameId("/subscriptions/S/resourceGroups/RG", "/subscriptions/S/resourceGroups/RG2"));
  });
});
