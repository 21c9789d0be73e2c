import { ts } from "./ts.js";
import { classProperty, enclosingClass, lookup, skipOuterExpressions } from "./scope.js";

// Simple constant evaluation within one file: an expression becomes a list of text pieces (each tied to
// the literal it was written in) and opaque pieces (anything whose value is not known here).

export interface TextSegment {
  kind: "text";
  value: string;
  /** The literal that holds the text. */
  node: ts.Node;
  /** Source offsets of the text inside the literal (quotes and `${`/`}` excluded). */
  start: number;
  end: number;
  /** The source spells the value without escapes, so offsets map one to one. */
  exact: boolean;
  /** The identifiers or member accesses followed to reach the literal, outermost first. */
  via: readonly ts.Node[];
}

export interface OpaqueSegment {
  kind: "opaque";
  node: ts.Expression;
  via: readonly ts.Node[];
}

export type Segment = TextSegment | OpaqueSegment;

const MAX_DEPTH = 12;

export function flatten(expression: ts.Expression, via: readonly ts.Node[] = [], depth = 0): Segment[] {
  const node = skipOuterExpressions(expression);
  const opaque: Segment[] = [{ kind: "opaque", node: expression, via }];
  if (depth > MAX_DEPTH) return opaque;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) {
    return [literalSegment(node, via)];
  }
  if (ts.isTemplateExpression(node)) {
    const segments: Segment[] = [literalSegment(node.head, via)];
    for (const span of node.templateSpans) {
      segments.push(...flatten(span.expression, via, depth + 1), literalSegment(span.literal, via));
    }
    return segments.filter((s) => s.kind !== "text" || s.value !== "");
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return [...flatten(node.left, via, depth + 1), ...flatten(node.right, via, depth + 1)];
  }
  const target = constantTarget(node);
  if (target) return flatten(target, [...via, node], depth + 1);
  return opaque;
}

/** The constant expression an identifier or member access stands for, when the file makes it certain. */
export function constantTarget(node: ts.Expression): ts.Expression | undefined {
  if (ts.isIdentifier(node)) {
    const binding = lookup(node.text, node);
    return binding?.kind === "const" ? binding.initializer : undefined;
  }
  // new URL("…") keeps the text; `.href` and `.toString()` give it back.
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "URL" && node.arguments?.length === 1) {
    return node.arguments[0];
  }
  if (ts.isCallExpression(node) && node.arguments.length === 0 && ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === "toString") {
    return node.expression.expression;
  }
  if (!ts.isPropertyAccessExpression(node)) return undefined;
  const member = node.name.text;
  if (member === "href") return node.expression;
  const owner = skipOuterExpressions(node.expression);
  if (owner.kind === ts.SyntaxKind.ThisKeyword) {
    const declaration = enclosingClass(node);
    return declaration ? classProperty(declaration, member, false) : undefined;
  }
  if (!ts.isIdentifier(owner)) return undefined;
  const binding = lookup(owner.text, owner);
  if (binding?.kind === "class") return classProperty(binding.declaration, member, true);
  if (binding?.kind === "const" && binding.initializer) {
    const object = skipOuterExpressions(binding.initializer);
    if (ts.isObjectLiteralExpression(object)) {
      const property = object.properties.find((p) => ts.isPropertyAssignment(p) && propertyName(p.name) === member);
      return property && ts.isPropertyAssignment(property) ? property.initializer : undefined;
    }
  }
  return undefined;
}

export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) {
    return name.text;
  }
  return undefined;
}

function literalSegment(node: ts.LiteralLikeNode | ts.TemplateLiteralLikeNode | ts.NumericLiteral, via: readonly ts.Node[]): TextSegment {
  const file = node.getSourceFile();
  let start = node.getStart(file);
  let end = node.end;
  if (!ts.isNumericLiteral(node)) {
    start += 1;
    end -= ts.isTemplateHead(node) || ts.isTemplateMiddle(node) ? 2 : 1;
  }
  return { kind: "text", value: node.text, node, start, end, exact: file.text.slice(start, end) === node.text, via };
}

/** The value when every piece is known. */
export function constantValue(segments: readonly Segment[]): string | undefined {
  let value = "";
  for (const segment of segments) {
    if (segment.kind === "opaque") return undefined;
    value += segment.value;
  }
  return value;
}
