import type { ConcreteNode } from "../../../syntax/index.js";
import { fieldOf, textOf } from "../nodes.js";
import { argument, readArguments } from "./arguments.js";
import { madeHere } from "./made-here.js";
import type { PythonModule } from "./module.js";
import type { LibraryCall, ProxyBypass, RequestsLike } from "./requests-like.js";

// aiohttp takes proxies from the environment only in a session made with trust_env=True (aiohttp.request()
// makes its own session without it), and proxy=None on a call does not override that. So a call is kept off
// proxies when it sets no proxy= and its session is made here without trust_env. Its params= joins the URL's
// query but takes no bytes or FormData, so the form must be one msi2imds can see.

export const AIOHTTP: RequestsLike = {
  library: "aiohttp",
  bodies: ["json"],
  positional: false,
  formReason(module, form) {
    const value = form.type === "identifier" ? onlyValue(module, form) : form;
    if (value?.type === "dictionary") return undefined;
    if (value?.type === "string" && !/b/i.test(textOf(module.text, value.children[0]!))) return undefined;
    return "its data= is not a dictionary or text msi2imds can see (aiohttp's params= takes no bytes or FormData)";
  },
  bypassProxies: offProxies,
};

function offProxies({ module, call, args, instance }: LibraryCall): ProxyBypass | string {
  const { text } = module;
  const proxy = argument(args, "proxy");
  if (proxy && textOf(text, proxy) !== "None")
    return "it sets proxy=, and IMDS must be reached directly, never through a proxy";
  if (!instance) return { added: [], edits: [], note: "aiohttp.request() takes no proxies from the environment" };
  const object = fieldOf(fieldOf(call, "function")!, "object")!;
  const made = madeHere(module, object, "session");
  if (typeof made === "string") return `${made}, so whether it takes proxies from the environment is unknown`;
  const session = readArguments(made.maker, text);
  if (!session || session.unpacked) return "the session is made with arguments msi2imds cannot read";
  if (session.keywords.has("proxy"))
    return "the session sets proxy=, and IMDS must be reached directly, never through a proxy";
  const trust = argument(session, "trust_env");
  if (trust && textOf(text, trust) !== "False")
    return `the session is made with trust_env=${textOf(text, trust)}, so it takes proxies from the environment`;
  return { added: [], edits: [], note: "its session takes no proxies from the environment" };
}

/** The value of a variable assigned once, as `name = value`. */
function onlyValue(module: PythonModule, name: ConcreteNode): ConcreteNode | undefined {
  const binding = module.bindingOf(textOf(module.text, name), name);
  return binding?.values.length === 1 ? binding.values[0] : undefined;
}
