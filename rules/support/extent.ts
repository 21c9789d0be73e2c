import type { Language } from "../../src/core/language.js";
import type { LineIndex } from "../../src/core/positions.js";

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

/** A file's text and its line index: every extent is found in time that does not grow with the line. */
export interface Source {
  text: string;
  lines: LineIndex;
}

/** The marks that continue a command on the next line; in text of no known syntax, a shell's or a batch file's. */
const CONTINUATION: Partial<Record<Language, string>> = {
  shell: "\\",
  yaml: "\\",
  dockerfile: "\\",
  powershell: "`",
  text: "\\^",
};
const MAX_LINES = 20;
/**
 * How far a statement reaches on either side of its match. A minified file is one line: without a bound,
 * each of its matches would look at all of it, and the work would grow with the square of its size.
 */
const MAX_STATEMENT = 2000;

/**
 * The text of `offset`'s line before it, looking back at most `reach` characters (a minified line of many
 * matches stays linear). It is the whole of that part of the line when shorter than `reach` or when it starts
 * the text.
 */
export function lineBefore(text: string, offset: number, reach: number): string {
  const window = text.slice(Math.max(0, offset - reach), offset);
  return window.slice(window.lastIndexOf("\n") + 1);
}

export function isCommandLanguage(language: Language): boolean {
  return CONTINUATION[language] !== undefined;
}

export function lineAt(source: Source, offset: number): Span {
  return source.lines.spanAt(offset);
}

/** The command containing `offset`, its continuation lines included (at most MAX_LINES more each way). */
export function commandAt(source: Source, offset: number, language: Language): Span {
  const { text } = source;
  const marks = CONTINUATION[language];
  let { start, end } = lineAt(source, offset);
  if (!marks) return { start, end };
  for (let i = 0; i < MAX_LINES && start > 0; i++) {
    const previous = lineAt(source, start - 1);
    if (!endsWithMark(text, previous, marks)) break;
    start = previous.start;
  }
  for (let i = 0; i < MAX_LINES && endsWithMark(text, { start, end }, marks) && end < text.length; i++) {
    end = lineAt(source, text.indexOf("\n", end) + 1).end;
  }
  return { start, end };
}

/** Whether the span's last character other than white space is one of `marks`: read from its end, not sliced. */
function endsWithMark(text: string, span: Span, marks: string): boolean {
  let i = span.end - 1;
  while (i >= span.start && text[i]!.trim() === "") i--;
  return i >= span.start && marks.includes(text[i]!);
}

/**
 * The statement containing `offset` in code: back to the line of the innermost bracket still open at
 * `offset`, forward until that bracket closes. At most MAX_STATEMENT on either side, so a stray bracket
 * cannot swallow a file.
 */
export function statementAt(source: Source, offset: number): Statement {
  const { text } = source;
  const floor = Math.max(0, offset - MAX_STATEMENT);
  let depth = 0;
  let nested = false;
  let start = Math.max(floor, lineAt(source, offset).start);
  // Character codes, not one-character strings: this runs for every match, a few thousand characters each.
  for (let i = offset - 1; i >= floor; i--) {
    const c = text.charCodeAt(i);
    if (c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) depth++;
    else if (c === OPEN_PAREN || c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (depth === 0) {
        nested = true;
        start = Math.min(start, Math.max(floor, lineAt(source, i).start));
        if (c === OPEN_BRACE) break;
      } else depth--;
    } else if (c === SEMICOLON && depth === 0) break;
  }
  depth = 0;
  const ceiling = Math.min(text.length, offset + MAX_STATEMENT);
  let end = ceiling;
  for (let i = start; i < ceiling; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_PAREN || c === OPEN_BRACKET || c === OPEN_BRACE) depth++;
    else if (c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
    if (i >= offset && (depth < 0 || (depth === 0 && (c === NEWLINE || c === SEMICOLON)))) {
      end = i;
      break;
    }
  }
  return { start, end, nested };
}

const [OPEN_PAREN, CLOSE_PAREN, OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE, SEMICOLON, NEWLINE] = [
  ..."()[]{};\n",
].map((c) => c.charCodeAt(0));

/** The call's argument text from the "(" at `openParen` to its matching ")" (bounded). */
export function callArguments(text: string, openParen: number, reach = 2000): string {
  let depth = 0;
  for (let i = openParen; i < Math.min(text.length, openParen + reach); i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return text.slice(openParen + 1, i);
  }
  return text.slice(openParen + 1, Math.min(text.length, openParen + reach));
}

/** Splits at top-level commas (brackets and quotes respected). */
export function splitArguments(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let from = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(args.slice(from, i).trim());
      from = i + 1;
    }
  }
  const last = args.slice(from).trim();
  if (last !== "") parts.push(last);
  return parts;
}

/**
 * Command-line options of a command: `--name value`, `--name=value`, `-Name value`; keys lower-cased. The
 * command ends at `;`, `|` or `&` outside quotes: what follows is another command's.
 */
export function commandOptions(command: string): Map<string, { value: string; offset: number }> {
  const tokens: RegExpExecArray[] = [];
  const token = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"'`\\;|&]+)|([;|&])/g;
  for (let m = token.exec(command); m !== null && m[4] === undefined; m = token.exec(command)) tokens.push(m);
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

/** A line by where it starts, its text and its indentation. */
export interface IndentedLine {
  start: number;
  text: string;
  indent: number;
}

export function indentedLineAt(text: string, offset: number): IndentedLine {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", start);
  const line = text.slice(start, end === -1 ? text.length : end);
  return { start, text: line, indent: /^[ \t]*/.exec(line)![0].length };
}

/**
 * The line an indented line hangs from in YAML (a mapping's key, a list item): the nearest line above,
 * not blank, indented less than `indent`, looked for at most `maxLines` up.
 */
export function parentLine(text: string, line: IndentedLine, maxLines: number): IndentedLine | undefined {
  let start = line.start;
  for (let i = 0; i < maxLines && start > 0; i++) {
    const above = indentedLineAt(text, start - 1);
    start = above.start;
    if (above.text.trim() !== "" && above.indent < line.indent) return above;
  }
  return undefined;
}
