import { ts } from "./ts.js";
import { lookup, skipOuterExpressions } from "./scope.js";

// Reads of the environment, told from names that merely look like them: `process.env.MSI_ENDPOINT`,
// `process.env["MSI_ENDPOINT"]`, `const { MSI_ENDPOINT } = process.env` (also through `env` imported from
// node:process or a constant holding process.env) are reads; a constant the code named MSI_ENDPOINT is not.

/** Whether `node` reads the variable `name` from the environment. */
export function readsEnvironment(node: ts.Node, name: string): boolean {
  if (ts.isPropertyAccessExpression(node)) return node.name.text === name && isProcessEnv(node.expression);
  if (ts.isElementAccessExpression(node)) {
    const key = node.argumentExpression;
    return ts.isStringLiteralLike(key) && key.text === name && isProcessEnv(node.expression);
  }
  if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
    const key = node.propertyName ?? node.name;
    const declaration = node.parent.parent;
    return (
      (ts.isIdentifier(key) || ts.isStringLiteralLike(key)) &&
      key.text === name &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer !== undefined &&
      isProcessEnv(declaration.initializer)
    );
  }
  return false;
}

function isProcessEnv(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isPropertyAccessExpression(node)) {
    if (node.name.text !== "env") return false;
    const owner = skipOuterExpressions(node.expression);
    return (
      (ts.isIdentifier(owner) && owner.text === "process") ||
      (ts.isPropertyAccessExpression(owner) &&
        owner.name.text === "process" &&
        ts.isIdentifier(owner.expression) &&
        owner.expression.text === "globalThis")
    );
  }
  if (!ts.isIdentifier(node)) return false;
  const binding = lookup(node.text, node);
  if (binding?.kind === "import") return /^(node:)?process$/.test(binding.module) && binding.imported === "env";
  return binding?.kind === "const" && binding.initializer !== undefined && isProcessEnv(binding.initializer);
}
