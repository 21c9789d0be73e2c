import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import type { Located, Outcome } from "../../findings.js";
import { short } from "../../short.js";
import type { ScriptContext, ScriptPlan } from "../context.js";
import { unwrittenReason, urlEdit, type UrlOccurrence } from "../extension-url.js";
import { fieldOf, innermost, lineAt, namedChildren, textOf } from "../nodes.js";
import { planClientCall } from "./clients.js";
import { readModule, type Binding, type PythonModule } from "./module.js";

// Python: each extension URL is followed from its string to where it is used. A string passed straight to
// a client call, or a module or function constant whose every use is one, is rewritten with that call;
// anything else goes to a person with the reason.

/** Where a URL goes into a call: the argument holding it, the edits that make it the IMDS URL. */
export interface UrlArgument {
  expression: ConcreteNode;
  edits: TextEdit[];
  occurrence: UrlOccurrence;
}

export function planPython(context: ScriptContext, urls: readonly UrlOccurrence[]): ScriptPlan {
  const module = readModule(context.root, context.text);
  const sites: Located[] = [];
  const review = (node: ConcreteNode, reason: string) =>
    sites.push({ start: node.start, end: node.end, outcome: { kind: "review", client: "Python", reason } });
  for (const occurrence of urls) {
    if (occurrence.kind === "connection") {
      const { start, end } = occurrence;
      sites.push({
        start,
        end,
        outcome: { kind: "review", client: "http.client", reason: unwrittenReason(occurrence) },
      });
      continue;
    }
    const literal = innermost(context.root, occurrence.start, occurrence.end, (node) => node.type === "string");
    if (!literal || isDocstring(literal)) continue; // comments and documentation
    const content = literal.children.find((child) => child.type === "string_start")!.end;
    if (occurrence.start !== content) {
      review(literal, "the URL is part of a longer text, not a URL of its own");
      continue;
    }
    if (/b/i.test(textOf(context.text, literal.children[0]!))) {
      review(literal, "the URL is a bytes literal");
      continue;
    }
    if (occurrence.kind !== "literal") {
      review(expressionOf(literal).expression, unwrittenReason(occurrence));
      continue;
    }
    const { expression, tail } = expressionOf(literal);
    const edits = joinQuery(context, occurrence, literal, tail);
    if (typeof edits === "string") {
      review(expression, edits);
      continue;
    }
    sites.push(...followUrl(module, context, { expression, edits, occurrence }, literal));
  }
  return { sites };
}

/** Where the URL goes from its expression: a call, a constant, or somewhere msi2imds does not follow. */
function followUrl(module: PythonModule, context: ScriptContext, url: UrlArgument, literal: ConcreteNode): Located[] {
  const { expression } = url;
  const parent = expression.parent!;
  const at = (node: ConcreteNode, outcome: Outcome): Located => ({ start: node.start, end: node.end, outcome });
  const review = (node: ConcreteNode, reason: string) => [at(node, { kind: "review", client: "Python", reason })];
  const call = callTaking(expression);
  if (call) return [at(call, planClientCall(module, context, call, url))];
  if (parent.type === "assignment" && expression.field === "right") {
    const target = fieldOf(parent, "left")!;
    if (target.type !== "identifier")
      return review(literal, `it is stored in ${textOf(context.text, target)}, which msi2imds does not follow`);
    return followConstant(module, context, url, module.bindingOf(textOf(context.text, target), target)!, literal);
  }
  return review(literal, whereItGoes(context.text, expression));
}

