import { languageOfText, type Language } from "../core/language.js";

// The code blocks of a document: Markdown fences (``` and ~~~, with an info string, at any indentation, as
// lists nest them) and reStructuredText's `.. code-block:: lang`, `.. code:: lang`, `.. sourcecode:: lang`
// and `::` literal blocks. Each keeps its offsets in the document, so what is found in it is reported at
// its line there. The language is the info string's, or the block's own text tells it (#!, JSON).

export interface CodeBlock {
  language: Language;
  /** Offset of the block's first content character in the document; its text runs to `start + text.length`. */
  start: number;
  text: string;
  /** The document's lines before the block's first: a block's line `n` is the document's `linesBefore + n`. */
  linesBefore: number;
  /**
   * What the document says where the block stands: the headings above it and its own section's words before
   * it (at most SECTION_REACH characters), not the rest of the page (a "Use Azure Cloud Shell" prerequisite
   * says nothing about the blocks of the next section).
   */
  section: string;
  /** Its 1-based lines, from the one that opens it (a fence, a directive) to its last (a closing fence). */
  lines: { first: number; last: number };
  /**
   * A diff (```diff): `text` is its new side, the same length, removed lines blank; what it shows is not
   * rewritten.
   */
  diff?: true;
}

const SECTION_REACH = 4000;

/** The headings a document has open at each point, and where the innermost one's section starts. */
class Outline {
  private readonly open: { level: number; title: string }[] = [];
  private sectionStart = 0;

  heading(level: number, title: string, bodyStart: number): void {
    while (this.open.length > 0 && this.open.at(-1)!.level >= level) this.open.pop();
    this.open.push({ level, title });
    this.sectionStart = bodyStart;
  }

  sectionBefore(text: string, at: number): string {
    const from = Math.max(this.sectionStart, at - SECTION_REACH);
    return `${this.open.map((h) => h.title).join("\n")}\n${text.slice(from, at)}`;
  }
}

const INFO_LANGUAGES: Readonly<Record<string, Language>> = {
  py: "python",
  python: "python",
  python3: "python",
  sh: "shell",
  bash: "shell",
  shell: "shell",
  zsh: "shell",
  shellscript: "shell",
  console: "shell",
  terminal: "shell",
  azurecli: "shell",
  "azurecli-interactive": "shell",
  azcli: "shell",
  ps: "powershell",
  ps1: "powershell",
  powershell: "powershell",
  pwsh: "powershell",
  azurepowershell: "powershell",
  "azurepowershell-interactive": "powershell",
  json: "json",
  jsonc: "json",
  json5: "json",
  yaml: "yaml",
  yml: "yaml",
  hcl: "terraform",
  terraform: "terraform",
  tf: "terraform",
  bicep: "bicep",
  cs: "csharp",
  csharp: "csharp",
  "c#": "csharp",
  java: "java",
  go: "go",
  golang: "go",
  rb: "ruby",
  ruby: "ruby",
  js: "javascript",
  javascript: "javascript",
  node: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  ts: "typescript",
  typescript: "typescript",
  tsx: "typescript",
  dockerfile: "dockerfile",
  docker: "dockerfile",
  php: "php",
};

/** The code blocks of a Markdown (`rst`: reStructuredText) document, in document order. */
export function codeBlocks(text: string, rst: boolean): CodeBlock[] {
  return rst ? rstBlocks(text) : markdownBlocks(text);
}

interface Line {
  start: number;
  /** Without its line ending. */
  text: string;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    lines.push({ start, text: text.slice(start, end).replace(/\r$/, "") });
    if (newline === -1) break;
    start = newline + 1;
  }
  return lines;
}

/** The block whose content is lines[from, to), opened on line index `opens` and closed on `closes`. */
function block(
  text: string,
  info: string,
  lines: Line[],
  span: { opens: number; from: number; to: number; closes: number },
  outline: Outline,
): CodeBlock | undefined {
  const { opens, from, to, closes } = span;
  if (to <= from) return undefined;
  const start = lines[from]!.start;
  const last = lines[to - 1]!;
  const verbatim = text.slice(start, last.start + last.text.length);
  // A diff shows what goes and what comes: only what comes is read, each line where the document has it.
  const diff = DIFF_INFO.test(info.trim());
  const content = diff ? newSide(verbatim) : verbatim;
  const language = (diff ? undefined : languageOfInfo(info)) ?? languageOfExample(content);
  const section = outline.sectionBefore(text, start);
  return {
    language,
    start,
    text: content,
    linesBefore: from,
    section,
    lines: { first: opens + 1, last: closes + 1 },
    ...(diff ? { diff } : {}),
  };
}

const DIFF_INFO = /^(?:diff|patch)\b/i;

/** A diff's new side, as long as the diff: removed lines blanked, the `+` or space before each kept line too. */
function newSide(diff: string): string {
  return diff.replace(/^(.)([^\n]*)/gm, (line, mark: string, rest: string) =>
    mark === "-" ? line.replace(/[^\r]/g, " ") : mark === "+" || mark === " " ? ` ${rest}` : line,
  );
}

/**
 * The block's text after a line break for each line of the document before it: what is read in it counts
 * lines as the document does, so a message naming a line ("also used on line 12") names the document's.
 */
export function textOnDocumentLines(block: Pick<CodeBlock, "text" | "linesBefore">): string {
  return "\n".repeat(block.linesBefore) + block.text;
}

/**
 * Whether a message found in a block names another of its lines ("also used on line 3"): only then is the
 * block read on the document's lines, which costs a long document a pass over its lines per block.
 */
