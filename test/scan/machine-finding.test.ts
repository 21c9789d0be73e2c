import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { ScanCollector } from "../../src/scan/collector.js";
import { extensionPort, recommendedAction } from "../../src/scan/machine-finding.js";
import { startProgress } from "../../src/cli/progress.js";

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

describe("progress line", () => {
  it("writes nothing when stderr is not a terminal", () => {
    const stream = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    let written = "";
    (stream as unknown as PassThrough).on("data", (c: Buffer) => (written += c.toString()));
    startProgress(new ScanCollector(), stream, 1).stop();
    assert.equal(written, "");
  });

  it("on a terminal shows subscriptions, machines, findings and request rate, then clears", async () => {
    const chunks: string[] = [];
    const stream = { isTTY: true, write: (c: string) => chunks.push(c) } as unknown as NodeJS.WriteStream;
    const collector = new ScanCollector();
    Object.assign(collector, { subscriptionsTotal: 3, subscriptionsDone: 1, machinesChecked: 42 });
    collector.stats.requests = 10;
    const progress = startProgress(collector, stream, 1);
    for (let i = 0; i < 100 && chunks.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    progress.stop();
    assert.match(chunks[0]!, /1\/3 subscriptions, 42 machines checked, 0 findings, [\d.]+ req\/s/);
    assert.equal(chunks.at(-1), "\r\x1b[2K");
  });
});
