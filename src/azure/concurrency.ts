// Bounded parallelism: a counting semaphore, and a map over items that never runs more than `limit` at once.

export class Semaphore {
  private available: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.available = limit;
  }

  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.available += 1;
  }
}

/** Works on `items`, `limit` at a time; once `stop` aborts, no more are started. */
export async function forEachConcurrent<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stop?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop?.aborted) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * forEachConcurrent keeping results in input order; once `notStarted.signal` aborts, items not yet started
 * get `notStarted.result` instead of being worked on.
 */
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
