import type { ConcreteNode } from "../../../syntax/index.js";
import { descendants, fieldOf, namedChildren, textOf } from "../nodes.js";

// What a rewrite needs to know about a Python module: which names are bound to the HTTP clients it knows
// (requests and its sessions, urllib.request) or to ones it does not rewrite, and where each variable is
// assigned and read, scope by scope (functions and lambdas; a class body reads as its enclosing scope).

export interface Binding {
  scope: ConcreteNode;
  name: string;
  /** The assignments' values; undefined for a binding that is not a plain `name = value` (a parameter, a loop). */
  values: (ConcreteNode | undefined)[];
}

export interface PythonModule {
  text: string;
  root: ConcreteNode;
  /** The quote most of the module's strings use. */
  quote: string;
  /** Names bound to the requests module, and requests' functions imported by name (local → imported). */
  requestsModules: Set<string>;
  requestsFunctions: Map<string, string>;
  /** Expressions (as written) holding a requests session: `session`, `self.session`. */
  sessions: Set<string>;
  /** Names bound to urllib.request (`urllib.request`, an alias), and its names imported one by one. */
  urllibModules: Set<string>;
  urllibNames: Map<string, string>;
  /** `from urllib.request import …`, where names the rewrite needs are added. */
  urllibImport: ConcreteNode | undefined;
  /** Other HTTP clients imported (local name → module), which msi2imds does not rewrite. */
  otherClients: Map<string, string>;
  bindingOf(name: string, from: ConcreteNode): Binding | undefined;
  /** The identifiers that read a binding. */
  readsOf(binding: Binding): ConcreteNode[];
}

const SCOPES = new Set(["function_definition", "lambda"]);
const OTHER_CLIENTS = new Set(["httpx", "aiohttp", "urllib3", "http.client", "httplib2", "pycurl", "treq"]);

export function scopeOf(node: ConcreteNode): ConcreteNode {
  for (let up = node.parent; up; up = up.parent) if (SCOPES.has(up.type) || !up.parent) return up;
  return node;
}

export function readModule(root: ConcreteNode, text: string): PythonModule {
  const bindings = new Map<ConcreteNode, Map<string, Binding>>();
  const identifiers = new Map<string, ConcreteNode[]>();
  const module: PythonModule = {
    text,
    root,
    quote: '"',
    requestsModules: new Set(),
    requestsFunctions: new Map(),
    sessions: new Set(),
    urllibModules: new Set(),
    urllibNames: new Map(),
    urllibImport: undefined,
    otherClients: new Map(),
    bindingOf(name, from) {
      for (let scope: ConcreteNode | undefined = scopeOf(from); scope; scope = scope.parent && scopeOf(scope)) {
        const found = bindings.get(scope)?.get(name);
        if (found) return found;
        if (scope === root) return undefined;
      }
      return undefined;
    },
    readsOf(binding) {
      return (identifiers.get(binding.name) ?? []).filter(
        (node) => isRead(node) && module.bindingOf(binding.name, node) === binding,
      );
    },
  };
  const bind = (nameNode: ConcreteNode, value: ConcreteNode | undefined) => {
    const scope = scopeOf(nameNode);
    const name = textOf(text, nameNode);
    const names = bindings.get(scope) ?? new Map<string, Binding>();
    bindings.set(scope, names);
    const binding = names.get(name) ?? { scope, name, values: [] };
    binding.values.push(value);
    names.set(name, binding);
  };
  const quotes = { '"': 0, "'": 0 };
  for (const node of descendants(root)) {
    switch (node.type) {
      case "identifier": {
        const list = identifiers.get(textOf(text, node));
        if (list) list.push(node);
        else identifiers.set(textOf(text, node), [node]);
        break;
      }
      case "string_start": {
        const quote = text[node.end - 1] as '"' | "'";
        quotes[quote]++;
        break;
      }
      case "assignment":
      case "augmented_assignment": {
        const left = fieldOf(node, "left");
        const right = fieldOf(node, "right");
        if (left?.type === "identifier") bind(left, node.type === "assignment" ? right : undefined);
        if (left && right && isSessionMaker(module, right)) module.sessions.add(textOf(text, left));
        break;
      }
      case "as_pattern": {
        const target = fieldOf(node, "alias");
        const value = namedChildren(node)[0];
        if (target && value && isSessionMaker(module, value)) module.sessions.add(textOf(text, target).trim());
        if (target) for (const name of descendants(target)) if (name.type === "identifier") bind(name, undefined);
        break;
      }
      case "for_statement":
      case "for_in_clause": {
        const left = fieldOf(node, "left");
        if (left) for (const name of descendants(left)) if (name.type === "identifier") bind(name, undefined);
        break;
      }
      case "parameters":
      case "lambda_parameters":
        for (const parameter of namedChildren(node)) {
          const name = parameter.type === "identifier" ? parameter : fieldOf(parameter, "name");
          if (name?.type === "identifier") bind(name, undefined);
        }
        break;
      case "import_statement":
        readImport(module, node);
        break;
      case "import_from_statement":
        readFromImport(module, node);
        break;
    }
  }
  module.quote = quotes["'"] > quotes['"'] ? "'" : '"';
  return module;
}

