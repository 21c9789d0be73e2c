import type { findNodeAtLocation, Node, ParseError, parseTree } from "jsonc-parser";
import { languageOf, type Language } from "../core/language.js";
import { LineIndex } from "../core/positions.js";
import { languageOfInfo, MarkdownOutline } from "./code-blocks.js";

// A Jupyter notebook (nbformat 4) is JSON whose cells hold code and Markdown as escaped strings. Read as
// JSON, a commented line of a cell is a finding and a cell's `!az vm extension set` is not; so each cell is
// read as what it is: a code cell in its kernel's language (IPython's `!` lines and `%%bash` cells as
// shell), a Markdown cell as a document. What is found is reported where the notebook's JSON holds it.

export interface NotebookCell {
  kind: "code" | "markdown";
  /** 1-based, in notebook order, as a person counts them. */
  number: number;
  /** The cell's source, decoded. */
  text: string;
  /** A code cell's readings: one per language its lines are in, each as long as `text`, other lines blanked. */
  readings: CellReading[];
  /** What the Markdown cells before it say where it stands: their open headings and its section's words. */
  section: string;
  /** The notebook's offset of `text`'s character at `offset`; `text.length` maps to the end of the source. */
  start(offset: number): number;
  /** The notebook's offset just after `text`'s character at `offset - 1`: where a range ending at `offset` ends. */
  end(offset: number): number;
}

export interface CellReading {
  language: Language;
  text: string;
  /** For text: the extension of a file in the cell's language (`scala`), whose comments and strings it has. */
  dialect?: string;
  /** IPython's `!` lines: each is one line of the cell, which a rewrite may not break into more. */
  lines?: true;
  /** Runs in the kernel, whose names every such cell shares: read together, they are one program. */
  kernel?: true;
}

/** The cells of a notebook, or undefined for text that is not a notebook (it is read as text). */
export type ReadNotebook = (text: string) => NotebookCell[] | undefined;

let reader: Promise<ReadNotebook> | undefined;

/** The JSON parser is loaded at the first notebook the prefilter passes: most runs read none. */
export function loadNotebookReader(): Promise<ReadNotebook> {
  reader ??= import("jsonc-parser").then((json) => (text) => notebookCells(json, text));
  return reader;
}

/** What a notebook is read with, of jsonc-parser. */
interface JsonParser {
  parseTree: typeof parseTree;
  findNodeAtLocation: typeof findNodeAtLocation;
}

/** The string at a path of keys under a node, if that is one. */
type StringAt = (node: Node, ...path: string[]) => string | undefined;

function notebookCells(
  { parseTree, findNodeAtLocation: nodeAt }: JsonParser,
  text: string,
): NotebookCell[] | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors);
  if (!root || errors.length > 0) return undefined;
  const stringAt: StringAt = (node, ...path) => {
    const found = nodeAt(node, path);
    return found?.type === "string" ? (found.value as string) : undefined;
  };
  // nbformat 4 lists its cells; nbformat 3 lists them in worksheets, with a code cell's source as `input`.
  const worksheets = nodeAt(root, ["worksheets"]);
  const cells =
    worksheets?.type === "array"
      ? worksheets.children!.flatMap((sheet) => nodeAt(sheet, ["cells"])?.children ?? [])
      : nodeAt(root, ["cells"])?.children;
  if (!cells) return undefined;
  const kernel = notebookLanguage(root, stringAt);
  const found: NotebookCell[] = [];
  const outline = new MarkdownOutline();
  cells.forEach((cell, index) => {
    const type = stringAt(cell, "cell_type");
    const source = decodedSource(text, nodeAt(cell, ["source"]) ?? nodeAt(cell, ["input"]));
    const kind = type === "code" ? (DATABRICKS_MARKDOWN.test(source.text) ? "markdown" : "code") : type;
    // nbformat 3's headings are cells of their own.
    if (kind === "markdown" || kind === "heading") {
      outline.add(kind === "heading" ? `# ${source.text}` : source.text);
      if (kind === "heading") return;
    } else if (kind !== "code") return;
    const own = cellLanguage(cell, stringAt);
    const inKernel = own === undefined || own.language === kernel.language;
    const readings = kind === "code" ? cellReadings(source.text, own ?? kernel, inKernel) : [];
    found.push({ kind, number: index + 1, section: outline.section(), readings, ...source });
  });
  return found;
}

/** A language a kernel, a magic or a cell's metadata names. */
interface Named {
  language: Language;
  dialect?: string;
}

