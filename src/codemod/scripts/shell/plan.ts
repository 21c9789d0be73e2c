import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import type { Located, Outcome } from "../../findings.js";
import type { ScriptContext, ScriptPlan } from "../context.js";
import { imdsUrlPrefix, unwrittenReason, urlEdit, type UrlOccurrence } from "../extension-url.js";
import { ancestor, descendants, fieldOf, innermost, lineAt, namedChildren, textOf } from "../nodes.js";
import { planCurl } from "./curl.js";
import { planWget } from "./wget.js";
import { argumentOf, doubleQuotedText, quoteWord, staticValue, valueBefore } from "./words.js";

// Shell: each extension URL is followed from its word to the command that uses it: a curl or wget argument,
// or a variable assigned once in the script whose every read is one (the variable is then rewritten where
// it is assigned). Anything else goes to a person with the reason.

const WORDS = new Set(["word", "string", "raw_string", "concatenation", "heredoc_body", "ansi_c_string"]);

/** The URL as a command receives it, and the edits that make it the IMDS URL. */
export interface ShellUrl {
  /** The command's argument that holds the URL or the variable holding it. */
  argument: ConcreteNode;
  edits: TextEdit[];
  occurrence: UrlOccurrence;
  /** The argument as it will read after the edits, for inside double quotes. */
  quoted: string | undefined;
  /** The same when nothing in it expands. */
  value: string | undefined;
}

export type CommandPlanner = (context: ScriptContext, command: ConcreteNode, url: ShellUrl) => Outcome;

const COMMANDS: Record<string, CommandPlanner> = { curl: planCurl, wget: planWget };

export function planShell(context: ScriptContext, urls: readonly UrlOccurrence[]): ScriptPlan {
  const { text, root } = context;
  const sites: Located[] = [];
  const review = (node: ConcreteNode, reason: string) =>
    sites.push({ start: node.start, end: node.end, outcome: { kind: "review", client: "shell", reason } });
  for (const occurrence of urls) {
    const piece = innermost(root, occurrence.start, occurrence.end, (node) => WORDS.has(node.type));
    if (!piece) continue; // comments
    if (piece.type === "heredoc_body" || piece.type === "ansi_c_string") {
      review(piece, "the URL is in a here-document or $'…' string, which msi2imds does not rewrite");
      continue;
    }
    const argument = argumentOf(piece);
    if (valueBefore(text, argument, occurrence.start) !== "" || ancestor(piece, (n) => n.type === "expansion")) {
      review(piece, "the URL is part of a longer text, not a word of its own");
      continue;
    }
    const holder = argument.parent!;
    if (occurrence.kind !== "literal") {
      review(holder.type === "command" ? holder : argument, unwrittenReason(occurrence));
      continue;
    }
    const edits = [literalEdit(context, piece, occurrence)];
    if (holder.type === "command" && argument.field === "argument") {
      const [quoted, value] = rewrittenWord(context, argument, occurrence);
      const url = { argument, edits, occurrence, quoted, value };
      sites.push({ start: holder.start, end: holder.end, outcome: planCommand(context, holder, url) });
    } else if (holder.type === "variable_assignment") {
      sites.push(...followVariable(context, holder, edits, occurrence));
    } else review(argument, "it is not passed straight to curl or wget");
  }
  return { sites };
}

function planCommand(context: ScriptContext, command: ConcreteNode, url: ShellUrl): Outcome {
  const name = textOf(context.text, fieldOf(command, "name")!);
  const planner = COMMANDS[name];
  if (planner) return planner(context, command, url);
  return { kind: "review", client: name, reason: `it is passed to ${name}, a command msi2imds does not rewrite` };
}

/**
 * The URL replaced where it is written: in place inside quotes; a bare word is quoted whole, since the IMDS
 * URL's "?" and "&" would otherwise be a glob and a background job.
 */
