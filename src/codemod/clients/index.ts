import { ts } from "../ts.js";
import { constantTarget } from "../evaluate.js";
import { requiredModule } from "../scope.js";
import { findProperty, objectLiteralOf, propertyValue } from "../edit-helpers.js";
import { isModuleObject, resolveCallee, type Callee } from "./callee.js";
import { planNodeHttp } from "./node-http.js";
import { planOptionsRequest, type OptionsRequest } from "./options-request.js";
import { planSuperagent } from "./superagent.js";
import type { CallOutcome, CodemodContext } from "./types.js";

// The HTTP clients msi2imds knows, told apart by how the callee was imported. A call to anything else
// that receives the extension URL is reported by the caller as an unknown client.

const CLIENT_MODULES: ReadonlySet<string> = new Set([
  "node-fetch",
  "undici",
  "axios",
  "got",
  "http",
  "https",
  "request",
  "request-promise",
  "request-promise-native",
  "superagent",
]);

/** Callee names that reach a client without an import. */
export const GLOBAL_CLIENT_NAMES: readonly string[] = ["fetch", "globalThis"];

/** Local names an import or require of a known client module binds. */
export function clientImportNames(
  node: ts.ImportDeclaration | ts.ImportEqualsDeclaration | ts.VariableDeclaration,
): string[] {
  if (ts.isImportEqualsDeclaration(node)) {
    const reference = node.moduleReference;
    const module =
      ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression)
        ? reference.expression.text
        : undefined;
    return module && CLIENT_MODULES.has(module.replace(/^node:/, "")) ? [node.name.text] : [];
  }
  if (ts.isImportDeclaration(node)) {
    if (
      !ts.isStringLiteral(node.moduleSpecifier) ||
      !CLIENT_MODULES.has(node.moduleSpecifier.text.replace(/^node:/, ""))
    )
      return [];
    const clause = node.importClause;
    const bindings = clause?.namedBindings;
    return [
      ...(clause?.name ? [clause.name.text] : []),
      ...(bindings && ts.isNamespaceImport(bindings) ? [bindings.name.text] : []),
      ...(bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : []),
    ];
  }
  const module = requiredModule(node.initializer);
  if (!module || !CLIENT_MODULES.has(module.replace(/^node:/, ""))) return [];
  if (ts.isIdentifier(node.name)) return [node.name.text];
  return node.name.elements.flatMap((e) => (ts.isBindingElement(e) && ts.isIdentifier(e.name) ? [e.name.text] : []));
}

export function planClientCall(call: ts.CallExpression, context: CodemodContext): CallOutcome | undefined {
  const callee = resolveCallee(call.expression);
  if (!callee) return undefined;
  const request = optionsRequestFor(call, callee);
  if (request) return planOptionsRequest(request, context);
  if (isModuleObject(callee, "superagent") && callee.member) return planSuperagent(call, callee.member, context);
  const httpVerb = callee.member?.text ?? callee.imported;
  if ((callee.module === "http" || callee.module === "https") && (httpVerb === "get" || httpVerb === "request")) {
    return planNodeHttp(call, `node:${callee.module}`, context);
  }
  return undefined;
}

function optionsRequestFor(call: ts.CallExpression, callee: Callee): OptionsRequest | undefined {
  const args = call.arguments;
  const [first, second, third] = args;
  if (!first) return undefined;
  const object = (e: ts.Expression | undefined) => (e ? objectLiteralOf(e, constantTarget) : undefined);
  const member = callee.member?.text;
  const base = {
    call,
    canAppendOptions: args.length === 1,
    bodyProperties: [] as string[],
    instance: callee.instance,
  };

  const isFetch =
    (callee.module === "global" && callee.imported === "fetch" && !callee.member) ||
    (callee.module === "node-fetch" && callee.imported === "default" && !member) ||
    (callee.module === "undici" && (callee.imported === "fetch" || callee.imported === "request") && !member);
  if (isFetch) {
    const client =
      callee.module === "global" ? "fetch" : callee.module === "undici" ? `undici.${callee.imported}` : callee.module;
    // undici's request takes query parameters in `query`, and throws when the URL has a query too.
    const query = client === "undici.request" ? { queryProperty: "query", queryReplacesUrlQuery: true } : {};
    return withOptions(
      { ...base, client, url: first, options: object(second), bodyProperties: ["body"], ...query },
      second,
    );
  }
  if (isModuleObject(callee, "axios")) {
    const client = member ? `axios.${member}` : "axios";
    const axios = { ...base, proxyOption: "proxy" };
    if (!member || member === "request") {
      const config = object(first);
      if (config)
        return fromConfig(
          { ...axios, client, canAppendOptions: false, bodyProperties: ["data"], queryProperty: "params" },
          config,
          ["url"],
        );
      return withOptions(
        { ...axios, client, url: first, options: object(second), bodyProperties: ["data"], queryProperty: "params" },
        second,
      );
    }
    if (member === "get") return withOptions({ ...axios, client, url: first, options: object(second) }, second);
    if (member === "post") {
      return withOptions(
        {
          ...axios,
          client,
          url: first,
          verb: callee.member,
          bodyArgument: second,
          options: object(third),
          canAppendOptions: args.length <= 2,
        },
        third,
      );
    }
    return undefined;
  }
  if (isModuleObject(callee, "got") && (!member || member === "get" || member === "post")) {
    const shape = {
      ...base,
      client: member ? `got.${member}` : "got",
      verb: callee.member,
      bodyProperties: ["form", "body"],
      queryProperty: "searchParams",
      queryReplacesUrlQuery: true,
    };
    const config = object(first);
    if (config) return fromConfig({ ...shape, canAppendOptions: false }, config, ["url"]);
    return withOptions({ ...shape, url: first, options: object(second) }, second);
  }
  if (
    isModuleObject(callee, "request", "request-promise", "request-promise-native") &&
    (!member || member === "get" || member === "post")
  ) {
    const shape = {
      ...base,
      client: member ? `${callee.module}.${member}` : callee.module,
      verb: callee.member,
      proxyOption: "proxy",
      canAppendOptions: false,
      bodyProperties: ["form", "body"],
      queryProperty: "qs",
    };
    const config = object(first);
    if (config) return fromConfig(shape, config, ["uri", "url"]);
    const options = second && !ts.isFunctionLike(second) ? object(second) : undefined;
    return { ...shape, url: first, options };
  }
  return undefined;
}

type Shape = Omit<OptionsRequest, "url" | "options">;

/** The URL and everything else live in one config object: `axios({ url, … })`. */
function fromConfig(
  shape: Shape,
  config: ts.ObjectLiteralExpression,
  urlNames: readonly string[],
): OptionsRequest | undefined {
  const url = urlNames.map((name) => findProperty(config, name)).find((p) => p !== undefined);
  return url ? { ...shape, url: propertyValue(url), options: config } : undefined;
}

/** Options given but not as an object literal: no way to check the headers, so nothing is claimed. */
function withOptions(request: OptionsRequest, given: ts.Expression | undefined): OptionsRequest | undefined {
  if (given && !request.options) return { ...request, options: undefined, canAppendOptions: false };
  return request;
}
