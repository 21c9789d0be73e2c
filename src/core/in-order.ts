// Work over a list of files where some steps finish later (an analysis on another thread): the steps start
// one after another, their results come back in list order, and only a bounded number are unfinished at once,
// so the texts they hold never pile up.

export const MAX_PENDING = 16;

export async function mapInOrder<T, R>(items: readonly T[], step: (item: T, index: number) => R | Promise<R>, maxPending = MAX_PENDING): Promise<R[]> {
  const results: (R | Promise<R>)[] = [];
  const pending: Promise<R>[] = [];
  try {
    for (let index = 0; index < items.length; index++) {
      const result = step(items[index]!, index);
      results.push(result);
      if (!(result instanceof Promise)) continue;
      // Observed by Promise.all below; until then a rejection must not count as unhandled.
      result.catch(() => undefined);
      pending.push(result);
      if (pending.length >= maxPending) await pending.shift();
    }
  } finally {
    // A step that threw must not leave others running unobserved.
    await Promise.allSettled(pending);
  }
  return Promise.all(results);
}
