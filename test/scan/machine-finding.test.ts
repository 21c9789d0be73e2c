import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extensionPort, recommendedAction } from "../../src/scan/machine-finding.js";

describe("extensionPort", () => {
  const cases: [unknown, number][] = [
    [{ port: 50342 }, 50342],
    [{ port: 50343 }, 50343],
    [{ port: "50342" }, 50342],
    [{ Port: "50343" }, 50343],
    ['{"port": 50343}', 50343],
    [{}, 50342],
    [undefined, 50342],
    [{ port: "fifty" }, 50342],
    [{ port: 70000 }, 50342],
    ["not json", 50342],
  ];
  for (const [settings, port] of cases)
    it(`${JSON.stringify(settings)} → ${port}`, () => assert.equal(extensionPort(settings), port));
});

describe("recommendedAction", () => {
  const none = "None";
  const system = "SystemAssigned";
  it("asks for an identity first when there is none", () =>
    assert.match(recommendedAction("virtualMachine", none, undefined), /^Assign a managed identity first/));
  it("warns about Manual upgrade policy on scale sets only", () => {
    assert.match(recommendedAction("virtualMachineScaleSet", system, "Manual"), /upgrade the instances after removal/);
    assert.doesNotMatch(recommendedAction("virtualMachineScaleSet", system, "Automatic"), /upgrade the instances/);
    assert.doesNotMatch(recommendedAction("virtualMachine", system, "Manual"), /upgrade the instances/);
  });
});
