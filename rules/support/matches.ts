// Small helpers every text rule uses.

/** Every match of a global regular expression, as offsets. */
export function* matches(text: string, pattern: RegExp): Generator<RegExpExecArray> {
  const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  global.lastIndex = 0;
  for (let m = global.exec(text); m !== null; m = global.exec(text)) {
    yield m;
    if (m[0] === "") global.lastIndex++;
  }
}
