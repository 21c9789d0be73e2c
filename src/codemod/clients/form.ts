import { ts } from "../ts.js";
import type { TextEdit } from "../../core/finding.js";
import { constantTarget, flatten } from "../evaluate.js";
import { lookup, referencesTo, skipOuterExpressions } from "../scope.js";
import { quoted } from "../edit-helpers.js";
import type { UrlPlan } from "../url.js";

// A form POST becomes a GET that carries the same parameters in its query string: the body expression
// is appended to the URL expression after "&" (the URL already has "?api-version=…").

/**
 * Text that evaluates to `a=b&c=d` for a form body, or undefined when its shape is unknown. `sentAt` is where
 * the request is made: a form variable must be complete there.
 */
export function formQueryText(body: ts.Expression, sentAt: number): string | undefined {
  const node = skipOuterExpressions(body);
  if (ts.isObjectLiteralExpression(node)) return `new URLSearchParams(${body.getText()})`;
  if (isEncodedForm(node)) return body.getText();
  if (ts.isIdentifier(node)) {
    const binding = lookup(node.text, node);
    if (binding?.kind === "variable") return isFormVariable(binding.declaration, sentAt) ? node.text : undefined;
    const target = constantTarget(node);
    if (!target) return undefined;
    const inner = skipOuterExpressions(target);
    if (ts.isObjectLiteralExpression(inner)) return `new URLSearchParams(${node.text})`;
    if (isEncodedForm(inner)) return node.text;
  }
  return undefined;
}

/**
 * A form built over several statements: `let form = "resource=" + …`, then only `form += "&client_id=" + …`
 * (or `form = form + "&…"`), every one of them before the request is sent.
 */
function isFormVariable(declaration: ts.VariableDeclaration, sentAt: number): boolean {
  const initializer = declaration.initializer;
  if (!initializer || !isEncodedForm(skipOuterExpressions(initializer))) return false;
  return referencesTo(declaration).every((reference) => {
    const write = writeOf(reference);
    if (write === "none") return true;
    return write !== undefined && write.getStart() < sentAt && startsWithParameter(write);
  });
}

/** What a reference writes: "none" for a read, the appended text for `x += …`/`x = x + …`, else undefined. */
function writeOf(reference: ts.Identifier): ts.Expression | "none" | undefined {
  let node: ts.Node = reference;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) {
    const operator = parent.operator;
    return operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken ? undefined : "none";
  }
  if (!ts.isBinaryExpression(parent) || parent.left !== node) return isAssignmentTarget(node) ? undefined : "none";
  const operator = parent.operatorToken.kind;
  if (operator === ts.SyntaxKind.PlusEqualsToken) return parent.right;
  if (operator !== ts.SyntaxKind.EqualsToken) {
    return operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment ? undefined : "none";
  }
  const right = skipOuterExpressions(parent.right);
  return ts.isBinaryExpression(right) &&
    right.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    ts.isIdentifier(skipOuterExpressions(right.left)) &&
    (skipOuterExpressions(right.left) as ts.Identifier).text === reference.text
    ? right.right
    : undefined;
}

/** A destructuring assignment (`({ form } = x)`, `[form] = x`) or a for-of/in head writes it too. */
function isAssignmentTarget(node: ts.Node): boolean {
  let top = node;
  while (
    ts.isShorthandPropertyAssignment(top.parent) ||
    ts.isPropertyAssignment(top.parent) ||
    ts.isSpreadElement(top.parent) ||
    ts.isSpreadAssignment(top.parent) ||
    ts.isObjectLiteralExpression(top.parent) ||
    ts.isArrayLiteralExpression(top.parent)
  ) {
    top = top.parent;
  }
  const parent = top.parent;
  if ((ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && parent.initializer === top) return true;
  return (
    top !== node &&
    ts.isBinaryExpression(parent) &&
    parent.left === top &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
  );
}

/** `"&client_id=" + …`: the appended text starts a new parameter. */
function startsWithParameter(appended: ts.Expression): boolean {
  const first = flatten(appended)[0];
  return first?.kind === "text" && /^&[A-Za-z_][\w-]*=/.test(first.value);
}

function isEncodedForm(node: ts.Expression): boolean {
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "URLSearchParams")
    return true;
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : "";
    const json = ts.isPropertyAccessExpression(callee) && callee.expression.getText() === "JSON";
    return !json && (name === "stringify" || name === "toString");
  }
  // A string expression that starts with a literal "name=…".
  const first = flatten(node)[0];
  return first?.kind === "text" && /^[A-Za-z_][\w-]*=/.test(first.value);
}

/**
 * The edit that appends `query` to the URL expression. When the URL ends in a literal written at the call,
 * the "&" joins that literal; `replaceUntil` also swallows source up to that offset (an argument that moved).
 * A query that starts with a literal is not left as a second literal beside the first: `"…&resource=" + x`,
 * not `"…&" + "resource=" + x`.
 */
export function appendToUrl(
  url: ts.Expression,
  plan: Extract<UrlPlan, { kind: "rewrite" }>,
  query: string,
  quote: string,
  replaceUntil?: number,
): TextEdit[] {
  const edits = plan.edits.map((e) => ({ ...e }));
  const open = plan.openEnd ? edits[plan.edits.indexOf(plan.openEnd)] : undefined;
  const lead = leadingLiteral(query);
  let appended: string;
  if (open) {
    const openQuote = url.getSourceFile().text[open.end]!;
    open.text += "&";
    if (lead && (lead.quote === openQuote || !/["'`\\$]/.test(lead.inner))) {
      open.text += lead.inner;
      appended = lead.rest === undefined ? "" : ` + ${lead.rest}`;
    } else appended = ` + ${query}`;
  } else if (lead) {
    appended = ` + ${lead.quote}&${lead.inner}${lead.quote}${lead.rest === undefined ? "" : ` + ${lead.rest}`}`;
  } else {
    appended = ` + ${quoted("&", quote)} + ${query}`;
  }
  edits.push({ start: url.end, end: replaceUntil ?? url.end, text: appended });
  return edits;
}

/** `"resource=" + x` → the literal's quote and inner text, and what is added to it. */
function leadingLiteral(text: string): { quote: string; inner: string; rest: string | undefined } | undefined {
  const match = /^(["'])((?:\\.|(?!\1)[^\\\r\n])*)\1(?:\s*\+\s*([\s\S]+))?$/.exec(text);
  if (!match) return undefined;
  return { quote: match[1]!, inner: match[2]!, rest: match[3] };
}
