import { ts } from "../ts.js";
import type { TextEdit } from "../../core/finding.js";
import { API_VERSION_PARAM } from "../../imds.js";
import { flatten } from "../evaluate.js";
import {
  appendArgument,
  findProperty,
  insertFirstProperty,
  propertyValue,
  quoted,
  removeProperty,
  renameProperty,
  replaceNode,
} from "../edit-helpers.js";
import { planUrl, type UrlPlan } from "../url.js";
import type { Instance } from "./callee.js";
import { planInstanceBase, type BasePlan } from "./instance-base.js";
import { appendToUrl, formQueryText } from "./form.js";
import { headersPropertyText, planHeaders } from "./headers.js";
import type { CallOutcome, CodemodContext } from "./types.js";

// The shape most clients share: a URL plus an options object with method, headers and a body. Each client
// says where its pieces are; the plan is the same for all of them.

export interface OptionsRequest {
  client: string;
  call: ts.CallExpression;
  url: ts.Expression;
  options: ts.ObjectLiteralExpression | undefined;
  /** Without an options object, `{ headers: … }` may be added as a last argument. */
  canAppendOptions: boolean;
  /** The verb in the callee (`axios.post`): becomes `get` with the form. */
  verb?: ts.Identifier | undefined;
  /** A form body passed as an argument (`axios.post(url, data, config)`). */
  bodyArgument?: ts.Expression | undefined;
  /** Option names that carry a form body (`body`, `form`, `data`). */
  bodyProperties: readonly string[];
  /** The option that takes query parameters; an object-literal form is renamed to it (request: qs). */
  queryProperty?: string;
  /** got: `searchParams` replaces the URL's query, so api-version must be in it too. */
  queryReplacesUrlQuery?: boolean;
  /** Called on an instance: the URL is relative to its base URL. */
  instance?: Instance | undefined;
  /**
   * The option that keeps the proxy of HTTP_PROXY / HTTPS_PROXY away (axios, request: `proxy: false`): those
   * clients read the environment's proxy, and IMDS must be reached directly.
   */
  proxyOption?: string;
}

