import type { ConcreteNode } from "../../../syntax/index.js";
import type { Outcome } from "../../findings.js";
import { short } from "../../short.js";
import type { ScriptContext } from "../context.js";
import { fieldOf, textOf } from "../nodes.js";
import { readArguments } from "./arguments.js";
import { AIOHTTP } from "./aiohttp.js";
import { HTTPX } from "./httpx.js";
import { type Library, libraryMember, type PythonModule } from "./module.js";
import type { UrlArgument } from "./plan.js";
import { REQUESTS } from "./requests.js";
import { planRequestsLike, type RequestsLike } from "./requests-like.js";
import { planUrllibRequest } from "./urllib.js";

// Which client a call is, by how the module bound its name, and the plan for it.

const REQUESTS_LIKE: Record<Library, RequestsLike> = { requests: REQUESTS, httpx: HTTPX, aiohttp: AIOHTTP };

export function planClientCall(
  module: PythonModule,
  context: ScriptContext,
  call: ConcreteNode,
  url: UrlArgument,
): Outcome {
  const { text } = module;
  const callee = fieldOf(call, "function")!;
  const calleeText = textOf(text, callee);
  const review = (client: string, reason: string): Outcome => ({ kind: "review", client, reason });
  const args = readArguments(call, text);
  if (!args) return review(calleeText, "its arguments cannot be read");
  if (args.unpacked) return review(calleeText, "it passes arguments with * or **, which msi2imds cannot read");
  const [object, name] =
    callee.type === "attribute"
      ? [textOf(text, fieldOf(callee, "object")!), textOf(text, fieldOf(callee, "attribute")!)]
      : [undefined, calleeText];
  const request = { module, call, args, url };
  const member = libraryMember(module, callee);
  if (member)
    return planRequestsLike(REQUESTS_LIKE[member.library], { ...request, method: member.name, instance: false });
  const made = object !== undefined ? module.clients.get(object) : undefined;
  if (made) return planRequestsLike(REQUESTS_LIKE[made[0]!.library], { ...request, method: name, instance: true });
  const urllibName =
    object !== undefined ? (module.urllibModules.has(object) ? name : undefined) : module.urllibNames.get(name);
  if (urllibName === "Request") return planUrllibRequest({ module, context, call, args, url });
  if (urllibName === "urlopen")
    return review(calleeText, "urlopen() is given the URL itself, so it sends no Metadata header");
  const other = module.otherClients.get(object ?? name);
  if (other)
    return review(
      calleeText,
      `${other} is not rewritten by msi2imds (it rewrites requests, httpx, aiohttp and urllib.request)`,
    );
  return review(calleeText, `it is passed to ${short(calleeText, 40)}, a client msi2imds does not know`);
}
