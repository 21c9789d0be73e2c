import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { startProgress } from "../../src/cli/progress.js";
import { ScanCollector } from "../../src/scan/collector.js";

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
