// A string node's value as written between its quotes, for comparing with a name: prefixes (f, r, b, @, $)
// and delimiters ("…", '…', `…`, """…""", '''…''') removed, escapes and interpolations left as they are.

const QUOTED = /^[A-Za-z@$]{0,3}("""|'''|["'`])([\s\S]*)\1$/;

export function stringValue(literal: string): string {
  return QUOTED.exec(literal)?.[2] ?? literal;
}