export function planOptionsRequest(request: OptionsRequest, context: CodemodContext): CallOutcome | undefined {
  const base = request.instance ? planInstanceBase(request.instance, context.settings) : undefined;
  const { client } = request;
  if (base?.kind === "review") return { kind: "review", client, reason: base.reason, literals: base.literals };
  const relative = base?.kind === "rewrite" ? base : undefined;
  const { options } = request;
  const body = request.bodyProperties
    .map((name) => (options ? findProperty(options, name) : undefined))
    .find((p) => p !== undefined);
  const given = request.queryProperty && options ? findProperty(options, request.queryProperty) : undefined;
  /** An object-literal form becomes the query option, where the client has one and the request does not set it. */
  const formToQuery =
    body && request.queryProperty && !given && ts.isObjectLiteralExpression(propertyValue(body)) ? body : undefined;
  // got's searchParams and undici's query replace the URL's query (undici refuses a URL that has one): where
  // the request has one, api-version goes there, not into the URL.
  const queryOption = request.queryReplacesUrlQuery ? (given ?? formToQuery) : undefined;
  const mode = relative ? "relative" : "url";
  const urlPlan = planUrl(flatten(request.url), context.settings, mode, { apiVersionInUrl: !queryOption });
  const plan = withBase(urlPlan, relative);
  if (plan.kind === "none") return undefined;
  if (plan.kind === "review") return { kind: "review", client, reason: plan.reason, literals: plan.literals };
  const review = (reason: string): CallOutcome => ({ kind: "review", client, reason, literals: plan.literals });
  // Spread options may set the method, the headers or the body, and what they hold is not seen here.
  const spread = options?.properties.find(ts.isSpreadAssignment);
  if (spread) return review(`its options spread ${spread.expression.getText()}, which may set the method or headers`);
  let edits: TextEdit[] = [...plan.edits];
  const notes: string[] = [];

  const method = options ? findProperty(options, "method") : undefined;
  const methodValue = method ? literalText(propertyValue(method)) : undefined;
  if (method && methodValue === undefined)
    return review(`its method (${propertyValue(method).getText()}) is not a literal`);
  const verb = request.verb?.text ?? methodValue ?? "GET";
  if (!/^(get|post)$/i.test(verb)) return review(`it sends ${verb.toUpperCase()}, which IMDS does not answer`);

  const json = options ? findProperty(options, "json") : undefined;
  if (json && ts.isPropertyAssignment(json) && !isBooleanLiteral(json.initializer)) {
    return review(`it sends a JSON body (${json.initializer.getText()}), which the extension never accepted`);
  }
  let queryProperty = given;
  let formMoved = false;
  if (body && options) {
    const value = propertyValue(body);
    if (formToQuery) {
      edits.push(renameProperty(body, request.queryProperty!));
      queryProperty = body;
    } else {
      const query = formQueryText(value, request.call.getStart());
      if (!query) return review(`its form body (${value.getText()}) has a shape msi2imds cannot move into the query`);
      if (queryOption) return review(`its ${request.queryProperty} replaces the URL's query the form would join`);
      edits = [...appendToUrl(request.url, plan, query, context.quote), ...removeProperty(options, body)];
    }
    formMoved = true;
  } else if (request.bodyArgument) {
    const query = formQueryText(request.bodyArgument, request.call.getStart());
    if (!query)
      return review(
        `its form body (${request.bodyArgument.getText()}) has a shape msi2imds cannot move into the query`,
      );
    edits = appendToUrl(request.url, plan, query, context.quote, request.bodyArgument.end);
    formMoved = true;
  }
  if (formMoved || /^post$/i.test(verb)) {
    if (method) edits.push(replaceNode(propertyValue(method), toGet(propertyValue(method).getText())));
    if (request.verb) edits.push(replaceNode(request.verb, toGet(request.verb.text)));
    notes.push(formMoved ? "form POST becomes a GET with the same parameters in the query" : "POST becomes GET");
  }

  if (request.queryReplacesUrlQuery && queryProperty) {
    const value = propertyValue(queryProperty);
    if (!ts.isObjectLiteralExpression(value))
      return review(
        `its ${request.queryProperty} (${value.getText()}) replaces the URL's query and is not an object literal ` +
          `msi2imds can add ${API_VERSION_PARAM} to`,
      );
    if (!findProperty(value, API_VERSION_PARAM)) {
      edits.push(
        insertFirstProperty(
          value,
          `${quoted(API_VERSION_PARAM, context.quote)}: ${quoted(context.settings.apiVersion, context.quote)}`,
        ),
      );
    }
  }

  /** Options the request gains: put first in its options object, or in one added as its last argument. */
  const added: string[] = [];
  const headers = options ? findProperty(options, "headers") : undefined;
  const defaults = relative?.headers;
  if (headers || defaults) {
    const headerPlan = planHeaders(headers ? propertyValue(headers) : defaults!, context, formMoved);
    if ("review" in headerPlan) return review(headerPlan.review);
    edits.push(...headerPlan.edits);
    notes.push(...headerPlan.notes);
  } else if (options || request.canAppendOptions) {
    added.push(headersPropertyText(context.quote));
    notes.push("Metadata: true added");
  } else {
    return review("msi2imds cannot tell where to add the Metadata: true header");
  }
  if (request.proxyOption) {
    const proxy = options ? findProperty(options, request.proxyOption) : undefined;
    if (proxy && propertyValue(proxy).kind !== ts.SyntaxKind.FalseKeyword)
      return review(
        `it sets ${request.proxyOption} (${propertyValue(proxy).getText()}), and IMDS must be reached directly`,
      );
    if (!proxy) {
      if (!options && !request.canAppendOptions)
        return review(
          `msi2imds cannot tell where to add ${request.proxyOption}: false, and IMDS must not be reached through a proxy`,
        );
      added.push(`${request.proxyOption}: false`);
      notes.push(`${request.proxyOption}: false added: IMDS must not be reached through the environment's proxy`);
    }
  }
  if (added.length > 0)
    edits.push(options ? insertFirstProperty(options, added) : appendArgument(request.call, `{ ${added.join(", ")} }`));
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
    ...(request.instance && relative ? { instance: request.instance.declaration } : {}),
  };
}

/** A path relative to an instance's base URL, planned with the base's own edit. */
function withBase(plan: UrlPlan, base: Extract<BasePlan, { kind: "rewrite" }> | undefined): UrlPlan {
  if (!base || plan.kind === "none") return plan;
  if (plan.kind === "review") return { ...plan, literals: [...base.literals, ...plan.literals] };
  return {
    ...plan,
    host: base.host,
    port: base.port,
    edits: [...base.edits, ...plan.edits],
    literals: [...base.literals, ...plan.literals],
    constants: [...base.constants, ...plan.constants],
  };
}

function isBooleanLiteral(expression: ts.Expression): boolean {
  return expression.kind === ts.SyntaxKind.TrueKeyword || expression.kind === ts.SyntaxKind.FalseKeyword;
}

function literalText(expression: ts.Expression): string | undefined {
  return ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression) ? expression.text : undefined;
}

/** POST → GET in the case it was written: `"POST"` → `"GET"`, `post` → `get`. */
function toGet(text: string): string {
  return text.replace(/post/i, (verb) => (verb === verb.toUpperCase() ? "GET" : "get"));
}
