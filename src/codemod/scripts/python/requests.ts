import type { ConcreteNode } from "../../../syntax/index.js";
import type { Outcome } from "../../findings.js";
import { fieldOf, textOf } from "../nodes.js";
import { appendArguments, argument, type Arguments } from "./arguments.js";
import { metadataHeaders, planHeaders, stringValue } from "./headers.js";
import type { PythonModule } from "./module.js";
import type { UrlArgument } from "./plan.js";

// requests (module functions and sessions): a POST form becomes a GET with the same parameters in params=
// (requests puts them after the URL's own query), the Metadata header stays or is added, and proxies are
// bypassed: requests takes them from the environment, and IMDS must never be reached through one.

export interface RequestsCall {
  module: PythonModule;
  call: ConcreteNode;
  args: Arguments;
  url: UrlArgument;
  /** The function or session method called: get, post, request… */
  method: string;
  session: boolean;
}

export function noProxies(quote: string): string {
  return `{${quote}http${quote}: None, ${quote}https${quote}: None}`;
}

export function planRequestsCall({ module, call, args, url, method, session }: RequestsCall): Outcome {
  const { text } = module;
  const client = textOf(text, fieldOf(call, "function")!);
  const review = (reason: string): Outcome => ({ kind: "review", client, reason });
  const edits = [...url.edits];
  const notes: string[] = [];
  let verb: string | undefined;
  let urlIndex = 0;
  if (method === "request") {
    const given = argument(args, "method", 0);
    verb = given && stringValue(text, given)?.toUpperCase();
    if (!given || verb === undefined) return review("its HTTP method is not a string msi2imds can read");
    if (verb === "POST") {
      const content = given.children.find((c) => c.type === "string_content")!;
      edits.push({ start: content.start, end: content.end, text: "GET" });
    }
    urlIndex = args.keywords.has("method") ? 0 : 1;
  } else if (method === "post") {
    verb = "POST";
    const callee = fieldOf(call, "function")!;
    // `from requests import post` would need `get` imported as well: left to a person.
    if (callee.type !== "attribute") return review("it calls post imported by name; call requests.get instead");
    const name = fieldOf(callee, "attribute")!;
    edits.push({ start: name.start, end: name.end, text: "get" });
  } else if (method === "get") verb = "GET";
  if (verb !== "GET" && verb !== "POST") return review(`IMDS answers GET only, and this is ${verb ?? method}`);
  if (argument(args, "url", urlIndex) !== url.expression) return review("the URL is not the argument it sends to");

  for (const unreadable of ["json", "files"])
    if (args.keywords.has(unreadable)) return review(`it sends ${unreadable}=, which IMDS does not take`);
  // Positionally, get takes params and post takes data second; request takes both by name only.
  const form = argument(args, "data", method === "post" ? 1 : undefined);
  if (form) {
    if (argument(args, "params", method === "get" ? 1 : undefined))
      return review("it sends both data= and params=; merge them into params= by hand");
    const keyword = args.keywords.get("data");
    const name = keyword && fieldOf(keyword, "name")!;
    edits.push(
      name
        ? { start: name.start, end: name.end, text: "params" }
        : { start: form.start, end: form.start, text: "params=" },
    );
    notes.push("form POST becomes a GET with the same parameters in params=");
  } else if (verb === "POST") notes.push("POST becomes GET");

  const added: string[] = [];
  const headers = planHeaders(module, argument(args, "headers"));
  if (headers) {
    edits.push(...headers.edits);
    if (headers.added) notes.push("Metadata: true added");
  } else if (!session || !/\bMetadata\b/.test(text)) {
    added.push(`headers=${metadataHeaders(module.quote)}`);
    notes.push("Metadata: true added");
  }
  if (args.keywords.has("proxies"))
    return review("it sets proxies=, and IMDS must be reached directly, never through a proxy");
  added.push(`proxies=${noProxies(module.quote)}`);
  notes.push("proxies from the environment bypassed");
  edits.push(appendArguments(args, added, text));
  const { occurrence } = url;
  return {
    kind: "rewrite",
    client: `requests (${client})`,
    host: occurrence.host,
    port: occurrence.port,
    edits,
    notes,
  };
}
