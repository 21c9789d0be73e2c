import { EXPRESSION_CHAIN } from "../../src/codemod/scripts/powershell/values.js";
import type { ConcreteNode, ConcreteTree } from "../../src/syntax/index.js";

// Reads, from a PowerShell script's syntax tree, the HTTP request each Invoke-RestMethod / Invoke-WebRequest
// sends, as PowerShell would (there is no pwsh on these machines to run it): the method (GET unless -Method
// says otherwise), the URI with the script's own variables filled in, a -Body hashtable added to the query
// of a GET (PowerShell's documented behaviour for an IDictionary body) or sent as a form otherwise, -Headers,
// and -NoProxy. Written apart from the rewrite's own readers (only the grammar's expression chain is shared),
// so that it checks them rather than repeats them.

export interface ScriptRequest {
  command: string;
  method: string;
  /** Scheme, host and path, without the query. */
  url: string;
  query: [string, string][];
  /** A form body (name, value); empty when none is sent. */
  form: [string, string][];
  headers: Record<string, string>;
  noProxy: boolean;
}

const SWITCHES = new Set(["usebasicparsing", "noproxy", "usedefaultcredentials", "disablekeepalive"]);

/**
 * The parameter PowerShell binds a name to: its own name in any case, or the one parameter of the cmdlets'
 * (5.1 and 7) it is a prefix of. Ambiguous or unknown names stay as written.
 */
function boundName(written: string): string {
  const names = [
    ...["uri", "method", "custommethod", "headers", "body", "contenttype", "form", "infile", "outfile"],
    ...["credential", "certificate", "certificatethumbprint", "useragent", "timeoutsec", "proxy"],
    ...["connectiontimeoutseconds", "operationtimeoutseconds", "maximumredirection", "maximumretrycount"],
    ...["retryintervalsec", "proxycredential", "websession", "sessionvariable", "transferencoding"],
    ...["sslprotocol", "token", "authentication", "maximumfollowrellink", "responseheadersvariable"],
    ...["statuscodevariable", "httpversion", "unixsocket", ...SWITCHES],
  ];
  if (names.includes(written)) return written;
  const bound = names.filter((name) => name.startsWith(written));
  return bound.length === 1 ? bound[0]! : written;
}

export function requestsOf(tree: ConcreteTree): ScriptRequest[] {
  const { text } = tree;
  const at = (node: ConcreteNode) => text.slice(node.start, node.end);
  const named = (node: ConcreteNode) => node.children.filter((c) => c.named);
  const unwrap = (node: ConcreteNode): ConcreteNode => {
    let current = node;
    while (EXPRESSION_CHAIN.has(current.type) && named(current).length === 1) current = named(current)[0]!;
    return current;
  };
  const all: ConcreteNode[] = [];
  const stack = [tree.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    all.push(node);
    stack.push(...[...node.children].reverse());
  }
  const variables = new Map<string, ConcreteNode>();
  for (const node of all) {
    if (node.type !== "assignment_expression") continue;
    const target = unwrap(node.children[0]!.children[0] ?? node.children[0]!);
    const value = node.children.find((c) => c.field === "value");
    if (target.type === "variable" && value) variables.set(at(target).slice(1).toLowerCase(), unwrap(value));
  }
  const evaluate = (node: ConcreteNode): string => {
    const value = unwrap(node);
    const raw = at(value);
    switch (value.type) {
      case "generic_token":
        return raw;
      case "verbatim_string_characters":
        return raw.slice(1, -1).replaceAll("''", "'");
      case "expandable_string_literal":
        return raw.slice(1, -1).replace(/\$(\w+)/g, (_, name: string) => {
          const known = variables.get(name.toLowerCase());
          return known ? evaluate(known) : `{${name}}`;
        });
      case "variable": {
        const known = variables.get(raw.slice(1).toLowerCase());
        if (!known) throw new Error(`${raw} is not assigned in the script`);
        return evaluate(known);
      }
      default:
        throw new Error(`cannot evaluate ${value.type}: ${raw}`);
    }
  };
  const hashtable = (node: ConcreteNode): [string, string][] | undefined => {
    let value = unwrap(node);
    if (value.type === "variable") value = variables.get(at(value).slice(1).toLowerCase()) ?? value;
    if (value.type !== "hash_literal_expression") return undefined;
    const body = named(value).find((c) => c.type === "hash_literal_body");
    return (body ? named(body) : []).map((entry) => {
      const [key, item] = named(entry) as [ConcreteNode, ConcreteNode];
      return [at(key).replace(/^["']|["']$/g, ""), evaluate(item)];
    });
  };

  const requests: ScriptRequest[] = [];
  for (const node of all) {
    if (node.type !== "command") continue;
    const name = at(node.children.find((c) => c.field === "command_name")!);
    if (!/^(invoke-restmethod|invoke-webrequest|irm|iwr)$/i.test(name)) continue;
    const elements = named(node.children.find((c) => c.field === "command_elements")!).filter(
      (c) => c.type !== "command_argument_sep",
    );
    const parameters = new Map<string, ConcreteNode | undefined>();
    const positional: ConcreteNode[] = [];
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i]!;
      if (element.type !== "command_parameter") {
        positional.push(element);
        continue;
      }
      const parameter = boundName(at(element).slice(1).replace(/:$/, "").toLowerCase());
      if (SWITCHES.has(parameter)) parameters.set(parameter, undefined);
      else parameters.set(parameter, elements[++i]);
    }
    const uri = evaluate(parameters.get("uri") ?? positional[0]!);
    const [url, search = ""] = uri.split("?", 2) as [string, string?];
    const query = search === "" ? [] : search.split("&").map((pair) => split(pair));
    const method = parameters.has("method") ? evaluate(parameters.get("method")!).toUpperCase() : "GET";
    const bodyNode = parameters.get("body");
    let form: [string, string][] = [];
    if (bodyNode) {
      const table = hashtable(bodyNode);
      if (table && method === "GET") query.push(...table);
      else if (table) form = table;
      else
        form = evaluate(bodyNode)
          .split("&")
          .map((pair) => split(pair));
    }
    const headers = Object.fromEntries(parameters.get("headers") ? (hashtable(parameters.get("headers")!) ?? []) : []);
    requests.push({ command: name, method, url, query, form, headers, noProxy: parameters.has("noproxy") });
  }
  return requests;
}

function split(pair: string): [string, string] {
  const equals = pair.indexOf("=");
  return equals === -1 ? [pair, ""] : [pair.slice(0, equals), pair.slice(equals + 1)];
}