export function namesALine(message: string): boolean {
  return /\bline \d+\b/.test(message);
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
/** reStructuredText's section adornment: a line of one punctuation character. */
const RST_ADORNMENT = /^([=\-`:'"~^_*+#<>])\1{2,}\s*$/;

/** A list item's marker, where a list was pasted into a block (`•\tSet-AzVMExtension …`, `1. az vm …`). */
const ITEM = String.raw`^\s*(?:(?:[•·*-]|\d{1,2}[.)])\s+)?`;
const POWERSHELL_EXAMPLE = new RegExp(
  String.raw`${ITEM}(?:PS[^>\n]*>\s*)?(?:Invoke-|(?:Set|Get|Add|New|Remove)-Az|Connect-Az)`,
  "im",
);
const SHELL_EXAMPLE = new RegExp(
  String.raw`${ITEM}(?:\$\s+)?(?:az|curl|wget|sudo|export|kubectl|terraform|apt-get)\s`,
  "m",
);

/** An unlabelled block: its #! line or JSON, else the commands docs show (`$ az …`, `Invoke-RestMethod …`). */
function languageOfExample(text: string): Language {
  const sniffed = languageOfText(text);
  if (sniffed !== "text") return sniffed;
  if (POWERSHELL_EXAMPLE.test(text)) return "powershell";
  if (SHELL_EXAMPLE.test(text)) return "shell";
  return "text";
}

/** The language an info string (```bash), a kernel or a notebook cell names, if one rules read. */
export function languageOfInfo(info: string): Language | undefined {
  const word = /^[{.]*([\w#+-]+)/.exec(info.trim())?.[1]?.toLowerCase();
  return word === undefined ? undefined : INFO_LANGUAGES[word];
}

/** A Markdown heading on line `i` (`# Title`, or a title underlined with `===` or `---`), noted in the outline. */
function markdownHeading(outline: Outline, lines: readonly Line[], i: number, bodyStart: number): void {
  const line = lines[i]!;
  const atx = ATX_HEADING.exec(line.text);
  if (atx) outline.heading(atx[1]!.length, atx[2] ?? "", bodyStart);
  const setext = SETEXT_UNDERLINE.exec(line.text);
  if (setext && i > 0 && lines[i - 1]!.text.trim() !== "")
    outline.heading(setext[1]![0] === "=" ? 1 : 2, lines[i - 1]!.text, bodyStart);
}

/**
 * Markdown read piece by piece (a notebook's Markdown cells): what it says where it ends, as the section of
 * a code block there would be told (its open headings and its own section's words).
 */
export class MarkdownOutline {
  private text = "";
  private readonly outline = new Outline();

  add(markdown: string): void {
    const offset = this.text.length;
    this.text += `${markdown}\n`;
    const lines = linesOf(markdown);
    for (let i = 0; i < lines.length; i++)
      markdownHeading(this.outline, lines, i, offset + (lines[i + 1]?.start ?? markdown.length + 1));
  }

  section(): string {
    return this.outline.sectionBefore(this.text, this.text.length);
  }
}

function markdownBlocks(text: string): CodeBlock[] {
  const lines = linesOf(text);
  const blocks: CodeBlock[] = [];
  const outline = new Outline();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const bodyStart = lines[i + 1]?.start ?? text.length;
    markdownHeading(outline, lines, i, bodyStart);
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(line.text);
    if (!open || (open[2]![0] === "`" && open[3]!.includes("`"))) continue;
    const fence = open[2]!;
    const close = new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j]!.text)) j++;
    const closes = Math.min(j, lines.length - 1);
    const found = block(text, open[3]!, lines, { opens: i, from: i + 1, to: j, closes }, outline);
    if (found) blocks.push(found);
    i = j;
  }
  return blocks;
}

function rstBlocks(text: string): CodeBlock[] {
  const lines = linesOf(text);
  const blocks: CodeBlock[] = [];
  const indentOf = (line: Line) => /^\s*/.exec(line.text)![0].length;
  const outline = new Outline();
  /** Adornment styles in the order the document first uses them: that order is their level. */
  const styles: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.text;
    const adornment = RST_ADORNMENT.exec(line);
    const title = lines[i - 1]?.text.trim() ?? "";
    if (adornment && title !== "" && !RST_ADORNMENT.test(title) && line.trim().length >= title.length) {
      if (!styles.includes(adornment[1]!)) styles.push(adornment[1]!);
      outline.heading(styles.indexOf(adornment[1]!) + 1, title, lines[i + 1]?.start ?? text.length);
      continue;
    }
    const directive = /^(\s*)\.\.\s+(?:code-block|code|sourcecode)::\s*(.*)$/.exec(line);
    const literal = !directive && /::\s*$/.test(line) && !/^\s*\.\./.test(line);
    if (!directive && !literal) continue;
    const indent = indentOf(lines[i]!);
    let j = i + 1;
    // A directive's options (:linenos:) and blank lines come before its content.
    while (j < lines.length && (lines[j]!.text.trim() === "" || (directive && /^\s+:\w[\w-]*:/.test(lines[j]!.text))))
      j++;
    const from = j;
    while (j < lines.length && (lines[j]!.text.trim() === "" || indentOf(lines[j]!) > indent)) j++;
    let to = j;
    while (to > from && lines[to - 1]!.text.trim() === "") to--;
    if (from < lines.length && indentOf(lines[from]!) > indent) {
      const found = block(text, directive?.[2] ?? "", lines, { opens: i, from, to, closes: to - 1 }, outline);
      if (found) blocks.push(found);
    }
    i = Math.max(i, to - 1);
  }
  return blocks;
}
