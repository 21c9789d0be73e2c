import { ts } from "../ts.js";
import type { TextEdit } from "../../core/finding.js";
import { FORBIDDEN_IMDS_HEADER, METADATA_HEADER_NAME, METADATA_HEADER_VALUE } from "../../imds.js";
import { flatten } from "../evaluate.js";
import { FORWARDED_FOR_REMOVED } from "../findings.js";
import { ownLines, quoted, replaceNode, stringValue } from "../edit-helpers.js";
import { planUrl } from "../url.js";
import { planHeaders } from "./headers.js";
import type { CallOutcome, CodemodContext } from "./types.js";

// superagent builds a request through a chain: `.get(url).set(…).query(…)`, or for a form
// `.post(url).type("form").send({…})`. The form becomes `.query({…})` on a `.get`; superagent appends
// it to the URL's query after "&".

interface Link {
  name: ts.Identifier;
  call: ts.CallExpression;
}

export function planSuperagent(
  call: ts.CallExpression,
  verb: ts.Identifier,
  context: CodemodContext,
): CallOutcome | undefined {
  const url = call.arguments[0];
  if (!url) return undefined;
  const plan = planUrl(flatten(url), context.settings);
  const client = "superagent";
  if (plan.kind === "none") return undefined;
  if (plan.kind === "review") return { kind: "review", client, reason: plan.reason, literals: plan.literals };
  const review = (reason: string): CallOutcome => ({ kind: "review", client, reason, literals: plan.literals });
  if (!/^(get|post)$/.test(verb.text)) return review(`it sends ${verb.text.toUpperCase()}, which IMDS does not answer`);

  const links = chainOf(call);
  const edits: TextEdit[] = [...plan.edits];
  const notes: string[] = [];
  let hasMetadata = false;
  for (const link of links) {
    const [first, second] = link.call.arguments;
    const name = link.name.text;
    if (name === "set" && first && ts.isObjectLiteralExpression(first)) {
      // `.set({ … })`: the headers as any options object holds them (Metadata added there if missing).
      const headerPlan = planHeaders(first, context, verb.text === "post");
      if ("review" in headerPlan) return review(headerPlan.review);
      edits.push(...headerPlan.edits);
      notes.push(...headerPlan.notes);
      hasMetadata = true;
    } else if (name === "set") {
      const header = stringValue(first)?.toLowerCase();
      if (header === METADATA_HEADER_NAME.toLowerCase()) hasMetadata = true;
      if (header === FORBIDDEN_IMDS_HEADER.toLowerCase()) {
        edits.push(removeLink(link));
        notes.push(FORWARDED_FOR_REMOVED);
      }
      if (header === "content-type" && /x-www-form-urlencoded/i.test(stringValue(second) ?? ""))
        edits.push(removeLink(link));
    }
    if (
      verb.text === "post" &&
      name === "type" &&
      /^(form|application\/x-www-form-urlencoded)$/i.test(stringValue(first) ?? "")
    )
      edits.push(removeLink(link));
    if (verb.text === "post" && name === "send") edits.push(replaceNode(link.name, "query"));
  }
  if (verb.text === "post") {
    edits.push(replaceNode(verb, "get"));
    notes.push("form POST becomes a GET with the same parameters in the query");
  }
  if (!hasMetadata) {
    edits.push({
      start: call.end,
      end: call.end,
      text: `.set(${quoted(METADATA_HEADER_NAME, context.quote)}, ${quoted(METADATA_HEADER_VALUE, context.quote)})`,
    });
    notes.push("Metadata: true added");
  }
  return {
    kind: "rewrite",
    client,
    host: plan.host,
    port: plan.port,
    edits,
    notes,
    remarks: [],
    literals: plan.literals,
    constants: plan.constants,
  };
}

/** `.name(args)` calls chained on `call`, innermost first. */
function chainOf(call: ts.CallExpression): Link[] {
  const links: Link[] = [];
  let current: ts.Expression = call;
  while (
    ts.isPropertyAccessExpression(current.parent) &&
    current.parent.expression === current &&
    ts.isCallExpression(current.parent.parent)
  ) {
    const access = current.parent;
    const next = access.parent as ts.CallExpression;
    if (next.expression !== access || !ts.isIdentifier(access.name)) break;
    links.push({ name: access.name, call: next });
    current = next;
  }
  return links;
}

/**
 * Removes `.name(…)`: the whole line where it has one of its own (a comment after it goes too), else with the
 * line break or spaces before its dot.
 */
function removeLink(link: Link): TextEdit {
  const access = link.call.expression as ts.PropertyAccessExpression;
  const text = link.call.getSourceFile().text;
  const lines = ownLines(text, text.lastIndexOf(".", access.name.getStart()), link.call.end);
  return { ...(lines ?? { start: access.expression.end, end: link.call.end }), text: "" };
}
