// Work over a stream of files where some steps finish later (an analysis on another thread): the steps start
// one after another, their results are handed on in stream order as soon as all earlier ones are, and only a
// bounded number are unfinished or held at once, so neither the texts they hold nor the results pile up.

export const MAX_PENDING = 16;
/**
 * Results finished but waiting behind an unfinished one, before the loop waits for it. Generous: while the
 * first analysis waits for TypeScript to load on the other thread, thousands of files are read meanwhile.
 */
export const MAX_HELD = 1 << 16;

type Slot<R> = { done: true; value: R } | { done: false };

/**
 * Calls `consume` with each step's result in item order. Rejects with a step's failure once the started steps
 * have settled.
 */
export async function forEachInOrder<T, R>(
  items: Iterable<T>,
  step: (item: T, index: number) => R | Promise<R>,
  consume: (result: R) => void,
  maxPending = MAX_PENDING,
): Promise<void> {
  // A queue read from `head`: Array#shift moves every element, and thousands wait while TypeScript loads.
  let slots: (Slot<R> | undefined)[] = [];
  let head = 0;
  const pending: Promise<unknown>[] = [];
  const handOn = () => {
    for (let slot = slots[head]; slot?.done; slot = slots[head]) {
      slots[head++] = undefined;
      consume(slot.value);
    }
    if (head === slots.length) {
      slots.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > slots.length) {
      slots = slots.slice(head);
      head = 0;
    }
  };
  try {
    let index = 0;
    for (const item of items) {
      const result = step(item, index++);
      if (result instanceof Promise) {
        const slot: Slot<R> = { done: false };
        slots.push(slot);
        // Observed below; until then a rejection must not count as unhandled.
        const settled = result.then((value) => Object.assign(slot, { done: true, value }));
        settled.catch(() => undefined);
        pending.push(settled);
      } else if (head === slots.length) {
        consume(result); // nothing before it is waiting: the common case, without a slot
        continue;
      } else {
        slots.push({ done: true, value: result });
      }
      if (pending.length >= maxPending || slots.length - head >= MAX_HELD) await pending.shift();
      handOn();
    }
    while (pending.length > 0) {
      await pending.shift();
      handOn();
    }
  } finally {
    // A step that threw must not leave others running unobserved.
    await Promise.allSettled(pending);
  }
}
