import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { mapInOrder } from "../../src/core/in-order.js";

test("results come back in item order whatever order the steps finish in", async () => {
  const finished: number[] = [];
  const results = await mapInOrder([30, 0, 20, 5, 10], async (delay, index) => {
    await sleep(delay);
    finished.push(index);
    return `#${index}`;
  });
  assert.deepEqual(results, ["#0", "#1", "#2", "#3", "#4"]);
  assert.notDeepEqual(finished, [0, 1, 2, 3, 4], "the steps did overlap");
});

test("steps that finish at once pass straight through, mixed with later ones", async () => {
  const results = await mapInOrder([1, 2, 3, 4], (n) => (n % 2 === 0 ? Promise.resolve(n * 10) : n));
  assert.deepEqual(results, [1, 20, 3, 40]);
});

test("no more than maxPending steps are unfinished at once", async () => {
  let unfinished = 0;
  let most = 0;
  const items = Array.from({ length: 40 }, (_, i) => i);
  await mapInOrder(items, async (i) => {
    unfinished++;
    most = Math.max(most, unfinished);
    await sleep(i % 3);
    unfinished--;
    return i;
  }, 4);
  assert.equal(most, 4);
});

test("a failing step fails the whole map, after the others have settled", async () => {
  let settled = 0;
  await assert.rejects(
    mapInOrder([0, 1, 2], async (i) => {
      await sleep(i === 1 ? 0 : 5);
      settled++;
      if (i === 1) throw new Error("step 1 failed");
      return i;
    }),
    /step 1 failed/,
  );
  assert.equal(settled, 3);
});

test("a step that fails while the loop waits on another is not an unhandled rejection", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    await assert.rejects(
      mapInOrder([0, 1, 2, 3], async (i) => {
        if (i === 1) throw new Error("early failure");
        await sleep(i === 0 ? 20 : 0);
        return i;
      }, 2),
      /early failure/,
    );
    await sleep(5);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  assert.deepEqual(unhandled, []);
});