/**
 * The kernel's language (`metadata.kernelspec.language`, `metadata.language_info.name`): one rules read, else
 * text in that language's dialect (Scala, Julia, F#); IPython's when none is named.
 */
function notebookLanguage(root: Node, stringAt: StringAt): Named {
  const named =
    stringAt(root, "metadata", "kernelspec", "language") ?? stringAt(root, "metadata", "language_info", "name");
  return named === undefined ? { language: "python" } : namedLanguage(named);
}

/** A cell's own language, where it names one: nbformat 3's `language`, a polyglot notebook's metadata. */
function cellLanguage(cell: Node, stringAt: StringAt): Named | undefined {
  const named =
    stringAt(cell, "language") ??
    stringAt(cell, "metadata", "polyglot_notebook", "kernelName") ??
    stringAt(cell, "metadata", "dotnet_interactive", "language") ??
    stringAt(cell, "metadata", "vscode", "languageId");
  return named === undefined ? undefined : namedLanguage(named);
}

/** Languages rules read as text, by the names kernels and magics give them, and the extension of their files. */
const DIALECTS: Readonly<Record<string, string>> = {
  scala: "scala",
  "f#": "fs",
  fsharp: "fs",
  julia: "jl",
  r: "r",
  kotlin: "kt",
  groovy: "groovy",
  sql: "sql",
  "c++": "cpp",
  cpp: "cpp",
  rust: "rs",
  lua: "lua",
  haskell: "hs",
  ocaml: "ml",
};

function namedLanguage(name: string): Named {
  const language = languageOfInfo(name);
  if (language) return { language };
  const dialect = DIALECTS[name.trim().toLowerCase()];
  return { language: "text", ...(dialect ? { dialect } : {}) };
}
/** A source (a string, or the list of a cell's lines), decoded, with where each character stands in the JSON. */
function decodedSource(json: string, source: Node | undefined): Pick<NotebookCell, "text" | "start" | "end"> {
  const pieces = source?.type === "array" ? source.children! : source ? [source] : [];
  let text = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let sourceEnd = source ? source.offset + source.length : 0;
  for (const piece of pieces) {
    if (piece.type !== "string") continue;
    text += piece.value as string;
    const last = piece.offset + piece.length - 1; // the closing quote
    for (let at = piece.offset + 1; at < last; ) {
      const width = json[at] !== "\\" ? 1 : json[at + 1] === "u" ? 6 : 2;
      starts.push(at);
      ends.push(at + width);
      at += width;
    }
    sourceEnd = last;
  }
  return {
    text,
    start: (offset) => starts[offset] ?? sourceEnd,
    end: (offset) => (offset === 0 ? (starts[0] ?? sourceEnd) : (ends[offset - 1] ?? sourceEnd)),
  };
}

/**
 * IPython's cell magics that run the cell in another language (`%%bash`, `%%script bash`); `%%writefile` is
 * told by the file's name, and a magic that times or captures the cell wraps code in the kernel's language.
 */
const CELL_MAGIC = /^%%(\w+)[ \t]*(.*)/;
const WRAPPING_MAGICS = new Set(["capture", "time", "timeit", "prun", "debug"]);
const MAGIC_LANGUAGES: Readonly<Record<string, Language>> = {
  bash: "shell",
  sh: "shell",
  javascript: "javascript",
  js: "javascript",
  powershell: "powershell",
  pwsh: "powershell",
  python: "python",
  python3: "python",
  ruby: "ruby",
};
/**
 * A first line naming the cell's language: .NET Interactive's `#!pwsh`, `#!csharp`; Databricks' `%sh`,
 * `%scala` (alone on the line, unlike IPython's line magics).
 */
