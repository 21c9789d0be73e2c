import type { Node, ParseError, parseTree } from "jsonc-parser";
import { languageOf, type Language } from "../core/language.js";
import { languageOfInfo } from "./code-blocks.js";

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
  /** The Markdown cells before it (at most SECTION_REACH characters): where the notebook says its code runs. */
  section: string;
  /** The notebook's offset of `text`'s character at `offset`; `text.length` maps to the end of the source. */
  start(offset: number): number;
  /** The notebook's offset just after `text`'s character at `offset - 1`: where a range ending at `offset` ends. */
  end(offset: number): number;
}

export interface CellReading {
  language: Language;
  text: string;
}

const SECTION_REACH = 4000;

/** The cells of a notebook, or undefined for text that is not an nbformat 4 notebook (it is read as text). */
export type ReadNotebook = (text: string) => NotebookCell[] | undefined;

let reader: Promise<ReadNotebook> | undefined;

/** The JSON parser is loaded at the first notebook the prefilter passes: most runs read none. */
export function loadNotebookReader(): Promise<ReadNotebook> {
  reader ??= import("jsonc-parser").then(
    ({ parseTree }) =>
      (text) =>
        notebookCells(parseTree, text),
  );
  return reader;
}

function notebookCells(parse: typeof parseTree, text: string): NotebookCell[] | undefined {
  const errors: ParseError[] = [];
  const root = parse(text, errors);
  const cells = root && errors.length === 0 ? property(root, "cells") : undefined;
  if (cells?.type !== "array") return undefined;
  const kernel = notebookLanguage(root!);
  const found: NotebookCell[] = [];
  let markdown = "";
  cells.children!.forEach((cell, index) => {
    const kind = stringValue(property(cell, "cell_type"));
    if (kind !== "code" && kind !== "markdown") return;
    const source = decodedSource(text, property(cell, "source"));
    const section = markdown.slice(-SECTION_REACH);
    if (kind === "markdown") markdown += `${source.text}\n`;
    const readings = kind === "code" ? cellReadings(source.text, cellLanguage(cell) ?? kernel) : [];
    found.push({ kind, number: index + 1, section, readings, ...source });
  });
  return found;
}

function property(node: Node, name: string): Node | undefined {
  if (node.type !== "object") return undefined;
  const pair = node.children!.find(({ children }) => children![0]!.value === name);
  return pair?.children?.[1];
}

function stringValue(node: Node | undefined): string | undefined {
  return node?.type === "string" ? (node.value as string) : undefined;
}

function path(node: Node, ...names: string[]): Node | undefined {
  return names.reduce<Node | undefined>((at, name) => (at ? property(at, name) : undefined), node);
}

/** The kernel's language (`metadata.kernelspec.language`, `metadata.language_info.name`); IPython's by default. */
function notebookLanguage(root: Node): Language {
  const named =
    stringValue(path(root, "metadata", "kernelspec", "language")) ??
    stringValue(path(root, "metadata", "language_info", "name"));
  return (named === undefined ? undefined : languageOfInfo(named)) ?? "python";
}

/** A cell's own language, where a polyglot notebook (.NET Interactive, VS Code) names one. */
function cellLanguage(cell: Node): Language | undefined {
  const named =
    stringValue(path(cell, "metadata", "polyglot_notebook", "kernelName")) ??
    stringValue(path(cell, "metadata", "dotnet_interactive", "language")) ??
    stringValue(path(cell, "metadata", "vscode", "languageId"));
  return named === undefined ? undefined : (languageOfInfo(named) ?? "text");
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
 * told by the file's name, and a magic that times or captures the cell keeps its code Python.
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
/** .NET Interactive's: `#!pwsh`, `#!csharp` on the cell's first line. */
const KERNEL_MAGIC = /^#!(\w+)[ \t]*$/;
/** An IPython line that the shell runs: `!cmd`, `out = !cmd`, `%sx cmd`, `%system cmd`. */
const SHELL_LINE = /^([ \t]*(?:[\w.]+[ \t]*=[ \t]*)?(?:!|%(?:sx|system)\b))(.*)$/gm;
/** Any other line magic (`%pip install …`): not Python. */
const LINE_MAGIC = /^[ \t]*%.*$/gm;

/**
 * A code cell's readings. A magic on its first line picks its language; in an IPython cell, shell lines
 * are read as shell and line magics not at all. Each reading keeps the cell's offsets: what is not in it is
 * blanked.
 */
function cellReadings(text: string, language: Language): CellReading[] {
  const first = /^.*/.exec(text)![0];
  const magic = CELL_MAGIC.exec(first);
  if (magic) {
    const [, name, argument] = magic as unknown as [string, string, string];
    const own = WRAPPING_MAGICS.has(name)
      ? language
      : name === "writefile"
        ? languageOf(argument.trim())
        : MAGIC_LANGUAGES[name === "script" ? argument.split(/\s/)[0]! : name];
    return [{ language: own ?? "text", text: blank(first) + text.slice(first.length) }];
  }
  const kernel = KERNEL_MAGIC.exec(first);
  if (kernel) {
    const own = languageOfInfo(kernel[1]!) ?? "text";
    return [{ language: own, text: blank(first) + text.slice(first.length) }];
  }
  if (language !== "python") return [{ language, text }];
  let shell = "";
  let shellAt = 0;
  const python = text.replace(SHELL_LINE, (line, prefix: string, command: string, at: number) => {
    shell += blank(text.slice(shellAt, at)) + blank(prefix) + command;
    shellAt = at + line.length;
    return blank(line);
  });
  const readings: CellReading[] = [{ language: "python", text: python.replace(LINE_MAGIC, blank) }];
  if (shellAt > 0) readings.push({ language: "shell", text: shell + blank(text.slice(shellAt)) });
  return readings;
}

/** As long as `text`, its line breaks kept and everything else a space. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, " ");
}