function readImport(module: PythonModule, node: ConcreteNode): void {
  for (const item of namedChildren(node)) {
    const dotted = item.type === "aliased_import" ? fieldOf(item, "name")! : item;
    const name = textOf(module.text, dotted);
    const local = item.type === "aliased_import" ? textOf(module.text, fieldOf(item, "alias")!) : name;
    if (name === "requests") module.requestsModules.add(local);
    else if (name === "urllib.request") module.urllibModules.add(local);
    else if (OTHER_CLIENTS.has(name)) module.otherClients.set(local, name);
  }
}

function readFromImport(module: PythonModule, node: ConcreteNode): void {
  const from = textOf(module.text, fieldOf(node, "module_name")!);
  for (const item of node.children.filter((child) => child.field === "name")) {
    const dotted = item.type === "aliased_import" ? fieldOf(item, "name")! : item;
    const name = textOf(module.text, dotted);
    const local = item.type === "aliased_import" ? textOf(module.text, fieldOf(item, "alias")!) : name;
    if (from === "requests") module.requestsFunctions.set(local, name);
    else if (from === "urllib.request") {
      module.urllibNames.set(local, name);
      module.urllibImport = node;
    } else if (from === "urllib" && name === "request") module.urllibModules.add(local);
    else if (OTHER_CLIENTS.has(from)) module.otherClients.set(local, `${from}.${name}`);
  }
}

/** `requests.Session()`, `requests.session()`, `Session()` imported from requests. */
function isSessionMaker(module: PythonModule, value: ConcreteNode): boolean {
  if (value.type !== "call") return false;
  const callee = fieldOf(value, "function")!;
  if (callee.type === "attribute") {
    const object = textOf(module.text, fieldOf(callee, "object")!);
    const name = textOf(module.text, fieldOf(callee, "attribute")!);
    return module.requestsModules.has(object) && (name === "Session" || name === "session");
  }
  const imported = module.requestsFunctions.get(textOf(module.text, callee));
  return imported === "Session" || imported === "session";
}

/** An identifier that reads its variable (not one assigned, imported, defined or named as an attribute). */
function isRead(node: ConcreteNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  switch (parent.type) {
    case "assignment":
    case "augmented_assignment":
      return node.field !== "left";
    case "attribute":
      return node.field !== "attribute";
    case "keyword_argument":
    case "default_parameter":
    case "typed_parameter":
    case "typed_default_parameter":
      return node.field !== "name";
    case "function_definition":
    case "class_definition":
      return node.field !== "name";
    case "parameters":
    case "lambda_parameters":
    case "dotted_name":
    case "aliased_import":
    case "as_pattern_target":
      return false;
    default:
      return true;
  }
}
