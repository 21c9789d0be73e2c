import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { batches } from "../../src/scan/graph-engine.js";
import { generateFleet } from "../emulator/fleet.js";
import { startScanEnvironment } from "../emulator/scan-environment.js";
import { assertNoToken, parseReport } from "./scan-helpers.js";

// Resource Graph takes at most 1000 subscriptions per request: a larger tenant is asked in batches.

describe("graph engine batches", () => {
  it("splits in order, the last batch short", () => {
    assert.deepEqual(batches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(batches([], 1000), []);
  });

  it("scans 1001 subscriptions in two batches and misses none", async () => {
    const env = await startScanEnvironment({
      fleet: generateFleet({ subscriptions: 1001, vmsPerSubscription: 1, extensionEvery: 1 }),
    });
    try {
      const result = await env.cli([...env.scanArgs, "--engine", "graph", "--format", "json"]);
      assertNoToken(env.token, result);
      assert.equal(result.code, 1, result.stderr);
      const report = parseReport(result);
      assert.deepEqual(report.summary, {
        subscriptions: 1001,
        virtualMachines: 1001,
        scaleSets: 0,
        findings: 1001,
        errors: 0,
      });
      const sizes = env.arm.requests
        .filter((r) => r.route === "resourceGraph.resources")
        .map((r) => (r.body as { subscriptions: string[] }).subscriptions.length);
      assert.ok(sizes.length >= 4 && sizes.every((n) => n === 1000 || n === 1), `batch sizes ${sizes.join(",")}`);
      assert.equal(new Set(report.findings.map((f) => f.subscriptionId)).size, 1001);
    } finally {
      await env.close();
    }
  });
});
