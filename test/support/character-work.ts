// Work measured by counting, not by the clock: while `run` runs, the characters that String and RegExp
// methods read are added up (a slice: its length; indexOf and lastIndexOf: the stretch searched; a regular
// expression: the stretch from where it starts to where it stops, the whole string when it is not global,
// and String's match, replace, split and RegExp's test all go through exec). Code that looks at a whole
// line for each match on it shows here as work that grows with the square of the input, on any machine.

type Restore = () => void;

/** One call of a patched method: what it returned, its arguments, its receiver, a RegExp's lastIndex before. */
interface Call {
  result: unknown;
  args: unknown[];
  self: unknown;
  lastIndexBefore: number;
}

export async function characterWork(run: () => unknown): Promise<number> {
  let work = 0;
  let counting = false;
  /** Adds `count(call)` for each call of the method; calls made while counting are not counted. */
  const patch = (owner: object, name: string, count: (call: Call) => number): Restore => {
    const methods = owner as Record<string, (...args: unknown[]) => unknown>;
    const original = methods[name]!;
    methods[name] = function (this: unknown, ...args: unknown[]) {
      const lastIndexBefore = this instanceof RegExp ? this.lastIndex : 0;
      const result = original.apply(this, args);
      if (!counting) {
        counting = true;
        try {
          work += count({ result, args, self: this, lastIndexBefore });
        } finally {
          counting = false;
        }
      }
      return result;
    };
    return () => {
      methods[name] = original;
    };
  };
  const length = (value: unknown) => String(value).length;
  const restores = [
    patch(String.prototype, "slice", ({ result }) => length(result)),
    patch(String.prototype, "substring", ({ result }) => length(result)),
    patch(String.prototype, "includes", ({ self }) => length(self)),
    patch(String.prototype, "indexOf", ({ result, args, self }) => {
      const from = Math.max(0, Number(args[1] ?? 0));
      return (result === -1 ? length(self) : Number(result) + length(args[0])) - from;
    }),
    patch(String.prototype, "lastIndexOf", ({ result, args, self }) => {
      const from = Math.min(length(self), Number(args[1] ?? length(self)));
      return from - Math.max(0, Number(result)) + 1;
    }),
    patch(RegExp.prototype, "exec", ({ result, args, self, lastIndexBefore }) => {
      const pattern = self as RegExp;
      if (!pattern.global && !pattern.sticky) return length(args[0]);
      const match = result as RegExpExecArray | null;
      return (match ? match.index + match[0].length : length(args[0])) - lastIndexBefore + 1;
    }),
  ];
  try {
    await run();
  } finally {
    for (const restore of restores) restore();
  }
  return work;
}

/**
 * How the work grows from input size n to 2n: about 2 when it is linear, about 4 when it grows with the
 * square. Both sizes are measured after one warm-up run, so nothing paid once (a first compile, a lazy
 * table) counts against the smaller size.
 */
export async function growthWhenDoubled(runWithSize: (n: number) => unknown, n: number): Promise<number> {
  await characterWork(() => runWithSize(n));
  const single = await characterWork(() => runWithSize(n));
  const double = await characterWork(() => runWithSize(2 * n));
  return double / single;
}
