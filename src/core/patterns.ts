// Pieces of the regular expressions rules build their prefilters and checks from.

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