const LANGUAGE_MAGIC = /^(?:#!(\w+)|%(sh|python|scala|r|sql))[ \t]*$/;
/** Databricks' Markdown cell, kept in a code cell: `%md` on its first line. */
const DATABRICKS_MARKDOWN = /^%md(?:-sandbox)?[ \t]*(?:\r?\n|$)/;
/**
 * An IPython line that the shell runs: `!cmd`, `out = !cmd`, `%sx cmd`, `%system cmd`, with the lines a
 * trailing backslash continues.
 */
const SHELL_LINE = /^([ \t]*(?:[\w.]+[ \t]*=[ \t]*)?(?:!|%(?:sx|system)\b))(.*?(?:\\\r?\n.*?)*)$/gm;
/** Any other line magic (`%pip install …`): not Python. */
const LINE_MAGIC = /^[ \t]*%.*$/gm;

/**
 * A code cell's readings. A magic on its first line picks its language; in an IPython cell, shell lines
 * are read as shell and line magics not at all. Each reading keeps the cell's offsets: what is not in it is
 * blanked.
 */
function cellReadings(text: string, named: Named, kernel: boolean): CellReading[] {
  // Blank lines are passed over: a wrapping magic leaves its line blank before the next magic (`%%capture`,
  // then `%%bash`).
  const lead = /^(?:[ \t]*\r?\n)*/.exec(text)![0].length;
  const first = /^.*/.exec(text.slice(lead))![0];
  const rest = text.slice(0, lead) + blank(first) + text.slice(lead + first.length);
  const magic = CELL_MAGIC.exec(first);
  if (magic) {
    const [, name, argument] = magic as unknown as [string, string, string];
    if (WRAPPING_MAGICS.has(name)) return cellReadings(rest, named, kernel);
    if (name !== "writefile") {
      const language = MAGIC_LANGUAGES[name === "script" ? argument.split(/\s/)[0]! : name] ?? "text";
      return [{ language, text: rest }];
    }
    const file = argument.replace(/^(?:-a\s+|--append\s+)/, "").trim();
    const dialect = /\.(\w+)$/.exec(file)?.[1];
    return [{ language: languageOf(file) ?? "text", text: rest, ...(dialect ? { dialect } : {}) }];
  }
  const own = LANGUAGE_MAGIC.exec(first);
  if (own) return [{ ...namedLanguage((own[1] ?? own[2])!), text: rest }];
  const inKernel = kernel ? { kernel } : {};
  if (named.language !== "python") return [{ ...named, text, ...inKernel }];
  let shell = "";
  let shellAt = 0;
  const python = text.replace(SHELL_LINE, (line, prefix: string, command: string, at: number) => {
    shell += directivesOnly(text.slice(shellAt, at)) + blank(prefix) + command;
    shellAt = at + line.length;
    return namesUsed(line, command);
  });
  const readings: CellReading[] = [{ language: "python", text: python.replace(LINE_MAGIC, blank), ...inKernel }];
  if (shellAt > 0) readings.push({ language: "shell", text: shell + blank(text.slice(shellAt)), lines: true });
  return readings;
}

/**
 * What IPython puts into a `!` line from Python: `$name`, and any expression in braces (`{url}`,
 * `{cfg.url!s}`, `{base + path}`); `$$` is a dollar sign. Braces it cannot evaluate (`awk '{print $1}'`) it
 * leaves to the shell, so their words are names Python might have: read as such, they change nothing.
 */
const INTERPOLATED = /\$\$|\$([A-Za-z_]\w*)|\{([^{}\n]*)\}/g;
const PYTHON_KEYWORDS = new Set([
  ...["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def"],
  ...["del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is"],
  ...["lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"],
]);

/** The Python names a line of a `!` command uses: `$name`, and the names (not attributes) in a `{…}`. */
function interpolatedNames(line: string): string[] {
  const names = [...line.matchAll(INTERPOLATED)].flatMap(([, dollar, braces]) =>
    dollar !== undefined
      ? [dollar]
      : braces === undefined
        ? []
        : [...braces.replace(/![rsa]\b.*$/, "").matchAll(/(?<![\w.])[A-Za-z_]\w*/g)].map(([name]) => name),
  );
  return [...new Set(names)].filter((name) => !PYTHON_KEYWORDS.has(name));
}

/**
 * A `!` command (its lines a backslash continues) as Python reads it: the Python names it uses, as one
 * expression over its lines (`(MSI_URL,` … `)`), each name written on the first line with room for it;
 * nothing where it uses none. A constant a `!` line uses is then used where Python cannot rewrite it.
 */
function namesUsed(line: string, command: string): string {
  const rows = line.split(/(?<=\n)/);
  const prefixLength = line.length - command.length;
  const names = [...new Set(rows.flatMap((row, i) => interpolatedNames(i === 0 ? row.slice(prefixLength) : row)))];
  if (names.length === 0) return blank(line);
  const last = rows.length - 1;
  const written = rows.map((row, i) => {
    const content = row.replace(/\r?\n$/, "");
    let expression = i === 0 ? `${/^[ \t]*/.exec(content)![0]}(` : " ";
    const room = content.length - (i === last ? 1 : 0);
    while (names.length > 0 && expression.length + names[0]!.length + 1 <= room) expression += `${names.shift()!},`;
    if (i === last) expression += ")";
    return expression + blank(row.slice(expression.length));
  });
  // A name left with no room anywhere (`!$X`): the reading is left unclosed, so that the program does not
  // parse and every rewrite in it is left to a person, rather than a constant the line uses rewritten.
  return names.length === 0 ? written.join("") : written.join("").replace(/\)(\s*)$/, " $1");
}

