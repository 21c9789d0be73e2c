// Bounded concurrency: at most `limit` calls of `work` in flight, results in input order.
// Once `signal` aborts, items not yet started are handed to `notStarted` instead.

export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  notStarted?: { signal: AbortSignal; result: (item: T) => R },
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      results[index] = notStarted?.signal.aborted ? notStarted.result(item) : await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
