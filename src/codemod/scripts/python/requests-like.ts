import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import type { Outcome } from "../../findings.js";
import { fieldOf, textOf } from "../nodes.js";
import { appendArguments, argument, type Arguments } from "./arguments.js";
import { metadataHeaders, planHeaders, stringValue } from "./headers.js";
import type { Library, PythonModule } from "./module.js";
import type { UrlArgument } from "./plan.js";

// requests, httpx and aiohttp send a token request alike: a function or a client method per verb (or
// request(method, url)), the form in data=, the query in params= (each puts it after the URL's own query),
// the headers in headers=. So a POST form becomes a GET with the same parameters in params=, and the Metadata
// header stays or is added. How a call is kept off proxies from the environment is each library's own.

export interface LibraryCall {
  module: PythonModule;
  call: ConcreteNode;
  args: Arguments;
  url: UrlArgument;
  /** The function or client method called: get, post, request… */
  method: string;
  /** Called on a client object (a session), which may send the Metadata header itself. */
  instance: boolean;
}

/** What is kept off proxies, and how: arguments added to the call, edits elsewhere, the note saying so. */
export interface ProxyBypass {
  added: string[];
  edits: TextEdit[];
  note: string;
}

export interface RequestsLike {
  library: Library;
  /** Bodies that are no form msi2imds can move into params=. */
  bodies: readonly string[];
  /** Whether post(url, data) and get(url, params) take them positionally, or by name only. */
  positional: boolean;
  /** Why the form given as data= cannot go into params= as it is, if it cannot. */
  formReason?(module: PythonModule, form: ConcreteNode): string | undefined;
  /** How the call bypasses proxies from the environment, or why msi2imds cannot make it. */
  bypassProxies(call: LibraryCall): ProxyBypass | string;
}

export function planRequestsLike(shape: RequestsLike, request: LibraryCall): Outcome {
  const { module, call, args, url, method, instance } = request;
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
    if (callee.type !== "attribute") return review(`it calls post imported by name; call ${shape.library}.get instead`);
    const name = fieldOf(callee, "attribute")!;
    edits.push({ start: name.start, end: name.end, text: "get" });
  } else if (method === "get") verb = "GET";
  if (verb !== "GET" && verb !== "POST") return review(`IMDS answers GET only, and this is ${verb ?? method}`);
  if (argument(args, "url", urlIndex) !== url.expression) return review("the URL is not the argument it sends to");

  for (const body of shape.bodies)
    if (args.keywords.has(body)) return review(`it sends ${body}=, a body msi2imds cannot turn into the query`);
  // Positionally, requests' get takes params and post takes data second; request takes both by name only.
  const form = argument(args, "data", shape.positional && method === "post" ? 1 : undefined);
  if (form) {
    if (argument(args, "params", shape.positional && method === "get" ? 1 : undefined))
      return review("it sends both data= and params=; merge them into params= by hand");
    const unfit = shape.formReason?.(module, form);
    if (unfit) return review(unfit);
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
  const headers = planHeaders(module, argument(args, "headers"), form !== undefined);
  if (typeof headers === "string") return review(headers);
  if (headers) {
    edits.push(...headers.edits);
    notes.push(...headers.notes);
    if (headers.added) notes.push("Metadata: true added");
  } else if (!instance || !/\bMetadata\b/.test(text)) {
    added.push(`headers=${metadataHeaders(module.quote)}`);
    notes.push("Metadata: true added");
  }
  const bypass = shape.bypassProxies(request);
  if (typeof bypass === "string") return review(bypass);
  added.push(...bypass.added);
  edits.push(...bypass.edits);
  notes.push(bypass.note);
  if (added.length > 0) edits.push(appendArguments(args, added, text));
  const { occurrence } = url;
  return {
    kind: "rewrite",
    client: `${shape.library} (${client})`,
    host: occurrence.host,
    port: occurrence.port,
    edits,
    notes,
  };
}
