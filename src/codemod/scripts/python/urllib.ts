import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import type { Outcome } from "../../findings.js";
import type { ScriptContext } from "../context.js";
import { imdsUrlPrefix } from "../extension-url.js";
import { fieldOf, namedChildren, textOf } from "../nodes.js";
import { appendArguments, argument, readArguments, removeArgument, type Arguments } from "./arguments.js";
import { metadataHeaders, planHeaders, stringValue } from "./headers.js";
import type { PythonModule } from "./module.js";
import type { UrlArgument } from "./plan.js";

// urllib.request: a Request's form body moves into its URL (a Request without data is a GET), the Metadata
// header stays or is added, and each urlopen() that sends it becomes an opener without a ProxyHandler:
// urlopen takes proxies from the environment, and IMDS must never be reached through one.

export interface UrllibRequest {
  module: PythonModule;
  context: ScriptContext;
  call: ConcreteNode;
  args: Arguments;
  url: UrlArgument;
}

/** Request(url, data=None, headers={}, origin_req_host=None, unverifiable=False, method=None) */
const DATA = 1;
const HEADERS = 2;
const METHOD = 5;

export function planUrllibRequest({ module, context, call, args, url }: UrllibRequest): Outcome {
  const { text } = module;
  const client = `urllib.request (${textOf(text, fieldOf(call, "function")!)})`;
  const review = (reason: string): Outcome => ({ kind: "review", client, reason });
  if (argument(args, "url", 0) !== url.expression) return review("the URL is not the argument it sends to");
  let edits = [...url.edits];
  const notes: string[] = [];

  const method = argument(args, "method", METHOD);
  const verb = method && stringValue(text, method)?.toUpperCase();
  if (method && verb !== "GET" && verb !== "POST") return review("its HTTP method is not GET or POST");
  if (method && verb === "POST") {
    const content = method.children.find((c) => c.type === "string_content")!;
    edits.push({ start: content.start, end: content.end, text: "GET" });
  }
  const data = argument(args, "data", DATA);
  if (data && textOf(text, data) !== "None") {
    const moved = moveForm(module, context, args, url, data);
    if (typeof moved === "string") return review(moved);
    if (moved.url) edits = edits.map((edit) => (edit === url.edits[0] ? moved.url! : edit));
    edits.push(...moved.edits);
    notes.push("form POST becomes a GET with the same parameters in the query");
  }
  const formMoved = data !== undefined && textOf(text, data) !== "None";
  const headers = planHeaders(module, argument(args, "headers", HEADERS), formMoved);
  if (typeof headers === "string") return review(headers);
  if (headers) {
    edits.push(...headers.edits);
    notes.push(...headers.notes);
    if (headers.added) notes.push("Metadata: true added");
  } else if (!/\.add_header\(\s*["']Metadata["']/.test(text)) {
    edits.push(appendArguments(args, [`headers=${metadataHeaders(module.quote)}`], text));
    notes.push("Metadata: true added");
  }
  const senders = sendersOf(module, call);
  if (typeof senders === "string") return review(senders);
  edits.push(...senders);
  notes.push("sent by an opener without proxies");
  const { occurrence } = url;
  return { kind: "rewrite", client, host: occurrence.host, port: occurrence.port, edits, notes };
}

/**
 * The form, as a query string, joined on to the URL: `urlencode(…).encode()` gives back `urlencode(…)`, a
 * bytes literal its text, anything else (bytes by Request's contract) is decoded. A URL string that ends
 * where the extension's path does takes the "&" inside (its edit is then `url`); any other gets it joined on.
 */
function moveForm(
  module: PythonModule,
  context: ScriptContext,
  args: Arguments,
  url: UrlArgument,
  data: ConcreteNode,
): { edits: TextEdit[]; url?: TextEdit } | string {
  const { text, quote } = module;
  const removal =
    args.keywords.has("data") || args.positional.at(-1) === data
      ? removeArgument(args, args.keywords.get("data") ?? data)
      : { start: data.start, end: data.end, text: "None" };
  const literal = url.expression.type === "string" ? url.expression : undefined;
  const endsAtUrl = literal !== undefined && !url.occurrence.query && url.occurrence.end === literalEnd(literal);
  const amp = { ...url.edits[0]!, text: imdsUrlPrefix(context.settings.apiVersion, true) };
  if (data.type === "string") {
    const value = /b/i.test(textOf(text, data.children[0]!)) ? stringValue(text, data) : undefined;
    if (!literal || value === undefined) return "its form and URL are not plain strings msi2imds can join";
    const end = literalEnd(literal);
    const join = { start: end, end, text: `${url.occurrence.query ? "&" : ""}${value}` };
    return endsAtUrl ? { edits: [join, removal], url: amp } : { edits: [join, removal] };
  }
  const encoded = data.type === "call" ? fieldOf(data, "function") : undefined;
  const simple = data.type === "identifier" || data.type === "attribute" || data.type === "call";
  const query =
    encoded?.type === "attribute" && textOf(text, fieldOf(encoded, "attribute")!) === "encode"
      ? textOf(text, fieldOf(encoded, "object")!)
      : `${simple ? textOf(text, data) : `(${textOf(text, data)})`}.decode()`;
  const at = url.expression.end;
  if (endsAtUrl) return { edits: [{ start: at, end: at, text: ` + ${query}` }, removal], url: amp };
  return { edits: [{ start: at, end: at, text: ` + ${quote}&${quote} + ${query}` }, removal] };
}

function literalEnd(literal: ConcreteNode): number {
  return literal.children.find((c) => c.type === "string_end")!.start;
}

/**
 * The urlopen() calls that send the request, each turned into an opener's open(); a request sent any other
 * way (or not in this file) is a reason for a person.
 */
function sendersOf(module: PythonModule, request: ConcreteNode): TextEdit[] | string {
  const { text } = module;
  const opens: ConcreteNode[] = [];
  const parent = request.parent!;
  if (parent.type === "argument_list") opens.push(parent.parent!);
  else if (parent.type === "assignment" && fieldOf(parent, "left")?.type === "identifier") {
    const target = fieldOf(parent, "left")!;
    const binding = module.bindingOf(textOf(text, target), target)!;
    if (binding.values.length > 1) return `${binding.name} is assigned more than once`;
    for (const read of module.readsOf(binding)) {
      if (read.parent?.type === "attribute" && read.field === "object") continue; // request.add_header(…)
      if (read.parent?.type !== "argument_list")
        return `the request ${binding.name} is used where msi2imds cannot follow`;
      opens.push(read.parent.parent!);
    }
  } else return "the request is not sent where msi2imds can see it";
  if (opens.length === 0) return "the request is not sent in this file, so msi2imds cannot make it bypass proxies";
  const edits: TextEdit[] = [];
  for (const open of opens) {
    const callee = fieldOf(open, "function")!;
    const [prefix, name] =
      callee.type === "attribute"
        ? [`${textOf(text, fieldOf(callee, "object")!)}.`, textOf(text, fieldOf(callee, "attribute")!)]
        : ["", module.urllibNames.get(textOf(text, callee))];
    if (callee.type === "attribute" && !module.urllibModules.has(prefix.slice(0, -1)))
      return `the request is sent by ${textOf(text, callee)}, which msi2imds does not know`;
    if (name !== "urlopen") return `the request is sent by ${textOf(text, callee)}, which msi2imds does not know`;
    const args = readArguments(open, text);
    if (!args || args.unpacked || ["context", "cafile", "capath", "cadefault"].some((k) => args.keywords.has(k)))
      return "urlopen() is given arguments an opener does not take";
    if (args.positional[0] !== request && args.positional[0]?.type !== "identifier")
      return "urlopen() is not given the request first";
    edits.push({ start: callee.start, end: callee.end, text: `${prefix}build_opener(${prefix}ProxyHandler({})).open` });
    if (prefix === "") edits.push(...importNames(module, ["ProxyHandler", "build_opener"]));
  }
  return edits;
}

/** Adds names to `from urllib.request import …` that it does not import yet. */
function importNames(module: PythonModule, names: readonly string[]): TextEdit[] {
  const statement = module.urllibImport;
  if (!statement) return [];
  const imported = statement.children.filter((c) => c.field === "name");
  if (namedChildren(statement).some((c) => c.type === "wildcard_import")) return [];
  const have = new Set(imported.map((c) => textOf(module.text, c)));
  const missing = names.filter((name) => !have.has(name));
  const last = imported.at(-1);
  if (missing.length === 0 || !last) return [];
  return [{ start: last.end, end: last.end, text: missing.map((name) => `, ${name}`).join("") }];
}
