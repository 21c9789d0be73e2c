import type { ConcreteNode } from "../../../syntax/index.js";
import { textOf } from "../nodes.js";
import type { Binding, PythonModule } from "./module.js";

// Where a client object a call is made on came from, when the module shows it: a variable of the call's
// scope, bound once, to a client made right there (`client = httpx.Client(…)`, `async with
// aiohttp.ClientSession() as session`). A client kept in an attribute or handed in is made elsewhere.

export interface MadeHere {
  binding: Binding;
  maker: ConcreteNode;
}

/** `object` is what the method is called on; `kind` names it in the reason (client, session). */
export function madeHere(module: PythonModule, object: ConcreteNode, kind: string): MadeHere | string {
  const held = textOf(module.text, object);
  if (object.type !== "identifier")
    return `the ${kind} is kept in ${held}, and msi2imds cannot see every place it is made`;
  const binding = module.bindingOf(held, object);
  const made = (module.clients.get(held) ?? []).filter((m) => module.bindingOf(held, m.target) === binding);
  if (!binding || made.length === 0) return `${held} is made elsewhere, where msi2imds cannot see it`;
  if (binding.values.length > 1) return `${held} is assigned more than once`;
  return { binding, maker: made[0]!.maker };
}
