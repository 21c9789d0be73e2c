import type { ConcreteNode } from "../../../syntax/index.js";
import { fieldOf, lineAt, textOf } from "../nodes.js";
import { appendArguments, argument, readArguments, type Arguments } from "./arguments.js";
import { madeHere } from "./made-here.js";
import type { LibraryCall, ProxyBypass, RequestsLike } from "./requests-like.js";

// httpx takes proxies from the environment unless trust_env=False. Its functions take that on the call; a
// client's methods do not, only the call that makes the client, where it changes every request the client
// sends. So a client gets it only when it is made here and sends nothing but this request.

const PROXY_SETTINGS = ["proxies", "proxy", "mounts"];
const SENDS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "send"]);
const TRUST_ENV_OFF = "trust_env=False";

export const HTTPX: RequestsLike = {
  library: "httpx",
  bodies: ["json", "files", "content"],
  positional: false,
  bypassProxies: (request) => (request.instance ? clientOffProxies(request) : callOffProxies(request)),
};

function callOffProxies({ module, args }: LibraryCall): ProxyBypass | string {
  const off = offEnvironment(module.text, args, "it");
  if (typeof off === "string") return off;
  return {
    added: off ? [] : [TRUST_ENV_OFF],
    edits: [],
    note: "proxies from the environment bypassed (trust_env=False)",
  };
}

function clientOffProxies({ module, call }: LibraryCall): ProxyBypass | string {
  const { text } = module;
  const object = fieldOf(fieldOf(call, "function")!, "object")!;
  const made = madeHere(module, object, "client");
  if (typeof made === "string")
    return `${made}; httpx takes proxies from the environment unless it is made with trust_env=False`;
  const args = readArguments(made.maker, text);
  if (!args || args.unpacked) return "the client is made with arguments msi2imds cannot read";
  const off = offEnvironment(text, args, "the client");
  if (typeof off === "string") return off;
  const note = "the client is made with trust_env=False: no proxies from the environment";
  if (off) return { added: [], edits: [], note };
  const other = module.readsOf(made.binding).find((read) => read !== object && !readOnly(text, read));
  if (other)
    return (
      `${made.binding.name} is also used on line ${lineAt(text, other.start)}; trust_env=False where it is made ` +
      "would take that request off the environment's proxies too"
    );
  return { added: [], edits: [appendArguments(args, [TRUST_ENV_OFF], text)], note };
}

/** Whether the arguments keep httpx off the environment's proxies already, need trust_env=False, or why neither. */
function offEnvironment(text: string, args: Arguments, what: string): boolean | string {
  for (const name of PROXY_SETTINGS)
    if (args.keywords.has(name))
      return `${what} sets ${name}=, and IMDS must be reached directly, never through a proxy`;
  const trust = argument(args, "trust_env");
  if (!trust) return false;
  if (textOf(text, trust) === "False") return true;
  return `${what} sets trust_env=${textOf(text, trust)}, which may take proxies from the environment`;
}

/** A read of the client that sends no request through it: `client.headers`, `client.aclose()`. */
function readOnly(text: string, read: ConcreteNode): boolean {
  const parent = read.parent!;
  return (
    parent.type === "attribute" && read.field === "object" && !SENDS.has(textOf(text, fieldOf(parent, "attribute")!))
  );
}
