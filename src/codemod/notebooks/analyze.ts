import { fingerprintOf, isFileFinding, type Finding, type TextEdit } from "../../core/finding.js";
import type { Analysis } from "../../core/fix.js";
import type { Language } from "../../core/language.js";
import { LineIndex } from "../../core/positions.js";
import type { SourceInput } from "../../pipeline/analysis.js";
import type { CellReading, NotebookCell } from "../../syntax/index.js";
import { documentSetting } from "../../../rules/support/code-paths.js";
import { unrewrittenUrls } from "../docs/analyze.js";
import { cloudShellReason } from "../findings.js";

// `fix` on a Jupyter notebook. Its cells run in one kernel and share its names (an import, a constant, a
// session made in cell 1 and used in cell 5): the kernel's cells are read together as one program, as a
// script of the kernel's language would be. What runs apart (a `%%bash` cell, a `!` line, a file
// `%%writefile` writes) is read on its own. What is found is moved back into the notebook's JSON, each
// edit's text escaped as JSON. Left for a person: code of a program that does not parse as a whole, a cell
// in a Cloud Shell section, a rewrite that would break a `!` line into more lines, a fix that would span two
// cells, and the extension's URL in code fix does not rewrite (an R cell, `%%javascript`, which runs in the
// browser).

export type ReadingAnalyzer = (language: Language, input: SourceInput) => Analysis;

const UNPARSED_REASON = "a cell of this notebook does not parse as a whole (IPython syntax?): rewrite it by hand";
const SHELL_LINE_REASON = "the rewrite would break an IPython `!` line into more lines: rewrite it by hand";
const ACROSS_CELLS_REASON = "the rewrite would change two cells at once: rewrite it by hand";

/** The file extension each language is analysed under, so that it is read as a file of that language. */
const EXTENSIONS: Partial<Record<Language, string>> = { python: ".py", shell: ".sh", powershell: ".ps1" };

/** A stretch of a cell's reading in a unit of analysis. */
interface Piece {
  cell: NotebookCell;
  /** Where the cell's reading starts in the unit's text. */
  offset: number;
  length: number;
}

/** What is analysed as one file: the kernel's program, or one reading that runs apart. */
interface Unit {
  language: Language;
  text: string;
  pieces: Piece[];
  reading?: CellReading;
}

/** The languages of the notebook's code the codemod rewrites: the analyzers it needs. */
export function notebookLanguages(cells: readonly NotebookCell[]): Set<Language> {
  return new Set(unitsOf(cells).flatMap((unit) => (EXTENSIONS[unit.language] ? [unit.language] : [])));
}

export function analyzeNotebook(
  input: SourceInput,
  cells: readonly NotebookCell[],
  analyzeReading: ReadingAnalyzer,
): Analysis {
  const lines = new LineIndex(input.text);
  const occurrences = new Map<string, number>();
  const findings: Finding[] = [];
  let parseErrors = 0;
  for (const unit of unitsOf(cells)) {
    const extension = EXTENSIONS[unit.language];
    if (extension === undefined) {
      const { cell } = unit.pieces[0]!;
      const place = (offset: number) => cell.start(offset);
      findings.push(...unrewrittenUrls(input, lines, { ...unit, section: cell.section, place, where: "a cell" }));
      continue;
    }
    const single = unit.pieces.length === 1 ? unit.pieces[0]!.cell : undefined;
    const analysis = analyzeReading(unit.language, {
      ...input,
      path: `${input.path}${extension}`,
      text: unit.text,
      // A program's cells each stand in their own section: each finding is judged by its cell's, below.
      setting: single && documentSetting(single.section),
    });
    parseErrors += analysis.parseErrors;
    const unitLines = new LineIndex(unit.text);
    for (const finding of analysis.findings) {
      if (!isFileFinding(finding)) continue;
      const at = finding.location.file;
      const from = pieceAt(unit, unitLines.offset(at.line, at.column));
      const to = pieceAt(unit, unitLines.offset(at.endLine, at.endColumn), true);
      const { cell } = from.piece;
      const start = cell.start(from.offset);
      const end = Math.max(start, to.piece.cell.end(to.offset));
      const snippet = input.text.slice(start, Math.min(end, start + 200));
      const occurrence = occurrences.get(snippet) ?? 0;
      occurrences.set(snippet, occurrence + 1);
      const setting = documentSetting(cell.section);
      const edits = finding.fix?.map((edit) => ({
        edit,
        from: pieceAt(unit, edit.start),
        to: pieceAt(unit, edit.end, true),
      }));
      const held =
        edits &&
        (analysis.parseErrors > 0
          ? UNPARSED_REASON
          : setting
            ? cloudShellReason(setting.evidence)
            : edits.some(({ from, to }) => from.piece !== to.piece)
              ? ACROSS_CELLS_REASON
              : unit.reading?.lines && edits.some(({ edit }) => edit.text.includes("\n"))
                ? SHELL_LINE_REASON
                : undefined);
      const { fix: _, ...rest } = finding;
      const message = held
        ? `Token request to the Managed Identity VM extension needs a person: ${held}`
        : linesInCells(finding.message, unit, unitLines);
      findings.push({
        ...rest,
        message: `${message} (in cell ${cell.number} of this notebook)`,
        ...(held ? { messageId: "review" } : edits ? { fix: edits.map(inJson) } : {}),
        location: { file: lines.range(input.displayPath, start, end) },
        fingerprint: fingerprintOf(finding.ruleId, input.displayPath, snippet, occurrence),
      });
    }
  }
  return { findings, parseErrors };
}

/** A message's "line 5" of a unit as a person finds it in the notebook: "line 2 of cell 3". */
function linesInCells(message: string, unit: Unit, unitLines: LineIndex): string {
  return message.replace(/\bline (\d+)\b/g, (_, line: string) => {
    const { piece, offset } = pieceAt(unit, unitLines.offset(Number(line), 1));
    const { cell } = piece;
    return `line ${new LineIndex(cell.text).position(offset).line} of cell ${cell.number}`;
  });
}

/**
 * The units a notebook is analysed in: the kernel's readings together, in cell order, a line apart; every
 * other reading alone.
 */
function unitsOf(cells: readonly NotebookCell[]): Unit[] {
  const units: Unit[] = [];
  let program: Unit | undefined;
  for (const cell of cells) {
    for (const reading of cell.readings) {
      if (!reading.kernel) {
        units.push({
          language: reading.language,
          text: reading.text,
          pieces: [{ cell, offset: 0, length: reading.text.length }],
          reading,
        });
        continue;
      }
      if (!program) {
        program = { language: reading.language, text: "", pieces: [] };
        units.push(program);
      } else program.text += "\n";
      program.pieces.push({ cell, offset: program.text.length, length: reading.text.length });
      program.text += reading.text;
    }
  }
  return units;
}

/**
 * The piece of a unit an offset falls in, and the offset in its cell. An end offset (`end`) belongs to the
 * piece it closes: the end of one cell is not the start of the next.
 */
function pieceAt(unit: Unit, offset: number, end = false): { piece: Piece; offset: number } {
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

/** An edit of a cell's text as an edit of the notebook's JSON: its range mapped, its text escaped. */
function inJson({
  edit,
  from,
  to,
}: {
  edit: TextEdit;
  from: { piece: Piece; offset: number };
  to: { offset: number };
}): TextEdit {
  const { cell } = from.piece;
  const start = cell.start(from.offset);
  const end = to.offset > from.offset ? cell.end(to.offset) : start;
  return { start, end, text: JSON.stringify(edit.text).slice(1, -1) };
}