function literalEdit(context: ScriptContext, piece: ConcreteNode, occurrence: UrlOccurrence): TextEdit {
  const edit = urlEdit(occurrence, context.settings.apiVersion);
  if (piece.type !== "word") return edit;
  const value = context.text.slice(piece.start, edit.start) + edit.text + context.text.slice(edit.end, piece.end);
  return { start: piece.start, end: piece.end, text: quoteWord(value, value.replace(/[$`"\\]/g, "\\$&")) };
}

/** The argument's text after the URL is replaced: for inside double quotes, and its value if fixed. */
function rewrittenWord(
  context: ScriptContext,
  argument: ConcreteNode,
  occurrence: UrlOccurrence,
): [string | undefined, string | undefined] {
  const length = occurrence.end - occurrence.start;
  const prefix = imdsUrlPrefix(context.settings.apiVersion, occurrence.query);
  const quoted = doubleQuotedText(context.text, argument);
  const value = staticValue(context.text, argument);
  return [quoted && prefix + quoted.slice(length), value && prefix + value.slice(length)];
}

/** A variable holding the URL is rewritten where it is assigned only if every read of it is rewritten too. */
function followVariable(
  context: ScriptContext,
  assignment: ConcreteNode,
  edits: TextEdit[],
  occurrence: UrlOccurrence,
): Located[] {
  const { text, root } = context;
  const name = textOf(text, fieldOf(assignment, "name")!);
  const value = fieldOf(assignment, "value")!;
  const review = (reason: string): Located[] => [
    { start: value.start, end: value.end, outcome: { kind: "review", client: "shell", reason } },
  ];
  const declaration = assignment.parent?.type === "declaration_command" ? assignment.parent : undefined;
  if (declaration && /^(export\b|declare\s+-\w*x|typeset\s+-\w*x)/.test(textOf(text, declaration)))
    return review(`${name} is exported: the scripts it is passed to read it where msi2imds cannot follow`);
  const assignments: ConcreteNode[] = [];
  const reads: ConcreteNode[] = [];
  for (const node of descendants(root)) {
    const variable = node.type === "variable_assignment" ? fieldOf(node, "name") : undefined;
    if (variable && textOf(text, variable) === name) assignments.push(node);
    if ((node.type === "simple_expansion" || node.type === "expansion") && expandedName(text, node) === name)
      reads.push(node);
    if (node.type === "command" && /^(read|export|unset)$/.test(textOf(text, fieldOf(node, "name")!)))
      if (namedChildren(node).some((arg) => arg.field === "argument" && textOf(text, arg) === name))
        assignments.push(node);
  }
  if (assignments.length > 1) return review(`${name} is assigned more than once`);
  if (reads.length === 0) return review(`${name} is not read in this script: it is read where msi2imds cannot follow`);
  const rewritten: Located[] = [];
  const others: Located[] = [];
  let stray: ConcreteNode | undefined;
  for (const read of reads) {
    const argument = argumentOf(read);
    const command = argument.parent!;
    const tail = tailEdits(text, argument, read, occurrence);
    if (
      command.type !== "command" ||
      argument.field !== "argument" ||
      (read.type === "expansion" && namedChildren(read).length > 1) ||
      valueBefore(text, argument, read.start) !== "" ||
      typeof tail === "string"
    ) {
      stray ??= read;
      continue;
    }
    // The word as it will read, for a form joined on to it: the "?" of its query is then "&".
    const quoted = doubleQuotedText(text, argument);
    const url: ShellUrl = {
      argument,
      edits: [...edits, ...tail],
      occurrence,
      quoted: tail.length > 0 ? quoted?.replace("?", "&") : quoted,
      value: undefined,
    };
    const outcome = quotedRead(text, planCommand(context, command, url), argument, read);
    (outcome.kind === "rewrite" ? rewritten : others).push({ start: command.start, end: command.end, outcome });
    if (outcome.kind === "review") stray ??= read;
  }
  if (!stray) return rewritten;
  if (rewritten.length === 0) return others.length > 0 ? others : review(`${name} ${whereRead(text, stray)}`);
  const reason =
    `the variable ${name} holding the URL is also read on line ${lineAt(text, stray.start)}, ` +
    "where msi2imds cannot rewrite it";
  return rewritten.map((site) => ({
    ...site,
    outcome: { kind: "review", client: site.outcome.client, reason },
  }));
}

/**
 * A bare `$URL` argument gets double quotes: the IMDS URL's "?" is a glob character, and under nullglob or
 * failglob an unquoted expansion holding it vanishes or stops the script. Left as it is when the planner
 * rewrote the argument itself.
 */
function quotedRead(text: string, outcome: Outcome, argument: ConcreteNode, read: ConcreteNode): Outcome {
  if (outcome.kind !== "rewrite" || argument !== read) return outcome;
  if (outcome.edits.some((e) => e.start < argument.end && argument.start < e.end)) return outcome;
  const quoted = { start: read.start, end: read.end, text: `"${textOf(text, read)}"` };
  return { ...outcome, edits: [...outcome.edits, quoted] };
}

function whereRead(text: string, read: ConcreteNode): string {
  const command = argumentOf(read).parent;
  const name = command?.type === "command" ? textOf(text, fieldOf(command, "name")!) : undefined;
  return name
    ? `is passed to ${name}, a command msi2imds does not rewrite (line ${lineAt(text, read.start)})`
    : `is read on line ${lineAt(text, read.start)}, not passed straight to curl or wget`;
}

function expandedName(text: string, node: ConcreteNode): string | undefined {
  const variable = namedChildren(node).find((child) => child.type === "variable_name");
  return variable && textOf(text, variable);
}

/** After `$URL` in its word: nothing, or a query whose "?" becomes "&" once the URL carries api-version. */
function tailEdits(
  text: string,
  argument: ConcreteNode,
  read: ConcreteNode,
  occurrence: UrlOccurrence,
): TextEdit[] | string {
  const end = argument.type === "string" ? argument.end - 1 : argument.end;
  const rest = text.slice(read.end, end);
  if (rest === "" || rest === '"') return [];
  if (rest.startsWith("?") && !occurrence.query) return [{ start: read.end, end: read.end + 1, text: "&" }];
  if ((rest.startsWith("&") || /^"?[?&]/.test(rest)) && occurrence.query) return [];
  return `something other than a query is joined on to the URL (${rest.slice(0, 20)})`;
}
