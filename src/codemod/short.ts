// Code quoted in a message: on one line, cut at `max` characters. Apart from describe.ts, which loads
// TypeScript: the script rewrites quote code too and must not load it.

export function short(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
