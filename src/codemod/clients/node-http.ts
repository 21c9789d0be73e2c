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
import type { CallOutcome, CodemodContext } from "./types.js";

// node:http / node:https `request` and `get`, with a URL string or an options object whose host/hostname,
// port and path together make the URL. A POST here writes its body to the request stream, which
// msi2imds does not follow: such calls go to a person.

export function planNodeHttp(
  call: ts.CallExpression,
  client: string,
  context: CodemodContext,
): CallOutcome | undefined {
  const [first, second] = call.arguments;
  if (!first) return undefined;
  const asOptions = objectLiteralOf(first, constantTarget);
  if (asOptions) return planOptionsObject(client, asOptions, context);
  const plan = planUrl(flatten(first), context.settings);
  const options = second && !ts.isFunctionLike(second) ? objectLiteralOf(second, constantTarget) : undefined;
  if (second && !ts.isFunctionLike(second) && !options) {
    return finish(client, plan, () => ({
      review: `its options (${second.getText()}) are built where msi2imds cannot check them`,
    }));
  }
  return finish(client, plan, () => {
    if (!options)
      return {
        edits: [{ start: first.end, end: first.end, text: `, { ${headersPropertyText(context.quote)} }` }],
        notes: ["Metadata: true added"],
      };
    return methodAndHeaders(options, context);
  });
}

function planOptionsObject(
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
  return finish(client, plan, () => {
    if (opaque) return { review: `its ${opaque[0]} comes from ${describeOrigin(propertyValue(opaque[1]))}` };
    const located = methodAndHeaders(options, context);
    if ("review" in located) return located;
    const edits: TextEdit[] = [
      replaceNode(propertyValue(host), quoted(IMDS_HOST, context.quote)),
      replaceNode(propertyValue(port), "80"),
      ...located.edits,
    ];
    return { edits, notes: located.notes, host: hostValue!.toLowerCase(), port: Number(portValue) };
  });
}

type Step = { edits: TextEdit[]; notes: string[]; host?: string; port?: number } | { review: string };

function methodAndHeaders(options: ts.ObjectLiteralExpression, context: CodemodContext): Step {
  const method = findProperty(options, "method");
  const verb = method ? stringValue(propertyValue(method)) : "GET";
  if (verb === undefined || !/^get$/i.test(verb)) {
    return {
      review:
        `it sends ${verb?.toUpperCase() ?? propertyValue(method!).getText()} ` +
        `with a body written to the request stream; move the form into the query and send GET by hand`,
    };
  }
  const headers = findProperty(options, "headers");
  if (!headers)
    return {
      edits: [insertFirstProperty(options, headersPropertyText(context.quote))],
      notes: ["Metadata: true added"],
    };
  return planHeaders(propertyValue(headers), context, false);
}

function finish(client: string, plan: UrlPlan, rest: () => Step): CallOutcome | undefined {
  if (plan.kind === "none") return undefined;
  if (plan.kind === "review") return { kind: "review", client, reason: plan.reason, literals: plan.literals };
  const step = rest();
  if ("review" in step) return { kind: "review", client, reason: step.review, literals: plan.literals };
  return {
    kind: "rewrite",
    client,
    host: step.host ?? plan.host,
    port: step.port ?? plan.port,
    edits: [...plan.edits, ...step.edits],
    notes: step.notes,
    remarks: [],
    literals: plan.literals,
    constants: plan.constants,
  };
}
