import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { loadNotebookReader, type NotebookCell, type ReadNotebook } from "../../src/syntax/index.js";

// A Jupyter notebook's cells: each read in its language, each character placed where the JSON holds it.

const notebook = (cells: unknown[], metadata: unknown = {}) =>
  JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }, null, 1);
const code = (source: string | string[], metadata: unknown = {}) => ({
  cell_type: "code",
  execution_count: null,
  metadata,
  outputs: [],
  source,
});
// Loaded in a hook, not at the module's top: a file that awaits at its top registers its tests late, and
// in a batch of files the runner cancels them.
let notebookCells: ReadNotebook;
const markdown = (source: string) => ({ cell_type: "markdown", metadata: {}, source });
const only = (json: string): NotebookCell => {
  const cells = notebookCells(json);
  assert.ok(cells);
  return cells[0]!;
};
const readings = (cell: NotebookCell) => cell.readings.map((r) => [r.language, r.text]);

describe("notebook cells", () => {
  before(async () => {
    notebookCells = await loadNotebookReader();
  });

  it("places every character of a cell where the JSON holds it, through escapes and across its lines", () => {
    const source = ['say("tab\\there", "é")\n', 'url = "http://localhost:50342/oauth2/token"\n'];
    // Written as some tools write it, with what is not ASCII escaped.
    const json = notebook([code(source)]).replace("é", "\\u00e9");
    const cell = only(json);
    assert.equal(cell.text, source.join(""));
    for (const piece of ["tab", "here", "é", "http://localhost:50342/oauth2/token"]) {
      const at = cell.text.indexOf(piece);
      const start = cell.start(at);
      const end = cell.end(at + piece.length);
      // The JSON spells the piece with its escapes: decoded, the same text.
      assert.equal(JSON.parse(`"${json.slice(start, end)}"`), piece, piece);
    }
    // Where a quote is escaped, the character stands for both of the JSON's: `\"`.
    const quote = cell.text.indexOf('"');
    assert.equal(json.slice(cell.start(quote), cell.end(quote + 1)), '\\"');
    assert.equal(cell.end(0), cell.start(0), "an empty range at the start stays there");
  });

  it("reads a source written as one string as well as a list of lines", () => {
    const cell = only(notebook([code("a = 1\nb = 'localhost:50342'\n")]));
    assert.equal(cell.text, "a = 1\nb = 'localhost:50342'\n");
    const at = cell.text.indexOf("localhost");
    assert.equal(cell.start(at), notebook([code("a = 1\nb = 'localhost:50342'\n")]).indexOf("localhost"));
  });

  it("is undefined for what is not a notebook: broken JSON, no cells", () => {
    assert.equal(notebookCells('{"cells": [ {"source": ["curl http://localhost:50342/oauth2/token"'), undefined);
    assert.equal(notebookCells('{"metadata": {}}'), undefined);
    assert.equal(notebookCells("[1, 2]"), undefined);
  });

  it("reads nbformat 3: cells in worksheets, a code cell's source as input, headings as Markdown", () => {
    const json = JSON.stringify({
      nbformat: 3,
      metadata: {},
      worksheets: [
        {
          cells: [
            { cell_type: "heading", level: 1, source: ["Run in Azure Cloud Shell"] },
            {
              cell_type: "code",
              language: "python",
              input: ["!curl localhost:50342"],
              outputs: [{ text: ["http://localhost:50342/oauth2/token"] }],
            },
          ],
        },
      ],
    });
    const [cell, ...rest] = notebookCells(json)!;
    assert.deepEqual(rest, []);
    assert.equal(cell!.number, 2);
    assert.deepEqual(readings(cell!), [
      ["python", " ".repeat(21)],
      ["shell", ` curl localhost:50342`],
    ]);
    assert.match(cell!.section, /Azure Cloud Shell/);
  });

  it("numbers cells as a person counts them, keeps code and Markdown, and what Markdown said before each", () => {
    const cells = notebookCells(
      notebook([
        markdown("# Run this in Azure Cloud Shell"),
        { cell_type: "raw", metadata: {}, source: "curl localhost:50342" },
        code("print(1)"),
      ]),
    )!;
    assert.deepEqual(
      cells.map((c) => [c.kind, c.number]),
      [
        ["markdown", 1],
        ["code", 3],
      ],
    );
    assert.match(cells[1]!.section, /Azure Cloud Shell/);
    assert.deepEqual(cells[0]!.readings, [], "a Markdown cell is read as a document, not as code");
  });

  it("reads IPython's shell lines as shell and its line magics not at all, each reading as long as the cell", () => {
    const text =
      "%pip install requests\nimport os\n!curl -s localhost:50342\nraw = !az login --msi\n# !not a command\n";
    const cell = only(notebook([code(text)]));
    assert.deepEqual(readings(cell), [
      ["python", `${" ".repeat(21)}\nimport os\n${" ".repeat(24)}\n${" ".repeat(21)}\n# !not a command\n`],
      [
        "shell",
        `${" ".repeat(21)}\n${" ".repeat(9)}\n curl -s localhost:50342\n${" ".repeat(7)}az login --msi\n${" ".repeat(16)}\n`,
      ],
    ]);
    for (const reading of cell.readings) assert.equal(reading.text.length, text.length);
  });

  it("takes a cell's language from its magic, its metadata, then the kernel's", () => {
    const cellOf = (source: string, metadata: unknown = {}, kernel = "python") =>
      readings(only(notebook([code(source, metadata)], { kernelspec: { language: kernel } })));
    assert.deepEqual(cellOf("%%bash\ncurl x"), [["shell", "      \ncurl x"]]);
    assert.deepEqual(cellOf("%%script bash\ncurl x"), [["shell", "             \ncurl x"]]);
    assert.deepEqual(cellOf("%%writefile get-token.ps1\nirm x"), [["powershell", `${" ".repeat(25)}\nirm x`]]);
    assert.deepEqual(cellOf("%%capture\n!curl x"), [
      ["python", "         \n       "],
      ["shell", "         \n curl x"],
    ]);
    assert.deepEqual(cellOf("%%html\n<b>x</b>"), [["text", "      \n<b>x</b>"]]);
    assert.deepEqual(cellOf("#!pwsh\nirm x", {}, "C#"), [["powershell", "      \nirm x"]]);
    assert.deepEqual(cellOf("irm x", { polyglot_notebook: { kernelName: "pwsh" } }, "C#"), [["powershell", "irm x"]]);
    assert.deepEqual(cellOf("var x = 1;", {}, "C#"), [["csharp", "var x = 1;"]]);
    assert.deepEqual(cellOf("%sh\ncurl x", {}, "python"), [["shell", "   \ncurl x"]], "Databricks' magic");
    // A kernel rules do not read is text in its own dialect; IPython's only when no language is named.
    const dialect = (source: string, metadata: unknown, kernel?: string) =>
      only(notebook([code(source, metadata)], kernel ? { kernelspec: { language: kernel } } : {})).readings;
    assert.deepEqual(dialect("let x = 1", { polyglot_notebook: { kernelName: "fsharp" } }), [
      { language: "text", text: "let x = 1", dialect: "fs" },
    ]);
    assert.deepEqual(dialect("val x = 1", {}, "scala"), [
      { language: "text", text: "val x = 1", dialect: "scala", kernel: true },
    ]);
    assert.deepEqual(dialect("%scala\nval x", {}), [{ language: "text", text: "      \nval x", dialect: "scala" }]);
    assert.deepEqual(dialect("x <- 1", {}, "Brainfuck"), [{ language: "text", text: "x <- 1", kernel: true }]);
    assert.deepEqual(dialect("x = 1", {}), [{ language: "python", text: "x = 1", kernel: true }]);
  });

  it("reads the Python names a `!` line uses as Python, and a magic after a wrapping one", () => {
    const text = "U = 'x'\n!curl -s $U --data {form}\n!ls $$HOME\n!awk '{print $1}' f\n";
    const [python] = only(notebook([code(text)])).readings;
    // awk's braces are the shell's; read as Python names they change nothing, as IPython leaves them.
    assert.equal(python!.text, `U = 'x'\n(U,form,)${" ".repeat(16)}\n${" ".repeat(10)}\n(print,)${" ".repeat(11)}\n`);
    assert.equal(python!.kernel, true, "a Python cell runs in the kernel");
    // A name on a row too short for it is written where there is room; with no room anywhere, the
    // reading is left open, so that the program does not parse (and nothing in it is rewritten).
    const moved = only(notebook([code("!curl -d x \\\n$MSI_URL\n")])).readings[0]!.text;
    assert.equal(moved, `(MSI_URL,   \n )${" ".repeat(6)}\n`);
    assert.equal(only(notebook([code("!$X\n")])).readings[0]!.text, "(  \n");
    assert.deepEqual(readings(only(notebook([code("%%capture\n%%bash\ncurl x")]))), [
      ["shell", `${" ".repeat(9)}\n${" ".repeat(6)}\ncurl x`],
    ]);
  });

  it("joins a shell line a backslash continues, as IPython does", () => {
    const text = "!curl -s \\\n  http://localhost:50342/oauth2/token\nprint(1)\n";
    assert.deepEqual(readings(only(notebook([code(text)]))), [
      ["python", `${" ".repeat(10)}\n${" ".repeat(37)}\nprint(1)\n`],
      ["shell", ` curl -s \\\n  http://localhost:50342/oauth2/token\n${" ".repeat(8)}\n`],
    ]);
  });

  it("takes Databricks' %md cells as Markdown, and what Markdown said only within its section", () => {
    const cells = notebookCells(
      notebook([
        markdown("# Tokens\n## In Azure Cloud Shell\nCloud Shell serves its own endpoint."),
        code("!curl localhost:50342"),
        code("%md\n## On the VM"),
        code("!curl localhost:50342"),
      ]),
    )!;
    assert.deepEqual(
      cells.map((c) => c.kind),
      ["markdown", "code", "markdown", "code"],
    );
    assert.match(cells[1]!.section, /Cloud Shell serves/);
    assert.doesNotMatch(cells[3]!.section, /Cloud Shell/, "a heading closes the section before it");
    assert.match(cells[3]!.section, /Tokens\nOn the VM/);
  });
});