/**
 * Python's lines blanked but for directive comments (`# msi2imds-disable-next-line …`), which are comments in
 * a shell too: a directive before a `!` line covers it when the shell reading is rewritten.
 */
function directivesOnly(text: string): string {
  return text.replace(/^.*$/gm, (line) => (/^\s*#.*\bmsi2imds-/.test(line) ? line : blank(line)));
}

/** As long as `text`, its line breaks kept and everything else a space. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, " ");
}

/** A cell's reading in a unit: where it starts in the unit's text. */
export interface UnitPiece {
  cell: NotebookCell;
  offset: number;
  length: number;
}

/**
 * What is read as one file. The cells that run in the kernel share its names (an import in cell 1, a
 * constant used in cell 5): they are one program, a line apart. What runs apart (a `%%bash` cell, `!` lines,
 * what `%%writefile` writes) is a unit of its own.
 */
export interface NotebookUnit {
  language: Language;
  text: string;
  dialect?: string;
  /** IPython's `!` lines (see CellReading). */
  lines?: true;
  /** The kernel's program: cells that share its names. */
  kernel?: true;
  pieces: UnitPiece[];
}

export function notebookUnits(cells: readonly NotebookCell[]): NotebookUnit[] {
  const units: NotebookUnit[] = [];
  let program: NotebookUnit | undefined;
  for (const cell of cells) {
    for (const { kernel, ...reading } of cell.readings) {
      if (!kernel) {
        units.push({ ...reading, pieces: [{ cell, offset: 0, length: reading.text.length }] });
        continue;
      }
      if (program) program.text += "\n";
      else {
        program = { ...reading, kernel, text: "", pieces: [] };
        units.push(program);
      }
      program.pieces.push({ cell, offset: program.text.length, length: reading.text.length });
      program.text += reading.text;
    }
  }
  return units;
}

/**
 * The cell an offset of a unit falls in, and the offset in the cell's text. An end offset (`end`) belongs to
 * the piece it closes: the end of one cell is not the start of the next.
 */
function cellAt(unit: NotebookUnit, offset: number, end = false): { piece: UnitPiece; offset: number } {
  let lo = 0;
  let hi = unit.pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const { offset: start } = unit.pieces[mid]!;
    if (start < offset || (start === offset && !end)) lo = mid;
    else hi = mid - 1;
  }
  const piece = unit.pieces[lo]!;
  return { piece, offset: Math.min(Math.max(offset - piece.offset, 0), piece.length) };
}

/**
 * A unit's range as a range of one cell's text; `whole` is false where it spans two cells (it is then cut at
 * the first cell's end). An empty range stays where it starts.
 */
export function cellRange(
  unit: NotebookUnit,
  start: number,
  end: number,
): { cell: NotebookCell; start: number; end: number; whole: boolean } {
  const from = cellAt(unit, start);
  const to = end > start ? cellAt(unit, end, true) : from;
  const whole = to.piece === from.piece;
  const { cell } = from.piece;
  return { cell, start: from.offset, end: whole ? Math.max(from.offset, to.offset) : cell.text.length, whole };
}

const lineIndexes = new WeakMap<NotebookCell, LineIndex>();

/** The lines of a cell's text, worked out once. */
export function cellLines(cell: NotebookCell): LineIndex {
  let lines = lineIndexes.get(cell);
  if (!lines) {
    lines = new LineIndex(cell.text);
    lineIndexes.set(cell, lines);
  }
  return lines;
}

/** A message's "line 5" of a unit as a person finds it in the notebook: "line 2 of cell 3". */
export function linesInCells(message: string, unit: NotebookUnit, unitLines: LineIndex): string {
  return message.replace(/\bline (\d+)\b/g, (_, line: string) => {
    const { piece, offset } = cellAt(unit, unitLines.offset(Number(line), 1));
    return `line ${cellLines(piece.cell).position(offset).line} of cell ${piece.cell.number}`;
  });
}
