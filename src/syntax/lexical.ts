import type { Language } from "../core/language.js";
import type { SyntaxNode, SyntaxTree } from "../core/syntax-tree.js";
import { syntaxTree } from "./tree.js";

// For the languages no grammar covers (ARM JSON, Bicep, Terraform/HCL, YAML, Dockerfiles, text of no known
// syntax): a lexer that tells comments and strings from the rest. That is all the rules ask of these files'
// syntax, and each lexer is a few lines where a grammar would be a megabyte of WebAssembly. Text whose
// file name tells its syntax (Kotlin, C, Lua, VB, batch, a Jinja template…) is lexed with that syntax's
// comments, so that a comment there is not taken for code, nor `#define` for a comment.

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
  /** Strings that run to the same three quotes, over lines: Bicep's '''…''', Kotlin's and Swift's """…""". */
  tripleQuotes: readonly string[];
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
  tripleQuotes: [],
  heredocs: false,
};

const LEXICONS: Partial<Record<Language, Lexicon>> = {
  json: { ...NONE, lineComments: ["//"], blockComments: [C_BLOCK], quotes: ['"'], escapes: ['"'] },
  bicep: {
    ...NONE,
    lineComments: ["//"],
    blockComments: [C_BLOCK],
    quotes: ["'"],
    escapes: ["'"],
    tripleQuotes: ["'''"],
  },
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

const QUOTED = { quotes: ['"', "'"], escapes: ['"', "'"] };
const DOUBLE_QUOTED = { quotes: ['"'], escapes: ['"'] };
/** `#` comments anywhere a token starts (R, Nim, Elixir, Julia, Perl…), and the text lexicon's block comments. */
const HASH_COMMENTS: Lexicon = { ...NONE, ...QUOTED, lineComments: ["#"], blockComments: [XML_BLOCK] };

/** Text whose name tells its syntax: the first whose pattern matches the file's name. */
const TEXT_DIALECTS: readonly (readonly [RegExp, Lexicon])[] = [
  // JavaScript and TypeScript read as text: a file that does not parse.
  [
    /\.[cm]?[jt]sx?$/i,
    { ...NONE, lineComments: ["//"], blockComments: [C_BLOCK], quotes: ['"', "'", "`"], escapes: ['"', "'", "`"] },
  ],
  // C, C++, Objective-C, Kotlin, Scala, Swift, Dart, Rust, Zig: `#define` is code, `//` ends a line anywhere.
  [
    /\.(?:c|h|cc|cpp|cxx|hh|hpp|hxx|m|mm|kt|kts|scala|sc|swift|dart|zig)$/i,
    { ...NONE, ...QUOTED, lineComments: ["//"], blockComments: [C_BLOCK], tripleQuotes: ['"""', "'''"] },
  ],
  // Rust: a lone `'` is a lifetime (`&'a str`), not a quote.
  [/\.rs$/i, { ...NONE, ...DOUBLE_QUOTED, lineComments: ["//"], blockComments: [C_BLOCK] }],
  // Lua, SQL, Haskell, Elm, Ada.
  [
    /\.(?:lua|sql|hs|elm|ada|adb|ads)$/i,
    { ...NONE, ...QUOTED, lineComments: ["--"], blockComments: [["--[[", "]]"], C_BLOCK, ["{-", "-}"]] },
  ],
  // F# and OCaml: `'a` is a type variable.
  [/\.(?:fs|fsx|fsi|ml|mli)$/i, { ...NONE, ...DOUBLE_QUOTED, lineComments: ["//"], blockComments: [["(*", "*)"]] }],
  [
    /\.(?:vb|vbs|bas|cls|vba)$/i,
    // REM in capitals only: `itemRem = …` is code.
    { ...NONE, lineComments: ["'", "REM "], quotes: ['"'], doubled: ['"'] },
  ],
  [
    /\.(?:bat|cmd)$/i,
    { ...NONE, lineComments: ["REM ", "rem ", "Rem ", "@REM ", "@rem ", "::"], commentsOpenLines: true },
  ],
  // Perl's POD documents, from a line `=pod`, `=head1`… to the line `=cut`.
  [
    /\.(?:pl|pm|pod)$/i,
    {
      ...HASH_COMMENTS,
      blockComments: ["=pod", "=head", "=begin", "=over", "=item", "=encoding"].map((open) => [open, "=cut", true]),
    },
  ],
  // Julia: `#= … =#` comments out lines.
  [/\.jl$/i, { ...HASH_COMMENTS, blockComments: [["#=", "=#"], XML_BLOCK] }],
  [/\.(?:r|nim|ex|exs|cr|tcl|coffee|pp)$/i, HASH_COMMENTS],
  // Lisps: `'(…)` quotes a form, not a string.
  [/\.(?:clj|cljs|cljc|edn|lisp|el|scm|rkt)$/i, { ...NONE, ...DOUBLE_QUOTED, lineComments: [";"] }],
  [/\.properties$/i, { ...NONE, lineComments: ["#", "!"], commentsOpenLines: true }],
  // Jinja, Go and Helm templates: their own comments, and the text they render (a script, a config).
  [
    /\.(?:j2|jinja2?|tpl|gotmpl|tmpl)$/i,
    {
      ...LEXICONS.text!,
      blockComments: [["{#", "#}"], ["{{/*", "*/"], ["{{- /*", "*/"], ...LEXICONS.text!.blockComments],
    },
  ],
];

/** The comments and strings of a file in a language no grammar covers (text: as its name tells, if it does). */
export function lex(language: Language, text: string, path?: string): SyntaxTree {
  const named = language === "text" && path !== undefined ? TEXT_DIALECTS.find(([name]) => name.test(path)) : undefined;
  const lexicon = named?.[1] ?? LEXICONS[language];
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
    const tripleQuote = lexicon.tripleQuotes.find((q) => text.startsWith(q, i));
    // A block comment first: Lua's `--[[` opens one where `--` would open a line comment.
    if (blockComment) {
      const [open, close] = blockComment;
      const end = after(text, close, i + open.length);
      add("comment", "comment", i, end);
      i = end;
    } else if (lineComment) {
      const end = endOfLine(text, i);
      add("comment", "comment", i, end);
      i = end;
    } else if (tripleQuote) {
      const end = after(text, tripleQuote, i + 3);
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