/** A constant holding the URL is rewritten where it is defined only if every read of it is rewritten too. */
function followConstant(
  module: PythonModule,
  context: ScriptContext,
  url: UrlArgument,
  binding: Binding,
  literal: ConcreteNode,
): Located[] {
  const review = (node: ConcreteNode, reason: string): Located => ({
    start: node.start,
    end: node.end,
    outcome: { kind: "review", client: "Python", reason },
  });
  if (binding.values.length > 1 || binding.values[0] === undefined)
    return [review(literal, `${binding.name} is assigned more than once`)];
  const reads = module.readsOf(binding);
  if (reads.length === 0 && new RegExp(`\\.${binding.name}\\b`).test(context.text))
    return [
      review(
        literal,
        `${binding.name} is read as an attribute (self.${binding.name}?), which msi2imds does not follow`,
      ),
    ];
  if (reads.length === 0)
    return [
      review(
        literal,
        `the constant ${binding.name} is not used in this module: it is read elsewhere, where msi2imds cannot follow`,
      ),
    ];
  const rewritten: Located[] = [];
  const others: Located[] = [];
  let stray: ConcreteNode | undefined;
  for (const read of reads) {
    const { expression, tail } = expressionOf(read);
    const tailEdits = joinQuery(context, url.occurrence, undefined, tail);
    const call = callTaking(expression);
    stray ??= call && typeof tailEdits !== "string" ? undefined : read;
    if (!call) continue;
    if (typeof tailEdits === "string") {
      others.push(review(call, tailEdits));
      continue;
    }
    const outcome = planClientCall(module, context, call, { ...url, expression, edits: [...url.edits, ...tailEdits] });
    if (outcome.kind === "rewrite") rewritten.push({ start: call.start, end: call.end, outcome });
    else {
      stray ??= read;
      others.push({ start: call.start, end: call.end, outcome });
    }
  }
  if (!stray) return rewritten;
  // Calls that could be rewritten wait for the others; those that cannot say why, unless one that can exists.
  if (rewritten.length === 0) {
    if (others.length > 0) return others;
    const line = lineAt(context.text, stray.start);
    return [review(literal, `the constant ${binding.name} is used on line ${line}, not passed to an HTTP client`)];
  }
  const reason =
    `the constant ${binding.name} holding the URL is also used on line ${lineAt(context.text, stray.start)}, ` +
    `where msi2imds cannot rewrite it`;
  return rewritten.map((site) => ({ ...site, outcome: reviewOf(site, reason) }));
}

function reviewOf(site: Located, reason: string): Outcome {
  return { kind: "review", client: site.outcome.client, reason };
}

/** The call whose argument (positional or keyword) the expression is. */
function callTaking(expression: ConcreteNode): ConcreteNode | undefined {
  const parent = expression.parent!;
  if (parent.type === "argument_list") return parent.parent;
  if (parent.type === "keyword_argument" && parent.parent?.type === "argument_list") return parent.parent.parent;
  return undefined;
}

/**
 * The whole expression a URL string (or a name holding one) is part of, and what is joined on right after
 * it: `"…/token?resource=" + r`, `"…{}".format(x)`, `"…%s" % x`, parentheses.
 */
function expressionOf(node: ConcreteNode): { expression: ConcreteNode; tail: ConcreteNode | undefined } {
  let expression = node.parent?.type === "concatenated_string" ? node.parent : node;
  let tail: ConcreteNode | undefined;
  for (;;) {
    const parent = expression.parent!;
    if (parent.type === "parenthesized_expression") expression = parent;
    else if (parent.type === "binary_operator" && expression.field === "left") {
      const operator = parent.children.find((child) => child.field === "operator")!.type;
      if (operator !== "+" && operator !== "%") break;
      if (operator === "+") tail ??= fieldOf(parent, "right");
      expression = parent;
    } else if (parent.type === "attribute" && parent.parent?.type === "call" && expression.field === "object") {
      expression = parent.parent;
    } else break;
  }
  return { expression, tail };
}

/**
 * The edits that put api-version first in the query: the URL itself, and a "?" that starts the query in the
 * string joined on after it, which becomes "&". A reason instead when what is joined on cannot be read.
 */
function joinQuery(
  context: ScriptContext,
  occurrence: UrlOccurrence,
  literal: ConcreteNode | undefined,
  tail: ConcreteNode | undefined,
): TextEdit[] | string {
  const own = literal ? [urlEdit(occurrence, context.settings.apiVersion)] : [];
  const endsWithUrl =
    !occurrence.query &&
    (literal === undefined || occurrence.end === literal.children.find((c) => c.type === "string_end")!.start);
  if (!endsWithUrl || !tail) return own;
  const first = tail.type === "string" ? tail : tail.type === "binary_operator" ? fieldOf(tail, "left") : undefined;
  const content = first?.type === "string" ? first.children.find((c) => c.type === "string_start")!.end : -1;
  if (content === -1) return `the query is joined on from ${short(textOf(context.text, tail))}`;
  if (context.text[content] !== "?") return "something other than a query is joined on to the URL";
  return [...own, { start: content, end: content + 1, text: "&" }];
}

function isDocstring(literal: ConcreteNode): boolean {
  return literal.parent?.type === "expression_statement" && namedChildren(literal.parent).length === 1;
}

function whereItGoes(text: string, expression: ConcreteNode): string {
  const parent = expression.parent!;
  if (parent.type === "argument_list" || parent.type === "keyword_argument") {
    const call = callTaking(expression);
    const callee = call && fieldOf(call, "function");
    if (callee) return `it is passed to ${short(textOf(text, callee), 40)}, a client msi2imds does not know`;
  }
  return "it is not passed straight to an HTTP client msi2imds knows";
}
