// A stream that can be asked how much is still to come without losing what it read to find out.

/** A stream that can tell whether n more items are to come, by reading at most n ahead. */
export class ReadAhead<T> implements Iterable<T>, Iterator<T> {
  private ahead: T[] = [];
  private head = 0;
  private readonly source: Iterator<T>;

  constructor(items: Iterable<T>) {
    this.source = items[Symbol.iterator]();
  }

  hasAtLeast(n: number): boolean {
    while (this.ahead.length - this.head < n) {
      const next = this.source.next();
      if (next.done) break;
      this.ahead.push(next.value);
    }
    return this.ahead.length - this.head >= n;
  }

  next(): IteratorResult<T> {
    if (this.head === this.ahead.length) return this.source.next();
    const value = this.ahead[this.head++]!;
    if (this.head === this.ahead.length) {
      this.ahead = [];
      this.head = 0;
    }
    return { done: false, value };
  }

  /** A loop that stops early closes the walk behind it. */
  return(): IteratorResult<T> {
    this.ahead = [];
    this.head = 0;
    return this.source.return?.() ?? { done: true, value: undefined };
  }

  [Symbol.iterator](): Iterator<T> {
    return this;
  }
}
