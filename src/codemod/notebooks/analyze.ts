import { fingerprintOf, isFileFinding, type Finding, type TextEdit } from "../../core/finding.js";
import type { Analysis } from "../../core/fix.js";
import type { Language } from "../../core/language.js";
import { LineIndex } from "../../core/positions.js";
import type { SourceInput } from "../../pipeline/analysis.js";
import type { NotebookCell } from "../../syntax/index.js";
import { documentSetting } from "../../../rules/support/code-paths.js";
import { cloudShellReason } from "../findings.js";

// `fix` on a Jupyter notebook: each code cell read as lint reads it (its Python, its IPython `!` lines as
// shell, a `%%bash` cell), each reading analysed as a script of its own, and what is found moved back into
// the notebook's JSON, each edit's new text escaped as JSON. A cell runs, so its rewrites are made as a
// script's are; a cell that does not parse as a whole, a Cloud Shell section, or a `!` line the rewrite would
// break into more lines, is left for a person.

export type ReadingAnalyzer = (language: Language, input: SourceInput) => Analysis;

const UNPARSED_REASON = "its notebook cell does not parse as a whole (IPython syntax?): rewrite it by hand";
const SHELL_LINE_REASON = "the rewrite would break an IPython `!` line into more lines: rewrite it by hand";

/** The file extension each reading is analysed under, so that it is read as a file of its language. */
const EXTENSIONS: Partial<Record<Language, string>> = {
  python: ".py",
  shell: ".sh",
  powershell: ".ps1",
  javascript: ".js",
  typescript: ".ts",
};

/** The languages of the notebook's code the codemod rewrites: the analyzers it needs. */
export function notebookLanguages(cells: readonly NotebookCell[]): Set<Language> {
  return new Set(
    cells.flatMap((cell) => cell.readings.map((r) => r.language)).filter((l) => EXTENSIONS[l] !== undefined),
  );
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
  for (const cell of cells) {
    const setting = documentSetting(cell.section);
    const cellLines = new LineIndex(cell.text);
    for (const reading of cell.readings) {
      const extension = EXTENSIONS[reading.language];
      if (extension === undefined) continue;
      const analysis = analyzeReading(reading.language, {
        ...input,
        path: `${input.path}${extension}`,
        text: reading.text,
        setting,
      });
      parseErrors += analysis.parseErrors;
      for (const finding of analysis.findings) {
        if (!isFileFinding(finding)) continue;
        const at = finding.location.file;
        const start = cell.start(cellLines.offset(at.line, at.column));
        const end = Math.max(start, cell.end(cellLines.offset(at.endLine, at.endColumn)));
        const snippet = input.text.slice(start, Math.min(end, start + 200));
        const occurrence = occurrences.get(snippet) ?? 0;
        occurrences.set(snippet, occurrence + 1);
        const held =
          finding.fix &&
          (analysis.parseErrors > 0
            ? UNPARSED_REASON
            : setting
              ? cloudShellReason(setting.evidence)
              : reading.lines && finding.fix.some((edit) => edit.text.includes("\n"))
                ? SHELL_LINE_REASON
                : undefined);
        const { fix: _, ...rest } = finding;
        const message = held
          ? `Token request to the Managed Identity VM extension needs a person: ${held}`
          : finding.message;
        findings.push({
          ...rest,
          message: `${message} (in cell ${cell.number} of this notebook)`,
          ...(held
            ? { messageId: "review" }
            : finding.fix
              ? { fix: finding.fix.map((edit) => inJson(cell, edit)) }
              : {}),
          location: { file: lines.range(input.displayPath, start, end) },
          fingerprint: fingerprintOf(finding.ruleId, input.displayPath, snippet, occurrence),
        });
      }
    }
  }
  return { findings, parseErrors };
}

/** An edit of a cell's text as an edit of the notebook's JSON: its range mapped, its text escaped. */
function inJson(cell: NotebookCell, edit: TextEdit): TextEdit {
  const start = cell.start(edit.start);
  const end = edit.end > edit.start ? cell.end(edit.end) : start;
  return { start, end, text: JSON.stringify(edit.text).slice(1, -1) };
}
