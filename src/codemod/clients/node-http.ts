import { ts } from "../ts.js";
import type { TextEdit } from "../../core/finding.js";
import { IMDS_HOST, isExtensionHost } from "../../imds.js";
import { describeOrigin } from "../describe.js";
import { constantTarget, constantValue, flatten } from "../evaluate.js";
import {
  findProperty,
  insertFirstProperty,
  objectLiteralOf,
  propertyValue,
  quoted,
  replaceNode,
  stringValue,
} from "../edit-helpers.js";
import { planUrl, type UrlPlan } from "../url.js";
import { headersPropertyText, planHeaders } from "./headers.js";
import { appendToUrl } from "./form.js";
import { streamedForm } from "./request-stream.js";
import type { CallOutcome, CodemodContext } from "./types.js";

// node:http / node:https `request` and `get`, with a URL string or an options object whose host/hostname,
// port and path together make the URL. A POST writes its form to the request stream (request-stream.ts):
// the form moves into the query, the write goes, and the request becomes a GET.

export function planNodeHttp(
  call: ts.CallExpression,
  client: string,
  context: CodemodContext,
): CallOutcome | undefined {
  const [first, second] = call.arguments;
  if (!first) return undefined;
  const asOptions = objectLiteralOf(first, constantTarget);
  if (asOptions) return planOptionsObject(call, client, asOptions, context);
  const plan = planUrl(flatten(first), context.settings);
  const options = second && !ts.isFunctionLike(second) ? objectLiteralOf(second, constantTarget) : undefined;
  if (second && !ts.isFunctionLike(second) && !options) {
    return finish(client, plan, () => ({
      review: `its options (${second.getText()}) are built where msi2imds cannot check them`,
    }));
  }
  return finish(client, plan, (rewrite) => {
    if (!options)
      return {
        edits: [{ start: first.end, end: first.end, text: `, { ${headersPropertyText(context.quote)} }` }],
        notes: ["Metadata: true added"],
      };
    return methodAndHeaders(options, context, { call, url: first, plan: rewrite });
  });
}

function planOptionsObject(
  call: ts.CallExpression,
  client: string,
  options: ts.ObjectLiteralExpression,
  context: CodemodContext,
): CallOutcome | undefined {
  const path = findProperty(options, "path");
  const host = findProperty(options, "hostname") ?? findProperty(options, "host");
  const port = findProperty(options, "port");
  if (!path || !host || !port) return undefined;
  const plan = planUrl(flatten(propertyValue(path)), context.settings, "path");
  if (plan.kind === "none") return undefined;
  const hostValue = constantValue(flatten(propertyValue(host)));
  const portValue = constantValue(flatten(propertyValue(port)));
  if (hostValue !== undefined && !isExtensionHost(hostValue)) return undefined;
  if (portValue !== undefined && !context.settings.ports.includes(Number(portValue))) return undefined;
  if (hostValue === undefined && portValue === undefined) return undefined;
  const opaque =
    hostValue === undefined
      ? (["host", host] as const)
      : portValue === undefined
        ? (["port", port] as const)
        : undefined;
  return finish(client, plan, (rewrite) => {
    if (opaque) return { review: `its ${opaque[0]} comes from ${describeOrigin(propertyValue(opaque[1]))}` };
    const located = methodAndHeaders(options, context, { call, url: propertyValue(path), plan: rewrite });
    if ("review" in located) return located;
    const edits: TextEdit[] = [
      replaceNode(propertyValue(host), quoted(IMDS_HOST, context.quote)),
      replaceNode(propertyValue(port), "80"),
      ...located.edits,
    ];
    return { ...located, edits, host: hostValue!.toLowerCase(), port: Number(portValue) };
  });
}

type Step =
  | {
      edits: TextEdit[];
      notes: string[];
      host?: string;
      port?: number;
      /** In place of the URL plan's own edits, when the URL also takes the form. */
      urlEdits?: TextEdit[];
    }
  | { review: string };

type RewritePlan = Extract<UrlPlan, { kind: "rewrite" }>;

/** Where the request is made and where its URL (or path) is written. */
interface Request {
  call: ts.CallExpression;
  url: ts.Expression;
  plan: RewritePlan;
}

function methodAndHeaders(options: ts.ObjectLiteralExpression, context: CodemodContext, request: Request): Step {
  const method = findProperty(options, "method");
  const verb = method ? stringValue(propertyValue(method)) : "GET";
  if (verb === undefined || !/^(get|post)$/i.test(verb)) {
    return {
      review: `it sends ${verb?.toUpperCase() ?? propertyValue(method!).getText()}, which IMDS does not answer`,
    };
  }
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  let urlEdits: TextEdit[] | undefined;
  const post = /^post$/i.test(verb);
  if (post) {
    const form = streamedForm(request.call);
    if ("review" in form) return form;
    urlEdits = appendToUrl(request.url, request.plan, form.query, context.quote);
    edits.push(
      form.removal,
      replaceNode(propertyValue(method!), quoted(verb === "POST" ? "GET" : "get", context.quote)),
    );
    notes.push("form POST becomes a GET with the same parameters in the query");
  }
  const url = urlEdits ? { urlEdits } : {};
  const headers = findProperty(options, "headers");
  if (!headers) {
    edits.push(insertFirstProperty(options, headersPropertyText(context.quote)));
    return { edits, notes: [...notes, "Metadata: true added"], ...url };
  }
  const headerPlan = planHeaders(propertyValue(headers), context, post);
  if ("review" in headerPlan) return headerPlan;
  return { edits: [...edits, ...headerPlan.edits], notes: [...notes, ...headerPlan.notes], ...url };
}

function finish(client: string, plan: UrlPlan, rest: (plan: RewritePlan) => Step): CallOutcome | undefined {
  if (plan.kind === "none") return undefined;
  if (plan.kind === "review") return { kind: "review", client, reason: plan.reason, literals: plan.literals };
  const step = rest(plan);
  if ("review" in step) return { kind: "review", client, reason: step.review, literals: plan.literals };
  return {
    kind: "rewrite",
    client,
    host: step.host ?? plan.host,
    port: step.port ?? plan.port,
    edits: [...(step.urlEdits ?? plan.edits), ...step.edits],
    notes: step.notes,
    remarks: [],
    literals: plan.literals,
    constants: plan.constants,
  };
}
