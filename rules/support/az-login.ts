import type { Language } from "../../src/core/language.js";
import type { SyntaxTree } from "../../src/core/syntax-tree.js";
import { inComment } from "./code-paths.js";
import { commandAt, lineBefore, type Source } from "./extent.js";
import { matches } from "./matches.js";

// The Azure CLI's first managed-identity sign-in, `az login --msi` and `--msi-port N`, which asked the VM
// extension: where lint reports it and fix renames it, found once.

export interface AzLoginSwitch {
  /** Where its `az login` starts: the switches of one command share it. */
  login: number;
  start: number;
  /** `--msi` or `--msi-port`, as written. */
  option: string;
}

/** What ends a command on its line: a list or pipe operator, a substitution's end, a backgrounding `&`. */
const LIST_OR_PIPE = String.raw`&&|\|\||[;|)]|(?<![<>&\d])&(?![>&\d])`;
/** A backtick too ends one, except in PowerShell, where it continues the line. */
const COMMAND_END = new RegExp(`${LIST_OR_PIPE}|\``);
const POWERSHELL_COMMAND_END = new RegExp(LIST_OR_PIPE);
/** A word that prints or logs a message: `az login` in a quote it opened is history, not a sign-in. */
const MESSAGE = /\b(?:echo|printf?|println|puts|Write-(?:Host|Output|Warning|Verbose|Error)|error|warn(?:ing)?)\b/i;
/** The languages whose grammar tells a string from a command. */
const GRAMMARS: ReadonlySet<Language> = new Set(["shell", "powershell"]);

/**
 * The --msi switches of every `az login` that runs: not in a comment, not text (a string a shell prints, a
 * message of a pipeline), its continuation lines joined, up to the end of its command.
 */
export function azLoginMsiSwitches(source: Source, language: Language, tree: SyntaxTree): AzLoginSwitch[] {
  const { text } = source;
  const found: AzLoginSwitch[] = [];
  const logins = [...matches(text, /\baz\s+login\b/g)];
  for (const [i, login] of logins.entries()) {
    if (!runs(tree, language, login.index)) continue;
    const command = commandAt(source, login.index, language);
    // Its switches end where its command does, or where the next `az login` starts on the same line.
    let end = Math.min(command.end, logins[i + 1]?.index ?? command.end);
    const from = login.index + login[0].length;
    const stop = (language === "powershell" ? POWERSHELL_COMMAND_END : COMMAND_END).exec(text.slice(from, end));
    if (stop) end = from + stop.index;
    // Quoted as a whole (`sh 'az login --msi'`): the quote that opened it closes it.
    const quote = /(["'])\s*$/.exec(text.slice(Math.max(0, login.index - 8), login.index))?.[1];
    const closing = quote === undefined ? -1 : text.indexOf(quote, from);
    if (closing !== -1 && closing < end) end = closing;
    // The switch may close a command substitution, a quote or an element: $(az login --msi), `…`, <code>…</code>.
    const switches = /(?<=\s)--msi(?:-port)?(?=[\s=)`"';|&<]|$)/g;
    for (const m of matches(text.slice(login.index, end), switches))
      found.push({ login: login.index, start: login.index + m.index, option: m[0] });
  }
  return found;
}

function runs(tree: SyntaxTree, language: Language, offset: number): boolean {
  if (inComment(tree, offset)) return false;
  if (GRAMMARS.has(language))
    return tree.enclosing(offset, offset, ["string", "command-substitution"])?.kind !== "string";
  const line = lineBefore(tree.text, offset, 400);
  const message = MESSAGE.exec(line);
  return !message || !insideQuote(line.slice(message.index));
}

/** Whether the end of `text` is inside a quote it opened. */
function insideQuote(text: string): boolean {
  let open: string | undefined;
  for (const c of text) if (c === '"' || c === "'") open = open === undefined ? c : open === c ? undefined : open;
  return open !== undefined;
}
