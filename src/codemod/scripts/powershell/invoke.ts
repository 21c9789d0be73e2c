import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import { FORBIDDEN_IMDS_HEADER, METADATA_HEADER_NAME } from "../../../imds.js";
import type { Outcome } from "../../findings.js";
import type { ScriptContext } from "../context.js";
import { textOf } from "../nodes.js";
import { readCommand, type CommandElements, type Parameter } from "./command.js";
import { type Assignment, doubleQuotedText, hashEntries, stringValue } from "./values.js";

// Invoke-RestMethod and Invoke-WebRequest: -Method Post becomes -Method Get; a -Body hashtable stays (on a
// GET, PowerShell sends it as the query string), a -Body string moves into the URI; the Metadata header
// stays or is added; -NoProxy is added where the script says it runs on PowerShell 6 or later.

const NO_PROXY_REMARK =
  "-NoProxy was not added where the script does not say it runs on PowerShell 6 or later (Windows PowerShell " +
  "5.1 has none): make sure no proxy is configured for 169.254.169.254 where it runs, or add #Requires -Version 6";

export const INVOKE_COMMANDS = new Set(["invoke-restmethod", "invoke-webrequest", "irm", "iwr"]);

/** The URI as the command receives it, and the edits that make it the IMDS URL. */
export interface PowerShellUrl {
  /** The command element that holds the URI (a string, a bare word, a variable). */
  element: ConcreteNode;
  edits: TextEdit[];
  host: string;
  port: number | undefined;
  /** The URI as it will read, for inside double quotes, and its value when nothing expands. */
  quoted: string | undefined;
  value: string | undefined;
}

export interface InvokeContext {
  context: ScriptContext;
  assigned: Map<string, Assignment[]>;
  noProxyKnown: boolean;
}

const FORM = /^\s*application\/x-www-form-urlencoded\s*$/i;

/** The element a command binds to -Uri: the parameter's, or the first positional argument. */
function uriElement(command: CommandElements): ConcreteNode | undefined {
  return command.parameters.get("uri")?.element ?? command.positional[0];
}

export function planInvoke(invoke: InvokeContext, node: ConcreteNode, url: PowerShellUrl): Outcome {
  const { text } = invoke.context;
  const command = readCommand(text, node);
  const client = command.written;
  const review = (reason: string): Outcome => ({ kind: "review", client, reason });
  if (command.splatted.length > 0)
    return review(`it splats ${textOf(text, command.splatted[0]!)}, whose parameters msi2imds does not read`);
  if (uriElement(command) !== url.element) return review("the URL is not what it binds to -Uri");
  const edits = [...url.edits];
  const notes: string[] = [];
  const remarks: string[] = [];
  const method = command.parameters.get("method");
  const verb = method?.value && stringValue(text, method.value)?.toUpperCase();
  if (method && verb !== "GET" && verb !== "POST")
    return review("IMDS answers GET only, and this sends another method");
  if (verb === "POST") {
    edits.push({ start: method!.value!.start, end: method!.value!.end, text: "Get" });
    notes.push("POST becomes GET");
  }
  const body = command.parameters.get("body");
  if (body) {
    const moved = planBody(invoke, command, body, url);
    if (typeof moved === "string") return review(moved);
    // A string body joined on to the URI replaces it whole: the edit of the URL inside it gives way.
    const [uri] = moved;
    if (uri?.start === url.element.start) edits.splice(0, edits.length, ...edits.filter((e) => !within(e, uri)));
    edits.push(...moved);
    const type = command.parameters.get("contenttype");
    if (type?.value && FORM.test(stringValue(text, type.value) ?? "")) edits.push(remove(command, type));
    notes.push("the form is sent as the query of a GET");
  }
  const back: string[] = [];
  const headers = command.parameters.get("headers");
  const hash = headers?.value && hashOf(invoke, headers.value);
  if (hash && hashEntries(text, hash).has(FORBIDDEN_IMDS_HEADER.toLowerCase()))
    return review(`it sends ${FORBIDDEN_IMDS_HEADER}, which IMDS refuses: remove it from the headers`);
  if (!headers) {
    back.push('-Headers @{Metadata="true"}');
    notes.push("Metadata: true added");
  } else if (hash && !hashEntries(text, hash).has(METADATA_HEADER_NAME.toLowerCase())) {
    edits.push({ start: hash.start + 2, end: hash.start + 2, text: 'Metadata="true"; ' });
    notes.push("Metadata: true added");
  }
  if (command.parameters.has("proxy")) return review("it sets -Proxy, and IMDS must be reached directly");
  if (!command.parameters.has("noproxy")) {
    if (invoke.noProxyKnown) {
      back.push("-NoProxy");
      notes.push("-NoProxy added");
    } else {
      notes.push("-NoProxy not added: the script does not say it runs on PowerShell 6 or later");
      remarks.push(NO_PROXY_REMARK);
    }
  }
  const last = command.elements.at(-1)!;
  if (back.length > 0) edits.push({ start: last.end, end: last.end, text: ` ${back.join(" ")}` });
  return { kind: "rewrite", client, host: url.host, port: url.port, edits, notes, remarks };
}

/**
 * A hashtable body stays: a GET sends it as the query. A string body is joined on to the URI, which it
 * replaces whole, and -Body goes.
 */
function planBody(
  invoke: InvokeContext,
  command: CommandElements,
  body: Parameter,
  url: PowerShellUrl,
): TextEdit[] | string {
  const { text } = invoke.context;
  if (!body.value) return "its -Body has no value msi2imds can read";
  if (hashOf(invoke, body.value)) return [];
  const form = stringOf(invoke, body.value);
  const formQuoted = form && doubleQuotedText(text, form);
  if (!formQuoted || url.quoted === undefined)
    return `its -Body (${textOf(text, body.value)}) is not a hashtable or a string msi2imds can move into the URI`;
  const formValue = stringValue(text, form);
  const joined =
    url.value !== undefined && formValue !== undefined && !`${url.value}${formValue}`.includes("'")
      ? `'${url.value}&${formValue}'`
      : `"${url.quoted}&${formQuoted}"`;
  return [{ start: url.element.start, end: url.element.end, text: joined }, remove(command, body)];
}

function within(edit: TextEdit, outer: TextEdit): boolean {
  return edit.start >= outer.start && edit.end <= outer.end;
}

/** A hashtable literal, directly or through a variable assigned once. */
function hashOf(invoke: InvokeContext, value: ConcreteNode): ConcreteNode | undefined {
  const resolved = resolve(invoke, value);
  return resolved?.type === "hash_literal_expression" ? resolved : undefined;
}

function stringOf(invoke: InvokeContext, value: ConcreteNode): ConcreteNode | undefined {
  const resolved = resolve(invoke, value);
  return resolved && resolved.type !== "hash_literal_expression" ? resolved : undefined;
}

function resolve(invoke: InvokeContext, value: ConcreteNode): ConcreteNode | undefined {
  if (value.type !== "variable") return value;
  const name = textOf(invoke.context.text, value).slice(1).toLowerCase();
  const assigned = invoke.assigned.get(name);
  return assigned?.length === 1 ? assigned[0]!.value : undefined;
}

/** Removes a parameter and its value, with the separator before them (a line continuation included). */
export function remove(command: CommandElements, parameter: Parameter): TextEdit {
  const index = command.elements.indexOf(parameter.node);
  const before = command.elements[index - 1];
  const end = (parameter.element ?? parameter.node).end;
  return { start: before ? before.end : parameter.node.start, end, text: "" };
}
