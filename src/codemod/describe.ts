import { ts } from "./ts.js";
import { lookup, skipOuterExpressions } from "./scope.js";
import { short } from "./short.js";

// Words for where a value comes from, for the messages of cases left to a person.

export function describeOrigin(expression: ts.Expression): string {
  const node = skipOuterExpressions(expression);
  const text = node.getText();
  if (/\bprocess\s*\.\s*env\b/.test(text) || /\bDeno\s*\.\s*env\b/.test(text))
    return `the environment (${short(text)})`;
  if (ts.isIdentifier(node)) {
    const binding = lookup(node.text, node);
    switch (binding?.kind) {
      case "parameter":
        return `a parameter (${node.text})`;
      case "import":
        return `another module (${node.text} from "${binding.module}")`;
      case "variable":
        return `a variable that can change (${node.text})`;
      default:
        return `a value msi2imds cannot see (${node.text})`;
    }
  }
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
    return `configuration (${short(text)})`;
  return `an expression msi2imds cannot evaluate (${short(text)})`;
}
