// The text prefilter: one case-insensitive pass over a file's raw bytes decides whether anything can
// match there, before a byte is decoded or parsed. Patterns are regular-expression sources so that a
// number can be required to stand alone (50342 matches, 50342878 does not).

export type Prefilter = (bytes: Buffer) => boolean;

export function createPrefilter(patterns: readonly string[]): Prefilter {
  if (patterns.length === 0) return () => false;
  const combined = new RegExp(patterns.map((p) => `(?:${p})`).join("|"), "i");
  // latin1 maps each byte to one character without validating anything: the cheapest string V8 makes.
  return (bytes) => combined.test(bytes.toString("latin1"));
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A number that is not part of a longer one. */
export function standaloneNumber(n: number | string): string {
  return `(?<![0-9])${escapeRegExp(String(n))}(?![0-9])`;
}

/** A word that is not part of a longer identifier. */
export function standaloneWord(word: string): string {
  return `(?<![A-Za-z0-9_$])${escapeRegExp(word)}(?![A-Za-z0-9_$])`;
}
