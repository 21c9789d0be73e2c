import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import type { Located, Outcome } from "../../findings.js";
import type { ScriptContext, ScriptPlan } from "../context.js";
import { imdsUrlPrefix, unwrittenReason, urlEdit, type UrlOccurrence } from "../extension-url.js";
import { descendants, fieldOf, innermost, lineAt, namedChildren, textOf } from "../nodes.js";
import { readCommand } from "./command.js";
import { INVOKE_COMMANDS, planInvoke, type InvokeContext, type PowerShellUrl } from "./invoke.js";
import { assignments, doubleQuotedText, inner, outer, STRINGS, stringValue, variableName } from "./values.js";
import { knowsNoProxy } from "./version.js";

// PowerShell: each extension URL is followed from its string to the command that uses it: the -Uri (or
// first positional argument) of Invoke-RestMethod / Invoke-WebRequest, or a variable assigned once whose
// every read is one. Splatted parameters, URLs built at run time and other commands go to a person. A
// script that does not say it runs on PowerShell 6 or later cannot get -NoProxy: the rewrite's note says so.

export function planPowerShell(context: ScriptContext, urls: readonly UrlOccurrence[]): ScriptPlan {
  const { text, root } = context;
  const invoke: InvokeContext = { context, assigned: assignments(root, text), noProxyKnown: knowsNoProxy(text) };
  const sites: Located[] = [];
  const review = (node: ConcreteNode, reason: string) =>
    sites.push({ start: node.start, end: node.end, outcome: { kind: "review", client: "PowerShell", reason } });
  for (const occurrence of urls) {
    const string = innermost(root, occurrence.start, occurrence.end, (node) => STRINGS.has(node.type));
    if (!string) continue; // comments
    if (string.type.includes("here_string")) {
      review(string, "the URL is in a here-string, which msi2imds does not rewrite");
      continue;
    }
    const opening = string.type === "generic_token" ? 0 : 1;
    if (occurrence.start !== string.start + opening) {
      review(string, "the URL is part of a longer text, not a URL of its own");
      continue;
    }
    const holder = outer(string);
    const command = holder.parent?.type === "command_elements" ? holder.parent.parent! : undefined;
    if (occurrence.kind !== "literal") {
      review(command ?? string, unwrittenReason(occurrence));
      continue;
    }
    const edit = literalEdit(context, string, occurrence);
    if (command) {
      const quoted = doubleQuotedText(text, string);
      const value = stringValue(text, string);
      const length = occurrence.end - occurrence.start;
      const prefix = imdsUrlPrefix(context.settings.apiVersion, occurrence.query);
      const url: PowerShellUrl = {
        element: holder,
        edits: [edit],
        host: occurrence.host,
        port: occurrence.port,
        quoted: quoted && prefix + quoted.slice(length),
        value: value && prefix + value.slice(length),
      };
      sites.push({ start: command.start, end: command.end, outcome: planCommand(invoke, command, url) });
      continue;
    }
    const assignment = holder.parent?.type === "assignment_expression" ? holder.parent : undefined;
    if (assignment && fieldOf(assignment, "value") === holder) {
      sites.push(...followVariable(invoke, assignment, edit, occurrence, string));
      continue;
    }
    review(string, holder.parent?.type === "hash_entry" ? inHashtable(invoke, holder.parent) : NOT_PASSED);
  }
  return { sites };
}

const NOT_PASSED = "it is not passed straight to Invoke-RestMethod or Invoke-WebRequest";

/** Why a URL in a hashtable is left alone: splatted parameters, or a table msi2imds does not follow. */
function inHashtable(invoke: InvokeContext, entry: ConcreteNode): string {
  const { text, root } = invoke.context;
  const hash = entry.parent?.parent;
  const assignment = hash && outer(hash).parent;
  if (assignment?.type !== "assignment_expression") return NOT_PASSED;
  const name = variableName(text, inner(namedChildren(fieldOf(assignment, "left") ?? assignment.children[0]!)[0]!));
  for (const node of descendants(root)) {
    if (node.type !== "variable" || textOf(text, node).toLowerCase() !== `@${name}`) continue;
    const command = outer(node).parent?.parent;
    const called = command?.type === "command" ? readCommand(text, command).written : "a command";
    return `it is splatted into ${called} (@${name}), whose parameters msi2imds does not rewrite`;
  }
  return `it is a value in the hashtable $${name}, which msi2imds does not follow`;
}

function planCommand(invoke: InvokeContext, command: ConcreteNode, url: PowerShellUrl): Outcome {
  const { name, written } = readCommand(invoke.context.text, command);
  if (INVOKE_COMMANDS.has(name)) return planInvoke(invoke, command, url);
  return { kind: "review", client: written, reason: `it is passed to ${written}, which msi2imds does not rewrite` };
}

/** The URL replaced where it is written: in place inside quotes; a bare word is quoted whole. */
function literalEdit(context: ScriptContext, string: ConcreteNode, occurrence: UrlOccurrence): TextEdit {
  const edit = urlEdit(occurrence, context.settings.apiVersion);
  if (string.type !== "generic_token") return edit;
  const value = context.text.slice(string.start, edit.start) + edit.text + context.text.slice(edit.end, string.end);
  return { start: string.start, end: string.end, text: `'${value.replaceAll("'", "''")}'` };
}

/** A variable holding the URL is rewritten where it is assigned only if every read of it is rewritten too. */
function followVariable(
  invoke: InvokeContext,
  assignment: ConcreteNode,
  edit: TextEdit,
  occurrence: UrlOccurrence,
  string: ConcreteNode,
): Located[] {
  const { text, root } = invoke.context;
  const target = inner(namedChildren(fieldOf(assignment, "left") ?? assignment.children[0]!)[0]!);
  const name = variableName(text, target);
  const review = (reason: string): Located[] => [
    { start: string.start, end: string.end, outcome: { kind: "review", client: "PowerShell", reason } },
  ];
  if ((invoke.assigned.get(name)?.length ?? 0) > 1) return review(`$${name} is assigned more than once`);
  const reads = [...descendants(root)].filter(
    (node) => node.type === "variable" && node !== target && variableName(text, node) === name,
  );
  if (reads.length === 0) return review(`$${name} is not read in this script`);
  const rewritten: Located[] = [];
  let stray: ConcreteNode | undefined;
  for (const read of reads) {
    const element = outer(read);
    const command = element.parent?.type === "command_elements" ? element.parent.parent! : undefined;
    if (textOf(text, read).startsWith("@") || !command || (element !== read && inner(element) !== read)) {
      stray ??= read;
      continue;
    }
    const url: PowerShellUrl = {
      element,
      edits: [edit],
      host: occurrence.host,
      port: occurrence.port,
      quoted: textOf(text, read),
      value: undefined,
    };
    const outcome = planCommand(invoke, command, url);
    if (outcome.kind === "review") stray ??= read;
    rewritten.push({ start: command.start, end: command.end, outcome });
  }
  if (!stray) return rewritten;
  const line = lineAt(text, stray.start);
  const reason = textOf(text, stray).startsWith("@")
    ? `$${name} is splatted into a command on line ${line}, whose parameters msi2imds does not read`
    : `$${name} holding the URL is also read on line ${line}, where msi2imds cannot rewrite it`;
  const planned = rewritten.filter((site) => site.outcome.kind === "rewrite");
  if (planned.length === 0) return rewritten.length > 0 ? rewritten : review(reason);
  return planned.map((site) => ({ ...site, outcome: { kind: "review", client: site.outcome.client, reason } }));
}
