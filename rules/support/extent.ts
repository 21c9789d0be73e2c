import type { Language } from "../../src/core/language.js";

// How far a match's context reaches: the shell or PowerShell command it sits in (continuation lines
// joined) or the code statement around it (open brackets followed). Rules look only inside it, which is
// what keeps their false positives low.

export interface Span {
  start: number;
  end: number;
}

export interface Statement extends Span {
  /** The offset sits inside an open bracket of the statement (a call's arguments, an object literal). */
  nested: boolean;
}

const CONTINUATION: Partial<Record<Language, string>> = { shell: "\\", yaml: "\\", dockerfile: "\\", powershell: "`" };
const MAX_LINES = 20;

export function isCommandLanguage(language: Language): boolean {
  return CONTINUATION[language] !== undefined;
}

export function lineAt(text: string, offset: number): Span {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const newline = text.indexOf("\n", offset);
  const end = newline === -1 ? text.length : newline;
  return { start, end: text[end - 1] === "\r" ? end - 1 : end };
}

/** The command containing `offset`, its continuation lines included. */
export function commandAt(text: string, offset: number, language: Language): Span {
  const mark = CONTINUATION[language];
  let { start, end } = lineAt(text, offset);
  if (!mark) return { start, end };
  for (let i = 0; i < MAX_LINES && start > 0; i++) {
    const previous = lineAt(text, start - 1);
    if (!text.slice(previous.start, previous.end).trimEnd().endsWith(mark)) break;
    start = previous.start;
  }
  for (let i = 0; i < MAX_LINES && text.slice(start, end).trimEnd().endsWith(mark) && end < text.length; i++) {
    end = lineAt(text, text.indexOf("\n", end) + 1).end;
  }
  return { start, end };
}

/**
 * The statement containing `offset` in code: back to the line of the innermost bracket still open at
 * `offset`, forward until that bracket closes. Bounded, so a stray bracket cannot swallow a file.
 */
export function statementAt(text: string, offset: number): Statement {
  const limit = 2000;
  let depth = 0;
  let nested = false;
  let start = lineAt(text, offset).start;
  for (let i = offset - 1; i >= Math.max(0, offset - limit); i--) {
    const c = text[i];
    if (c === ")" || c === "]" || c === "}") depth++;
    else if (c === "(" || c === "[" || c === "{") {
      if (depth === 0) {
        nested = true;
        start = Math.min(start, lineAt(text, i).start);
        if (c === "{") break;
      } else depth--;
    } else if (c === ";" && depth === 0) break;
  }
  depth = 0;
  let end = text.length;
  for (let i = start; i < Math.min(text.length, start + limit); i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    if (i >= offset && (depth < 0 || (depth === 0 && (c === "\n" || c === ";")))) {
      end = i;
      break;
    }
    if (i === start + limit - 1) end = i + 1;
  }
  return { start, end, nested };
}

/** The call's argument text from the "(" at `openParen` to its matching ")" (bounded). */
export function callArguments(text: string, openParen: number): string {
  let depth = 0;
  for (let i = openParen; i < Math.min(text.length, openParen + 2000); i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return text.slice(openParen + 1, i);
  }
  return text.slice(openParen + 1, Math.min(text.length, openParen + 2000));
}

/** Splits at top-level commas (brackets and quotes respected). */
export function splitArguments(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let current = "";
  for (const c of args) {
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
      continue;
    }
    current += c;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

/** Command-line options of a command: `--name value`, `--name=value`, `-Name value`; keys lower-cased. */
export function commandOptions(command: string): Map<string, { value: string; offset: number }> {
  const tokens = [...command.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"'`\\]+)/g)];
  const options = new Map<string, { value: string; offset: number }>();
  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i]![3];
    if (!raw || !/^--?[A-Za-z]/.test(raw)) continue;
    const eq = raw.indexOf("=");
    if (eq !== -1) {
      options.set(raw.slice(0, eq).toLowerCase(), {
        value: raw.slice(eq + 1).replace(/^["']|["']$/g, ""),
        offset: tokens[i]!.index! + eq + 1,
      });
      continue;
    }
    const next = tokens[i + 1];
    const value = next ? (next[1] ?? next[2] ?? next[3]!) : undefined;
    if (value !== undefined && !(next![3] && /^--?[A-Za-z]/.test(next![3])))
      options.set(raw.toLowerCase(), { value, offset: next!.index! });
    else options.set(raw.toLowerCase(), { value: "", offset: tokens[i]!.index! });
  }
  return options;
}
