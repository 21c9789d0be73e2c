import type { Language } from "../core/language.js";
import type { SyntaxNode, SyntaxTree } from "../core/syntax-tree.js";
import { syntaxTree } from "./tree.js";

// For the languages no grammar covers (ARM JSON, Bicep, Terraform/HCL, YAML, Dockerfiles, text of no known
// syntax): a lexer that tells comments and strings from the rest. That is all the rules ask of these files'
// syntax, and each lexer is a few lines where a grammar would be a megabyte of WebAssembly.

interface Lexicon {
  /** Starts of line comments; `#` counts only at a token's start (`a#b` is one word in YAML and shells). */
  lineComments: readonly string[];
  /** Line comments count only as a line's first word (text of unknown syntax: `//` is also in every URL). */
  commentsOpenLines?: boolean;
  /** Block comments, by their opening and closing marks; `true` third: only where the mark opens a line. */
  blockComments: readonly (readonly [string, string, boolean?])[];
  quotes: readonly string[];
  /** A backslash escapes inside quotes of these kinds. */
  escapes: readonly string[];
  /** A doubled quote stands for one inside quotes of these kinds (YAML's 'it''s'). */
  doubled: readonly string[];
  /** Quotes open a string only at a token's start (YAML and Dockerfiles: `it's` is a plain word). */
  quotesAtTokenStart: boolean;
  /** Bicep's '''…''' */
  tripleQuotes: boolean;
  /** Terraform's <<EOT … EOT and <<-EOT */
  heredocs: boolean;
}

const C_BLOCK = ["/*", "*/"] as const;
const XML_BLOCK = ["<!--", "-->"] as const;
// In text of unknown syntax (Groovy, Jenkinsfiles): a "/*" mid-line may be part of a glob, not a comment.
const C_BLOCK_OPENING_LINE = ["/*", "*/", true] as const;

/** What a lexicon does not say: no comments, no strings. */
const NONE: Lexicon = {
  lineComments: [],
  blockComments: [],
  quotes: [],
  escapes: [],
  doubled: [],
  quotesAtTokenStart: false,
  tripleQuotes: false,
  heredocs: false,
};

const LEXICONS: Partial<Record<Language, Lexicon>> = {
  json: { ...NONE, lineComments: ["//"], blockComments: [C_BLOCK], quotes: ['"'], escapes: ['"'] },
  bicep: { ...NONE, lineComments: ["//"], blockComments: [C_BLOCK], quotes: ["'"], escapes: ["'"], tripleQuotes: true },
  terraform: {
    ...NONE,
    lineComments: ["#", "//"],
    blockComments: [C_BLOCK],
    quotes: ['"'],
    escapes: ['"'],
    heredocs: true,
  },
  yaml: { ...NONE, lineComments: ["#"], quotes: ['"', "'"], escapes: ['"'], doubled: ["'"], quotesAtTokenStart: true },
  dockerfile: { ...NONE, lineComments: ["#"], quotes: ['"', "'"], escapes: ['"'], quotesAtTokenStart: true },
  text: {
    ...NONE,
    lineComments: ["#", "//", ";", "REM "],
    commentsOpenLines: true,
    blockComments: [XML_BLOCK, C_BLOCK_OPENING_LINE],
  },
};

/** The comments and strings of a file in a language no grammar covers. */
export function lex(language: Language, text: string): SyntaxTree {
  const lexicon = LEXICONS[language];
  if (!lexicon) throw new Error(`no grammar or lexicon for ${language}`);
  const nodes: SyntaxNode[] = [];
  const add = (kind: "comment" | "string", type: string, start: number, end: number) =>
    nodes.push({ kind, type, start, end, parent: undefined });
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const atTokenStart = i === 0 || /[\s:[{,(=-]/.test(text[i - 1]!);
    const blockComment = lexicon.blockComments.find(
      ([open, , opening]) => text.startsWith(open, i) && (!opening || opensLine(text, i)),
    );
    const lineComment = lexicon.lineComments.find(
      (p) => text.startsWith(p, i) && (lexicon.commentsOpenLines ? opensLine(text, i) : p !== "#" || atTokenStart),
    );
    if (lineComment) {
      const end = endOfLine(text, i);
      add("comment", "comment", i, end);
      i = end;
    } else if (blockComment) {
      const [open, close] = blockComment;
      const end = after(text, close, i + open.length);
      add("comment", "comment", i, end);
      i = end;
    } else if (lexicon.tripleQuotes && text.startsWith("'''", i)) {
      const end = after(text, "'''", i + 3);
      add("string", "string", i, end);
      i = end;
    } else if (lexicon.heredocs && text.startsWith("<<", i) && /^<<-?[A-Za-z_]\w*\r?\n/.test(text.slice(i, i + 80))) {
      const end = heredocEnd(text, i);
      add("string", "heredoc", i, end);
      i = end;
    } else if (lexicon.quotes.includes(c) && (!lexicon.quotesAtTokenStart || atTokenStart)) {
      const end = quotedEnd(text, i, lexicon.escapes.includes(c), lexicon.doubled.includes(c));
      add("string", "string", i, end);
      i = end;
    } else i++;
  }
  return syntaxTree(language, text, nodes, 0);
}

function opensLine(text: string, at: number): boolean {
  for (let j = at - 1; j >= 0 && text[j] !== "\n"; j--) if (text[j] !== " " && text[j] !== "\t") return false;
  return true;
}

function endOfLine(text: string, from: number): number {
  const newline = text.indexOf("\n", from);
  const end = newline === -1 ? text.length : newline;
  return text[end - 1] === "\r" ? end - 1 : end;
}

function after(text: string, marker: string, from: number): number {
  const at = text.indexOf(marker, from);
  return at === -1 ? text.length : at + marker.length;
}

/** The end of a quoted string: its closing quote, or the line's end when it has none. */
function quotedEnd(text: string, start: number, escapes: boolean, doubled: boolean): number {
  const quote = text[start];
  for (let j = start + 1; j < text.length; j++) {
    const c = text[j];
    if (c === quote && doubled && text[j + 1] === quote) j++;
    else if (c === quote) return j + 1;
    if (c === "\n") return j;
    if (escapes && c === "\\") j++;
  }
  return text.length;
}

function heredocEnd(text: string, start: number): number {
  const marker = /^<<-?([A-Za-z_]\w*)/.exec(text.slice(start, start + 80))![1]!;
  const close = new RegExp(`\\n[ \\t]*${marker}[ \\t]*(?=\\r?\\n|$)`, "g");
  close.lastIndex = start;
  const m = close.exec(text);
  return m ? m.index + m[0].length : text.length;
}
