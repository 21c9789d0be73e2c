import { fingerprintOf, isFileFinding, type Finding, type TextEdit } from "../../core/finding.js";
import type { Analysis } from "../../core/fix.js";
import type { Language } from "../../core/language.js";
import { LineIndex } from "../../core/positions.js";
import type { SourceInput } from "../../pipeline/analysis.js";
import { cellRange, linesInCells, notebookUnits, type NotebookCell } from "../../syntax/index.js";
import { documentSetting } from "../../../rules/support/code-paths.js";
import { unrewrittenUrls, type BlockAnalyzer } from "../docs/analyze.js";
import { cloudShellReason } from "../findings.js";

// `fix` on a Jupyter notebook. Its cells run in one kernel and share its names (an import, a constant, a
// session made in cell 1 and used in cell 5): the kernel's cells are read together as one program, as a
// script of the kernel's language would be. What runs apart (a `%%bash` cell, a `!` line, a file
// `%%writefile` writes) is read on its own. What is found is moved back into the notebook's JSON, each
// edit's text escaped as JSON. Left for a person: code of a program that does not parse as a whole, a cell
// in a Cloud Shell section, a rewrite that would break a `!` line into more lines, a fix that would span two
// cells, and the extension's URL in code fix does not rewrite (an R cell, `%%javascript`, which runs in the
// browser).

const UNPARSED_REASON = "a cell of this notebook does not parse as a whole (IPython syntax?): rewrite it by hand";
const SHELL_LINE_REASON = "the rewrite would break an IPython `!` line into more lines: rewrite it by hand";
const ACROSS_CELLS_REASON = "the rewrite would change two cells at once: rewrite it by hand";

/** The file extension each language is analysed under, so that it is read as a file of that language. */
const EXTENSIONS: Partial<Record<Language, string>> = { python: ".py", shell: ".sh", powershell: ".ps1" };
/** A JS or TS kernel (Deno, tslab) runs on the machine; `%%javascript` runs in the browser, not rewritten. */
const KERNEL_EXTENSIONS: Partial<Record<Language, string>> = { ...EXTENSIONS, javascript: ".js", typescript: ".ts" };

/** The languages of the notebook's code the codemod rewrites: the analyzers it needs. */
export function notebookLanguages(cells: readonly NotebookCell[]): Set<Language> {
  return new Set(
    notebookUnits(cells).flatMap((unit) =>
      (unit.kernel ? KERNEL_EXTENSIONS : EXTENSIONS)[unit.language] ? [unit.language] : [],
    ),
  );
}

export function analyzeNotebook(
  input: SourceInput,
  cells: readonly NotebookCell[],
  analyzeReading: BlockAnalyzer,
): Analysis {
  const lines = new LineIndex(input.text);
  const occurrences = new Map<string, number>();
  const findings: Finding[] = [];
  let parseErrors = 0;
  for (const unit of notebookUnits(cells)) {
    const extension = (unit.kernel ? KERNEL_EXTENSIONS : EXTENSIONS)[unit.language];
    if (extension === undefined) {
      for (const { cell, offset, length } of unit.pieces) {
        const code = { ...unit, text: unit.text.slice(offset, offset + length), section: cell.section };
        const place = (at: number) => cell.start(at);
        for (const found of unrewrittenUrls(input, lines, { ...code, place, where: "a cell" }, occurrences))
          findings.push({ ...found, message: `${found.message} (in cell ${cell.number} of this notebook)` });
      }
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
      const range = cellRange(unit, unitLines.offset(at.line, at.column), unitLines.offset(at.endLine, at.endColumn));
      const { cell } = range;
      const start = cell.start(range.start);
      const end = Math.max(start, cell.end(range.end));
      const snippet = input.text.slice(start, Math.min(end, start + 200));
      const occurrence = occurrences.get(snippet) ?? 0;
      occurrences.set(snippet, occurrence + 1);
      const setting = documentSetting(cell.section);
      const edits = finding.fix?.map((edit) => ({ edit, range: cellRange(unit, edit.start, edit.end) }));
      const held =
        edits &&
        (analysis.parseErrors > 0
          ? UNPARSED_REASON
          : setting
            ? cloudShellReason(setting.evidence)
            : edits.some(({ range }) => !range.whole)
              ? ACROSS_CELLS_REASON
              : unit.lines && edits.some(({ edit }) => edit.text.includes("\n"))
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

/** An edit of a cell's text as an edit of the notebook's JSON: its range mapped, its text escaped. */
function inJson({ edit, range }: { edit: TextEdit; range: ReturnType<typeof cellRange> }): TextEdit {
  const { cell } = range;
  const start = cell.start(range.start);
  const end = range.end > range.start ? cell.end(range.end) : start;
  return { start, end, text: JSON.stringify(edit.text).slice(1, -1) };
}
