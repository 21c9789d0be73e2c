import type { ConcreteNode } from "../../../syntax/index.js";
import { descendants, fieldOf, namedChildren, textOf } from "../nodes.js";

// What a rewrite needs to know about a Python module: which names are bound to the HTTP clients it knows
// (requests, httpx, aiohttp and their client objects, urllib.request) or to ones it does not rewrite, and where
// each variable is assigned and read, scope by scope (functions and lambdas; a class body reads as its
// enclosing scope).

/** The libraries that send a request as requests does: a function or a client method per verb. */
export type Library = "requests" | "httpx" | "aiohttp";

/** A client object made in this module: where it is kept (`session`, `self.client`) and the call that made it. */
export interface MadeClient {
  library: Library;
  target: ConcreteNode;
  maker: ConcreteNode;
}

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
  /** Names bound to those libraries, and their names imported one by one (local → library and name). */
  libraries: Map<string, Library>;
  libraryNames: Map<string, { library: Library; name: string }>;
  /** Client objects made here, by the expression (as written) that holds them: `session`, `self.session`. */
  clients: Map<string, MadeClient[]>;
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
const LIBRARIES = new Set<string>(["requests", "httpx", "aiohttp"]);
const CLIENT_MAKERS: Record<Library, readonly string[]> = {
  requests: ["Session", "session"],
  httpx: ["Client", "AsyncClient"],
  aiohttp: ["ClientSession"],
};
const OTHER_CLIENTS = new Set(["urllib3", "http.client", "httplib2", "pycurl", "treq"]);

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
    libraries: new Map(),
    libraryNames: new Map(),
    clients: new Map(),
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
        if (left && right) noteClient(module, left, right);
        break;
      }
      case "as_pattern": {
        const target = fieldOf(node, "alias");
        const value = namedChildren(node)[0];
        if (target && value) noteClient(module, target, value);
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
    if (LIBRARIES.has(name)) module.libraries.set(local, name as Library);
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
    if (LIBRARIES.has(from)) module.libraryNames.set(local, { library: from as Library, name });
    else if (from === "urllib.request") {
      module.urllibNames.set(local, name);
      module.urllibImport = node;
    } else if (from === "urllib" && name === "request") module.urllibModules.add(local);
    else if (OTHER_CLIENTS.has(from)) module.otherClients.set(local, `${from}.${name}`);
  }
}

/**
 * The library a callee belongs to and its name there: `httpx.post` (a module bound here), `post` or
 * `Session` imported from one by name.
 */
export function libraryMember(
  module: PythonModule,
  callee: ConcreteNode,
): { library: Library; name: string } | undefined {
  if (callee.type !== "attribute") return module.libraryNames.get(textOf(module.text, callee));
  const library = module.libraries.get(textOf(module.text, fieldOf(callee, "object")!));
  return library && { library, name: textOf(module.text, fieldOf(callee, "attribute")!) };
}

/** Records `target = value` or `with value as target` when the value makes a client: `requests.Session()`,
 * `httpx.AsyncClient(…)`, `ClientSession()` imported from aiohttp. */
function noteClient(module: PythonModule, target: ConcreteNode, value: ConcreteNode): void {
  if (value.type !== "call") return;
  const member = libraryMember(module, fieldOf(value, "function")!);
  if (!member || !CLIENT_MAKERS[member.library].includes(member.name)) return;
  const held = textOf(module.text, target).trim();
  const made = module.clients.get(held) ?? [];
  made.push({ library: member.library, target, maker: value });
  module.clients.set(held, made);
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
