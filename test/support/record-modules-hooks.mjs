// The resolve hook behind record-modules.mjs. Hooks run on their own thread in Node 20, so each URL is
// appended to the file at once, synchronously, rather than sent back.
import { appendFileSync } from "node:fs";

let out;

export function initialize(data) {
  out = data.out;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(out, `${resolved.url}\n`);
  return resolved;
}
