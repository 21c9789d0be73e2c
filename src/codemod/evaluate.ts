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
  if (isNewUrl(node) && node.arguments?.length === 2) {
    return resolvedUrl(node.arguments[0]!, node.arguments[1]!, [...via, node], depth + 1) ?? opaque;
  }
  const target = constantTarget(node);
  if (target) return flatten(target, [...via, node], depth + 1);
  return opaque;
}

function isNewUrl(node: ts.Expression): node is ts.NewExpression {
  return ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "URL";
}

const SCHEME = /^[a-z][a-z\d+.-]*:/i;
const AUTHORITY = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i;

/**
 * `new URL(input, base)` as the pieces of the URL it resolves to, when plain concatenation gives it: an
 * absolute input ignores the base, an absolute path keeps the base's origin, a relative path keeps the
 * base up to its path's last "/". Undefined when the resolution depends on an unknown piece.
 */
function resolvedUrl(
  input: ts.Expression,
  base: ts.Expression,
  via: readonly ts.Node[],
  depth: number,
): Segment[] | undefined {
  const path = flatten(input, via, depth);
  const head = path[0];
  if (head?.kind !== "text") return undefined;
  if (SCHEME.test(head.value)) return path;
  // Empty input, "//host", "?query", "#fragment" and dot segments resolve in ways concatenation does not give.
  if (/^($|\/\/|[?#]|\.)/.test(head.value)) return undefined;
  const baseSegments = flatten(base, via, depth);
  const baseText = flatText(baseSegments);
  const authority = AUTHORITY.exec(baseText)?.[0];
  if (authority === undefined) return undefined;
  if (head.value.startsWith("/")) return [...truncate(baseSegments, authority.length), ...path];
  const basePath = /^[^?#]*/.exec(baseText.slice(authority.length))![0];
  const lastSlash = basePath.lastIndexOf("/");
  // An unknown piece could hold a "/", "?" or "#"; a base without a path gains a "/" no literal holds.
  if (basePath.includes(OPAQUE) || lastSlash === -1) return undefined;
  return [...truncate(baseSegments, authority.length + lastSlash + 1), ...path];
}

/** Stands for an unknown piece in flattened text. */
export const OPAQUE = "\u0000";

export function flatText(segments: readonly Segment[]): string {
  return segments.map((s) => (s.kind === "text" ? s.value : OPAQUE)).join("");
}

/** The pieces of the first `length` characters of the flattened text, cutting the text piece that crosses the end. */
function truncate(segments: readonly Segment[], length: number): Segment[] {
  const kept: Segment[] = [];
  let used = 0;
  for (const segment of segments) {
    if (used >= length) break;
    if (segment.kind === "opaque") {
      kept.push(segment);
      used += 1;
      continue;
    }
    const take = Math.min(segment.value.length, length - used);
    kept.push(
      take === segment.value.length
        ? segment
        : { ...segment, value: segment.value.slice(0, take), end: segment.exact ? segment.start + take : segment.end },
    );
    used += take;
  }
  return kept;
}

/** The constant expression an identifier or member access stands for, when the file makes it certain. */
export function constantTarget(node: ts.Expression): ts.Expression | undefined {
  if (ts.isIdentifier(node)) {
    const binding = lookup(node.text, node);
    return binding?.kind === "const" ? binding.initializer : undefined;
  }
  // new URL("…") keeps the text; `.href` and `.toString()` give it back.
  if (isNewUrl(node) && node.arguments?.length === 1) {
    return node.arguments[0];
  }
  if (
    ts.isCallExpression(node) &&
    node.arguments.length === 0 &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === "toString"
  ) {
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
  if (
    ts.isIdentifier(name) ||
    ts.isStringLiteral(name) ||
    ts.isNumericLiteral(name) ||
    ts.isNoSubstitutionTemplateLiteral(name)
  ) {
    return name.text;
  }
  return undefined;
}

function literalSegment(
  node: ts.LiteralLikeNode | ts.TemplateLiteralLikeNode | ts.NumericLiteral,
  via: readonly ts.Node[],
): TextSegment {
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

/** Literals, names, member reads, and Number()/parseInt()/String() of those, joined by operators. */
export function isPure(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (ts.isLiteralExpression(node) || ts.isIdentifier(node) || node.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPropertyAccessExpression(node)) return isPure(node.expression);
  if (ts.isElementAccessExpression(node)) return isPure(node.expression) && isPure(node.argumentExpression);
  if (ts.isBinaryExpression(node)) return isPure(node.left) && isPure(node.right);
  if (ts.isPrefixUnaryExpression(node)) return isPure(node.operand);
  if (ts.isConditionalExpression(node))
    return isPure(node.condition) && isPure(node.whenTrue) && isPure(node.whenFalse);
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression))
    return ["Number", "parseInt", "String"].includes(node.expression.text) && node.arguments.every(isPure);
  return false;
}
