import { ts } from "../ts.js";
import type { TextEdit } from "../../core/finding.js";
import { constantTarget, flatten } from "../evaluate.js";
import { skipOuterExpressions } from "../scope.js";
import { quoted } from "../edit-helpers.js";
import type { UrlPlan } from "../url.js";

// A form POST becomes a GET that carries the same parameters in its query string: the body expression
// is appended to the URL expression after "&" (the URL already has "?api-version=…").

/** Text that evaluates to `a=b&c=d` for a form body, or undefined when its shape is unknown. */
export function formQueryText(body: ts.Expression): string | undefined {
  const node = skipOuterExpressions(body);
  if (ts.isObjectLiteralExpression(node)) return `new URLSearchParams(${body.getText()})`;
  if (isEncodedForm(node)) return body.getText();
  if (ts.isIdentifier(node)) {
    const target = constantTarget(node);
    if (!target) return undefined;
    const inner = skipOuterExpressions(target);
    if (ts.isObjectLiteralExpression(inner)) return `new URLSearchParams(${node.text})`;
    if (isEncodedForm(inner)) return node.text;
  }
  return undefined;
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
  let appended: string;
  if (open) {
    open.text += "&";
    appended = ` + ${query}`;
  } else {
    appended = ` + ${quoted("&", quote)} + ${query}`;
  }
  edits.push({ start: url.end, end: replaceUntil ?? url.end, text: appended });
  return edits;
}
