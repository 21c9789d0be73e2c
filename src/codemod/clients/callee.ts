import { ts } from "../ts.js";
import { lookup, skipOuterExpressions } from "../scope.js";

// Which library a call goes to, from how its callee was imported (ESM import or require) in this file.

export interface Callee {
  /** Module name without a "node:" prefix, or "global". */
  module: string;
  /** "default", "*", or the imported name; for globals the global's name. */
  imported: string;
  /** The member called on the import (`axios.get` → "get"). */
  member?: ts.Identifier | undefined;
}

export function resolveCallee(expression: ts.Expression): Callee | undefined {
  const callee = skipOuterExpressions(expression);
  if (ts.isIdentifier(callee)) return fromIdentifier(callee);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) {
    const owner = skipOuterExpressions(callee.expression);
    if (ts.isIdentifier(owner) && owner.text === "globalThis") return { module: "global", imported: callee.name.text };
    if (!ts.isIdentifier(owner)) return undefined;
    const base = fromIdentifier(owner);
    return base && base.module !== "global" ? { ...base, member: callee.name } : undefined;
  }
  return undefined;
}

function fromIdentifier(identifier: ts.Identifier): Callee | undefined {
  const binding = lookup(identifier.text, identifier);
  if (!binding) return { module: "global", imported: identifier.text };
  if (binding.kind !== "import") return undefined;
  return { module: binding.module.replace(/^node:/, ""), imported: binding.imported };
}

/** The default export (or the CommonJS module object) of `module`. */
export function isModuleObject(callee: Callee, ...modules: string[]): boolean {
  return modules.includes(callee.module) && (callee.imported === "default" || callee.imported === "*");
}

/** The name a call goes by: `f` in `f()`, `m` in `a.b.m()`. */
export function calleeName(expression: ts.Expression): string | undefined {
  const callee = skipOuterExpressions(expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}
