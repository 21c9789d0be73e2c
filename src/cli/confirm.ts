import { createInterface } from "node:readline/promises";

// The y/N question asked on a terminal when --yes was not given. Anything but y/yes means no, and so do
// Ctrl-C and Ctrl-D: a paused prompt must never let the process drift to exit 0.

export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const cancelled = new AbortController();
  rl.on("SIGINT", () => cancelled.abort());
  rl.on("close", () => cancelled.abort());
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: cancelled.signal });
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch (error) {
    if (cancelled.signal.aborted) return false;
    throw error;
  } finally {
    rl.close();
  }
}
