import { forEachConcurrent } from "../azure/concurrency.js";

// The scan's bounded concurrency, keeping results in input order; once `notStarted.signal` aborts,
// items not yet started get `notStarted.result` instead of being worked on.

export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  notStarted?: { signal: AbortSignal; result: (item: T) => R },
): Promise<R[]> {
  const results = new Array<R>(items.length);
  await forEachConcurrent([...items.keys()], limit, async (index) => {
    const item = items[index]!;
    results[index] = notStarted?.signal.aborted ? notStarted.result(item) : await work(item);
  });
  return results;
}
