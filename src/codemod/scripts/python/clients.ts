import type { ConcreteNode } from "../../../syntax/index.js";
import type { Outcome } from "../../findings.js";
import { short } from "../../short.js";
import type { ScriptContext } from "../context.js";
import { fieldOf, textOf } from "../nodes.js";
import { readArguments } from "./arguments.js";
import type { PythonModule } from "./module.js";
import type { UrlArgument } from "./plan.js";
import { planRequestsCall } from "./requests.js";
import { planUrllibRequest } from "./urllib.js";

// Which client a call is, by how the module bound its name, and the plan for it.

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
  if (object !== undefined ? module.requestsModules.has(object) : module.requestsFunctions.has(name)) {
    const method = object !== undefined ? name : module.requestsFunctions.get(name)!;
    return planRequestsCall({ module, call, args, url, method, session: false });
  }
  if (object !== undefined && module.sessions.has(object))
    return planRequestsCall({ module, call, args, url, method: name, session: true });
  const urllibName =
    object !== undefined ? (module.urllibModules.has(object) ? name : undefined) : module.urllibNames.get(name);
  if (urllibName === "Request") return planUrllibRequest({ module, context, call, args, url });
  if (urllibName === "urlopen")
    return review(calleeText, "urlopen() is given the URL itself, so it sends no Metadata header");
  const other = module.otherClients.get(object ?? name);
  if (other)
    return review(calleeText, `${other} is not rewritten by msi2imds (it rewrites requests and urllib.request)`);
  return review(calleeText, `it is passed to ${short(calleeText, 40)}, a client msi2imds does not know`);
}
