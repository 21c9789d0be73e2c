import type { ConcreteNode } from "../../../syntax/index.js";
import { fieldOf, namedChildren, textOf } from "../nodes.js";
import { inner } from "./values.js";

// A PowerShell command's elements read as the binder does: -Name value, -Name:value, switches, positional
// arguments, splatted hashtables.

export interface Parameter {
  /** Lower case, without the dash. */
  name: string;
  node: ConcreteNode;
  /** The element holding the value, and the value itself unwrapped. */
  element?: ConcreteNode;
  value?: ConcreteNode;
}

export interface CommandElements {
  /** Lower case, for comparing; `written` as the script spells it. */
  name: string;
  written: string;
  parameters: Map<string, Parameter>;
  positional: ConcreteNode[];
  /** `@params`: what it binds cannot be read. */
  splatted: ConcreteNode[];
  /** Every element but separators, in order. */
  elements: ConcreteNode[];
}

/** Switch parameters of Invoke-RestMethod and Invoke-WebRequest: they take no value. */
const SWITCHES = new Set([
  "usebasicparsing",
  "usedefaultcredentials",
  "disablekeepalive",
  "noproxy",
  "proxyusedefaultcredentials",
  "skipcertificatecheck",
  "skipheadervalidation",
  "skiphttperrorcheck",
  "allowunencryptedauthentication",
  "allowinsecureredirect",
  "preserveauthorizationonredirect",
  "preservehttpmethodonredirect",
  "passthru",
  "resume",
  "followrellink",
]);

/** Parameters of Invoke-RestMethod and Invoke-WebRequest (5.1 and 7) that take a value. */
const VALUED = [
  "uri",
  "method",
  "custommethod",
  "headers",
  "body",
  "contenttype",
  "form",
  "infile",
  "outfile",
  "credential",
  "certificate",
  "certificatethumbprint",
  "useragent",
  "timeoutsec",
  "connectiontimeoutseconds",
  "operationtimeoutseconds",
  "maximumredirection",
  "maximumretrycount",
  "retryintervalsec",
  "proxy",
  "proxycredential",
  "websession",
  "sessionvariable",
  "transferencoding",
  "sslprotocol",
  "token",
  "authentication",
  "maximumfollowrellink",
  "responseheadersvariable",
  "statuscodevariable",
  "httpversion",
  "unixsocket",
];
const PARAMETER_NAMES = [...VALUED, ...SWITCHES];

/**
 * The parameter a name stands for, as the binder reads it: any case, and any prefix that only one of the
 * cmdlet's parameters starts with (`-header` is -Headers, `-meth` is -Method); else the name as written.
 */
function parameterOf(written: string): string {
  if (PARAMETER_NAMES.includes(written)) return written;
  const candidates = PARAMETER_NAMES.filter((name) => name.startsWith(written));
  return candidates.length === 1 ? candidates[0]! : written;
}

export function readCommand(text: string, command: ConcreteNode): CommandElements {
  const nameNode = fieldOf(command, "command_name") ?? namedChildren(command)[0]!;
  const all = fieldOf(command, "command_elements")?.children ?? [];
  const parameters = new Map<string, Parameter>();
  const positional: ConcreteNode[] = [];
  const splatted: ConcreteNode[] = [];
  const elements = all.filter((child) => child.type !== "command_argument_sep" && child.named);
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    if (element.type === "command_parameter") {
      const name = parameterOf(textOf(text, element).replace(/^-/, "").replace(/:$/, "").toLowerCase());
      const next = elements[i + 1];
      const colon = text.slice(element.end, next?.start ?? element.end).includes(":");
      const takesValue = colon || (!SWITCHES.has(name) && next !== undefined && next.type !== "command_parameter");
      if (takesValue && next) {
        parameters.set(name, { name, node: element, element: next, value: inner(next) });
        i++;
      } else parameters.set(name, { name, node: element });
      continue;
    }
    const value = inner(element);
    if (value.type === "variable" && textOf(text, value).startsWith("@")) splatted.push(element);
    else positional.push(element);
  }
  const written = textOf(text, nameNode);
  return { name: written.toLowerCase(), written, parameters, positional, splatted, elements };
}
