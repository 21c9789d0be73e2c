import { ts } from "../ts.js";
import { lookup, skipOuterExpressions } from "../scope.js";
import { constantTarget } from "../evaluate.js";
import { objectLiteralOf } from "../edit-helpers.js";

// Which library a call goes to, from how its callee was imported (ESM import or require) in this file.

export interface Callee {
  /** Module name without a "node:" prefix, or "global". */
  module: string;
  /** "default", "*", or the imported name; for globals the global's name. */
  imported: string;
  /** The member called on the import (`axios.get` → "get"). */
  member?: ts.Identifier | undefined;
  /** Called on an instance with its own defaults: `const msi = axios.create({ baseURL })`, `got.extend(…)`. */
  instance?: Instance | undefined;
}

export interface Instance {
  declaration: ts.VariableDeclaration;
  /** The defaults given to create/extend. */
  config: ts.ObjectLiteralExpression;
}

/** How each client makes an instance with defaults; the instance is called as the client is. */
const FACTORIES: Readonly<Record<string, string>> = { axios: "create", got: "extend" };

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
  if (binding.kind === "const" && binding.initializer) return instanceCallee(binding.declaration, binding.initializer);
  if (binding.kind !== "import") return undefined;
  return { module: binding.module.replace(/^node:/, ""), imported: binding.imported };
}

function instanceCallee(declaration: ts.VariableDeclaration, initializer: ts.Expression): Callee | undefined {
  const made = skipOuterExpressions(initializer);
  if (!ts.isCallExpression(made) || !ts.isPropertyAccessExpression(skipOuterExpressions(made.expression)))
    return undefined;
  const factory = resolveCallee(made.expression);
  if (!factory?.member || factory.instance || !isModuleObject(factory, ...Object.keys(FACTORIES))) return undefined;
  if (FACTORIES[factory.module] !== factory.member.text) return undefined;
  const config = objectLiteralOf(made.arguments[0], constantTarget);
  if (!config) return undefined;
  return { module: factory.module, imported: factory.imported, instance: { declaration, config } };
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
