import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { forEachInOrder, MAX_HELD } from "../../src/pipeline/in-order.js";

async function mapInOrder<T, R>(
  items: Iterable<T>,
  step: (item: T, index: number) => R | Promise<R>,
  maxPending?: number,
): Promise<R[]> {
  const results: R[] = [];
  await forEachInOrder(items, step, (result) => results.push(result), maxPending);
  return results;
}

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
  await mapInOrder(
    items,
    async (i) => {
      unfinished++;
      most = Math.max(most, unfinished);
      await sleep(i % 3);
      unfinished--;
      return i;
    },
    4,
  );
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
      mapInOrder(
        [0, 1, 2, 3],
        async (i) => {
          if (i === 1) throw new Error("early failure");
          await sleep(i === 0 ? 20 : 0);
          return i;
        },
        2,
      ),
      /early failure/,
    );
    await sleep(5);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  assert.deepEqual(unhandled, []);
});

test("results are handed on as soon as the earlier ones are, and never pile up behind a slow one", async () => {
  const total = MAX_HELD * 3;
  let pulled = 0;
  const pulledWhenConsumed: number[] = [];
  function* items() {
    for (let i = 0; i < total; i++) {
      pulled++;
      yield i;
    }
  }
  // The first step is slow, every other one finishes at once.
  await forEachInOrder(
    items(),
    (i) => (i === 0 ? sleep(20).then(() => i) : i),
    () => pulledWhenConsumed.push(pulled),
  );
  assert.equal(pulledWhenConsumed.length, total);
  assert.ok(pulledWhenConsumed[0]! <= MAX_HELD, `first consumed after ${pulledWhenConsumed[0]} items`);
  assert.ok(
    pulledWhenConsumed[MAX_HELD * 2]! <= MAX_HELD * 2 + 1,
    "once the slow one is done, results pass straight through",
  );
});
