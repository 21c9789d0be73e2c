// Offsets to 1-based line/column, computed once per file text.
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    const index = this.lineIndexAt(offset);
    return { line: index + 1, column: offset - this.starts[index]! + 1 };
  }

  /** The line holding `offset`, from its first character to its line break (a CR before the LF left out). */
  spanAt(offset: number): { start: number; end: number } {
    const index = this.lineIndexAt(offset);
    const next = this.starts[index + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return { start: this.starts[index]!, end: end > 0 && this.text.charCodeAt(end - 1) === 13 ? end - 1 : end };
  }

  private lineIndexAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  range(path: string, start: number, end: number) {
    const s = this.position(start);
    const e = this.position(end);
    return { path, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  }

  /** The offset of a 1-based line/column (clamped to the text): the inverse of position(). */
  offset(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1]!;
    return Math.min(start + Math.max(column, 1) - 1, this.text.length);
  }

  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const next = this.starts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, "");
  }
}
