import { compareFindings, fingerprintOf, type FileFinding, type Severity } from "../core/finding.js";
import type { SkippedFile } from "../core/report.js";
import type { Analysis, FixOutcome } from "../core/fix.js";
import { LineIndex } from "../core/positions.js";
import { messageOf, type DocumentSetting, type FileRule, type FileRuleContext, type Problem } from "../core/rule.js";
import { applySuppressions, DIRECTIVE_RULES } from "../core/suppressions.js";
import type { DiscoveredFile } from "../pipeline/discover.js";
import {
  holdsOtherLanguages,
  isJavaScriptLike,
  isProseFile,
  languageOf,
  languageOfText,
  type Language,
} from "../core/language.js";
import { createPrefilter, stateless } from "../pipeline/prefilter.js";
import type { PatternSet, ScreenedFile } from "../pipeline/screen.js";
import { bytesCandidate, maxBytesOf, readCandidate, type TextFile } from "../files/text-file.js";
import { writeBackText } from "../files/atomic-write.js";
import { DEFAULT_API_VERSION } from "../imds.js";
import {
  AnalysisLoadError,
  errorMessage,
  runAnalysis,
  type AnalysisSource,
  type AnalyzeSource,
} from "../pipeline/analysis.js";
import { forEachWithAnalyzer, type Analyzer } from "../pipeline/analyzer.js";
import type { SyntaxTree } from "../core/syntax-tree.js";
import { DependencyVersions } from "../files/dependencies.js";
import {
  codeBlocks,
  loadParser,
  namesALine,
  cellLines,
  cellRange,
  linesInCells,
  loadNotebookReader,
  notebookUnits,
  textOnDocumentLines,
  type NotebookCell,
  type NotebookUnit,
  type ParseText,
} from "../syntax/index.js";
import type { LintCache } from "./cache.js";
import { ownReportKind } from "./own-reports.js";
import { documentSetting } from "../../rules/support/code-paths.js";

// The rule runner: raw bytes, one prefilter per language, decode only candidates, every rule for the file's
// language, the JS analysis at most once per file (on a second thread while the scan goes on, when much
// is left to read). Nothing but findings outlives a file.

export interface EnabledRule {
  rule: FileRule;
  severity: Severity;
  /** Options set in the config; the rule's defaults fill the rest. */
  options?: Readonly<Record<string, boolean>>;
}

export interface EngineOptions {
  rules: readonly EnabledRule[];
  ports: readonly number[];
  fix: boolean;
  maxFileBytes?: number;
  /** The per-file budget: a file's rules stop at this many findings (see MAX_FINDINGS_PER_FILE). */
  maxFindingsPerFile?: number;
  /** Every id a suppression directive may name. */
  knownRuleIds: readonly string[];
  /** What analyses JS/TS for the rules that ask (the codemod's, handed in by the command line). */
  analysis: AnalysisSource;
  /** Outcomes of files whose text has not changed since a run in the same scope (`--cache`); not with fix. */
  cache?: LintCache | undefined;
  /**
   * With `fix`: a module whose `scriptAnalyzer(language)` rewrites scripts (the codemod's, as `fix --write`
   * rewrites them), for the rules that flag what it rewrites.
   */
  scriptRewrites?: URL | undefined;
}

export interface EngineResult {
  findings: FileFinding[];
  skipped: SkippedFile[];
  /** Files rewritten by --fix, with how many fixes each took. */
  fixed: { path: string; fixes: number }[];
  /** Failures of the tool itself (a rule threw): the run is incomplete. */
  errors: string[];
}

/**
 * Findings kept per file. Every rule's work is linear in the file's size and its matches; this bounds the
 * memory and the report a generated file (a bundle, a fixture holding 100,000 URLs) can take. A file that
 * reaches it is reported as skipped, with the findings found up to there.
 */
export const MAX_FINDINGS_PER_FILE = 10_000;

const NO_ANALYSIS: Analysis = { findings: [], parseErrors: 0 };
const NO_SYNTAX: ParseText = () => {
  throw new Error("the rule reads syntax but does not declare syntax: true");
};
/** What almost every file adds: one shared object, not one per file. */
const NOTHING: FileOutcome = Object.freeze({});

/** What one file adds to the result; added in file order whatever order the analyses finish in. */
interface FileOutcome {
  findings?: FileFinding[];
  skipped?: SkippedFile[];
  fixed?: { path: string; fixes: number };
  errors?: string[];
  /** The JS analysis could not be loaded (reported once for the run). */
  loadFailure?: string;
}

export async function lintFiles(files: Iterable<DiscoveredFile>, options: EngineOptions): Promise<EngineResult> {
  // The rules that read a language, and one prefilter per such set: a JS file is not searched for an ARM publisher.
  // Worked out once per language; undefined when no rule reads it.
  const byLanguage = new Map<
    Language,
    { language: Language; readers: EnabledRule[]; screen: PatternSet } | undefined
  >();
  const bySet = new Map<string, PatternSet>();
  const readersOf = (language: Language) => {
    if (byLanguage.has(language)) return byLanguage.get(language);
    const readers = options.rules.filter(({ rule }) => rule.languages.includes(language));
    if (readers.length === 0) {
      byLanguage.set(language, undefined);
      return undefined;
    }
    // Rules screen some languages for less than others: languages share a set only when their patterns agree.
    const patterns = distinct(readers.flatMap(({ rule }) => rule.prefilter(options.ports, language)));
    const set = patterns.map((pattern) => `${pattern.flags}/${pattern.source}`).join("\n");
    let screen = bySet.get(set);
    if (!screen) {
      screen = { patterns, prefilter: createPrefilter(patterns) };
      bySet.set(set, screen);
    }
    const known = { language, readers, screen };
    byLanguage.set(language, known);
    return known;
  };
  // A file whose name gives no language is screened for what any rule looks for; its text tells its language.
  const allLanguages = [...new Set(options.rules.flatMap(({ rule }) => rule.languages))];
  let byContent: PatternSet | undefined;
  const screenByContent = () => {
    if (!byContent) {
      const patterns = distinct(options.rules.flatMap(({ rule }) => rule.prefilter(options.ports)));
      byContent = { patterns, prefilter: createPrefilter(patterns) };
    }
    return byContent;
  };
  /** What a file is screened with, if any rule can read it. A document's code blocks may be in any language. */
  const screenFor = (file: DiscoveredFile) => {
    const language = languageOf(file.path);
    if (language && !holdsOtherLanguages(language)) return readersOf(language)?.screen;
    return allLanguages.length > 0 ? screenByContent() : undefined;
  };
  // After that, each rule runs only where its own patterns match: the JS analysis (and with it TypeScript)
  // is then paid for only by files that can hold an extension call, not by every IMDS client.
  const ownPatterns = new Map<string, RegExp[]>();
  const patternsOf = (rule: FileRule, language: Language) => {
    const key = `${rule.meta.id}\0${language}`;
    let patterns = ownPatterns.get(key);
    if (!patterns) {
      patterns = rule.prefilter(options.ports, language).map(stateless);
      ownPatterns.set(key, patterns);
    }
    return patterns;
  };
  const activeRuleIds = options.rules.map(({ rule }) => rule.meta.id);
  /** `lint --fix`'s script rewrites, by language: loaded at the first script that needs them. */
  const scriptRewriters = new Map<Language, Promise<AnalyzeSource | undefined>>();
  const scriptRewriter = (language: Language) => {
    const module = options.scriptRewrites;
    if (!module) return undefined;
    let rewriter = scriptRewriters.get(language);
    if (!rewriter) {
      rewriter = import(module.href).then(
        (loaded: { scriptAnalyzer: (language: Language) => Promise<AnalyzeSource | undefined> }) =>
          loaded.scriptAnalyzer(language),
      );
      scriptRewriters.set(language, rewriter);
    }
    return rewriter;
  };
  const knownRuleIds = new Set(options.knownRuleIds);
  const dependencies = new DependencyVersions();
  const rulesFor = (language: Language, text: string): EnabledRule[] =>
    (readersOf(language)?.readers ?? []).filter(({ rule }) => patternsOf(rule, language).some((p) => p.test(text)));
  /**
   * Part of a file read as a file of its language would be: a document's code block, a reading of a notebook's
   * cell. Undefined where no rule's patterns match it.
   */
  const checkPart = async (
    file: DiscoveredFile,
    part: { language: Language; text: string; setting: DocumentSetting | undefined; dialect?: string | undefined },
    analyzer: Analyzer,
    {
      occurrences,
      errors,
      maxFindings,
      placement,
    }: Pick<FileCheck, "occurrences" | "errors" | "maxFindings" | "placement">,
  ): Promise<{ findings: FileFinding[]; complete: boolean } | undefined> => {
    const { language, text, setting } = part;
    const rules = rulesFor(language, text);
    if (rules.length === 0) return undefined;
    const parseText = rules.some(({ rule }) => rule.syntax) ? await parserOrFailure(language) : NO_SYNTAX;
    const javascript =
      isJavaScriptLike(language) && rules.some(({ rule }) => rule.javascriptAnalysis)
        ? await blockAnalysis(analyzer, file, { text, language, setting }, options.ports)
        : () => NO_ANALYSIS;
    // A text part in a language a file would be named for (a Scala cell) is lexed as such a file is.
    const parsePath = part.dialect ? `${file.path}.${part.dialect}` : file.path;
    return checkFile({
      file,
      rules,
      ports: options.ports,
      dependencies,
      errors,
      occurrences,
      maxFindings,
      language,
      text,
      javascript,
      syntax: once(() => parseText(text, parsePath)),
      // Fragments often do not parse: that is no news about the file, so it is not reported as skipped.
      skipped: [],
      placement,
      setting,
    });
  };
  /**
   * A document's code blocks, each read by the rules of its language as a file of its own would be; what is
   * found is a warning at its line in the document (docs show what to type, they run nothing), never fixed.
   * Its blocks share the file's budget.
   */
  const lintDocument = async (
    file: DiscoveredFile,
    text: string,
    analyzer: Analyzer,
    { occurrences = new Map<string, number>(), of = "this document", budget = new Budget(options) } = {},
  ): Promise<FileOutcome> => {
    const lines = new LineIndex(text);
    const errors: string[] = [];
    const found: FileFinding[] = [];
    const blocks = codeBlocks(text, /\.rst$/i.test(file.path));
    for (const block of blocks) {
      const part = { language: block.language, text: block.text, setting: documentSetting(block.section) };
      /** The block's findings, read as it is or after the document's lines before it (see textOnDocumentLines). */
      const checkBlock = async (onDocumentLines: boolean) => {
        const counts = new Map(occurrences);
        const blockErrors: string[] = [];
        const checked = await checkPart(
          file,
          { ...part, text: onDocumentLines ? textOnDocumentLines(block) : block.text },
          analyzer,
          {
            occurrences: counts,
            errors: blockErrors,
            maxFindings: budget.left,
            placement: { lines, offset: block.start - (onDocumentLines ? block.linesBefore : 0) },
          },
        );
        return checked && { ...checked, counts, errors: blockErrors };
      };
      // Read as it is: only a message that names a line ("also used on line 3") needs the document's lines,
      // which cost a long document a pass over all its lines per block.
      let checked = await checkBlock(false);
      if (checked?.findings.some((f) => namesALine(f.message))) checked = await checkBlock(true);
      if (!checked) continue;
      for (const [key, count] of checked.counts) occurrences.set(key, count);
      errors.push(...checked.errors);
      for (const finding of checked.findings) found.push(asDocumentFinding(finding, of));
      if (!budget.spend(checked)) break;
    }
    const findings = applySuppressions(found, {
      text,
      language: "docs",
      displayPath: file.displayPath,
      lines,
      knownRuleIds: options.knownRuleIds,
      activeRuleIds: budget.spent ? [] : activeRuleIds,
      blocks: blocks.map((block) => block.lines),
    });
    return { findings, errors, ...budget.outcome(file) };
  };
  /**
   * A notebook's cells: its code as files of their languages would be (it runs), a Markdown cell as a
   * document. The cells that run in the kernel are read together, as one program (see notebookUnits), and
   * its directives apply across them as a file's do; a cell that runs apart (`%%bash`) keeps its own. Its
   * cells share the file's budget.
   */
  const lintNotebook = async (
    file: DiscoveredFile,
    text: string,
    cells: readonly NotebookCell[],
    analyzer: Analyzer,
  ): Promise<FileOutcome> => {
    const budget = new Budget(options);
    const units = notebookUnits(cells);
    const code = await lintNotebookCode(file, units, analyzer, budget);
    const errors = [...code.errors];
    const found: { cell: NotebookCell; finding: FileFinding }[] = [];
    const directives = (findings: FileFinding[], at: { text: string; language: Language; lines: LineIndex }) =>
      applySuppressions(findings, {
        ...at,
        displayPath: file.displayPath,
        knownRuleIds: options.knownRuleIds,
        activeRuleIds: budget.spent ? [] : activeRuleIds,
      });
    // The program's cells, with what their readings found (their `!` lines' too), on the program's lines.
    const program = units.find((unit) => unit.kernel);
    const inProgram = new Set(program?.pieces.map(({ cell }) => cell));
    if (program?.pieces.some(({ cell }) => code.byCell.has(cell))) {
      const lines = new LineIndex(program.text);
      const onProgram = program.pieces.flatMap(({ cell, offset }) =>
        (code.byCell.get(cell) ?? []).map((finding) => moved(finding, cellLines(cell), lines, offset)),
      );
      for (const suppressed of directives(onProgram, { text: program.text, language: program.language, lines })) {
        // A directive's own finding names a line of the program: named in its cell, as the rules' are.
        const finding = DIRECTIVE_RULES[suppressed.ruleId]
          ? { ...suppressed, message: linesInCells(suppressed.message, program, lines) }
          : suppressed;
        found.push(inItsCell(finding, program, lines));
      }
    }
    for (const cell of cells) {
      if (cell.kind === "markdown") {
        if (budget.spent) continue;
        const of = `cell ${cell.number} of this notebook`;
        const outcome = await lintDocument(file, cell.text, analyzer, { of, budget });
        errors.push(...(outcome.errors ?? []));
        for (const finding of outcome.findings ?? []) found.push({ cell, finding });
        continue;
      }
      const read = code.byCell.get(cell);
      // As in a file: where no rule reads anything, its directives are not judged.
      if (!read || inProgram.has(cell)) continue;
      const at = { text: cell.text, language: cell.readings[0]!.language, lines: cellLines(cell) };
      for (const finding of directives(read, at)) found.push({ cell, finding });
    }
    const lines = new LineIndex(text);
    const findings = found.map(({ cell, finding }) => inNotebook(finding, cell, cellLines(cell), lines));
    return {
      findings: fingerprinted(findings, file, text, lines),
      errors: [...new Set(errors)],
      ...budget.outcome(file),
    };
  };
  /**
   * The findings of a notebook's code by cell, at their places in its cells (directives not yet applied); a
   * cell is there when a rule read it. Each cell is judged by what its own Markdown section says: a unit
   * whose cells stand in sections that say different things is read once for each.
   */
  const lintNotebookCode = async (
    file: DiscoveredFile,
    units: readonly NotebookUnit[],
    analyzer: Analyzer,
    budget: Budget,
  ): Promise<{ byCell: Map<NotebookCell, FileFinding[]>; errors: string[] }> => {
    const byCell = new Map<NotebookCell, FileFinding[]>();
    const errors: string[] = [];
    for (const unit of units) {
      if (budget.spent) break;
      const unitLines = new LineIndex(unit.text);
      const settings = new Map(unit.pieces.map(({ cell }) => [cell, documentSetting(cell.section)]));
      for (const evidence of new Set([...settings.values()].map((setting) => setting?.evidence))) {
        const judged = (cell: NotebookCell) => settings.get(cell)?.evidence === evidence;
        const setting = [...settings.values()].find((each) => each?.evidence === evidence);
        // Fingerprints are counted once the notebook's findings are known: see fingerprinted.
        const checked = await checkPart(file, { ...unit, setting }, analyzer, {
          occurrences: new Map(),
          errors,
          maxFindings: budget.left,
        });
        if (!checked) continue;
        for (const { cell } of unit.pieces) if (judged(cell)) byCell.set(cell, byCell.get(cell) ?? []);
        const kept: FileFinding[] = [];
        for (const found of checked.findings) {
          const { cell, finding } = inItsCell(found, unit, unitLines);
          if (!judged(cell)) continue;
          kept.push(finding);
          byCell.get(cell)!.push({ ...finding, message: linesInCells(finding.message, unit, unitLines) });
        }
        if (!budget.spend({ findings: kept, complete: checked.complete })) break;
      }
    }
    return { byCell, errors };
  };
  const lintFile = (
    { file, clear }: ScreenedFile<DiscoveredFile>,
    analyzer: Analyzer,
  ): FileOutcome | Promise<FileOutcome> => {
    const skip = (reason: string): FileOutcome => ({ skipped: [{ path: file.displayPath, reason }] });
    const screen = screenFor(file);
    if (!screen) return file.explicit ? skip("no rule reads this kind of file") : NOTHING;
    if (clear) return NOTHING;
    const decoded = file.content
      ? bytesCandidate(file.content, screen.prefilter, maxBytesOf(file.path, options.maxFileBytes))
      : readCandidate(file.path, screen.prefilter, maxBytesOf(file.path, options.maxFileBytes));
    if (decoded.kind === "no-match") return NOTHING;
    if (decoded.kind !== "text") return skip(decoded.reason);
    // A report a run left in the tree is no news: passed over quietly, unless it was named.
    const report = ownReportKind(decoded.file.text, knownRuleIds);
    if (report) return file.explicit ? skip(`msi2imds's own ${report}, not linted`) : NOTHING;
    const cache = options.fix ? undefined : options.cache;
    const cached = cache?.get(file.path, decoded.file.text);
    if (cached) return cached;
    // Only a complete outcome is remembered: a rule that failed must run again next time.
    const remember = (outcome: FileOutcome): FileOutcome => {
      if (cache && !outcome.errors?.length && outcome.loadFailure === undefined)
        cache.set(file.path, decoded.file.text, { findings: outcome.findings ?? [], skipped: outcome.skipped ?? [] });
      return outcome;
    };
    const named = languageOf(file.path);
    if (named === "docs") return lintDocument(file, decoded.file.text, analyzer).then(remember);
    /** The file read as code (or text) in one language. */
    const lintAs = (readAs: Language): FileOutcome | Promise<FileOutcome> => {
      const known = readersOf(readAs);
      if (!known) return file.explicit ? skip("no rule reads this kind of file") : NOTHING;
      const { language } = known;
      const rules = rulesFor(language, decoded.file.text);
      if (rules.length === 0) return NOTHING;
      const prose = language === "text" && isProseFile(file.path, decoded.file.text);
      const run = (parseText: ParseText) => {
        /** A reading of the text: the rules of a language, with its parser. */
        type Reading = { language: Language; rules: EnabledRule[]; parse: ParseText };
        const own: Reading = { language, rules, parse: parseText };
        const check = (
          text: string,
          javascript: () => Analysis,
          outcome: FileOutcome = {},
          readings: readonly Reading[] = [own],
        ): FileOutcome => {
          const errors = [...(outcome.errors ?? [])];
          const skipped = [...(outcome.skipped ?? [])];
          const found: FileFinding[] = [];
          let complete = true;
          for (const reading of readings) {
            const syntax = once(() => reading.parse(text, file.path));
            const checked = checkFile({
              file,
              language: reading.language,
              text,
              rules: reading.rules,
              ports: options.ports,
              javascript,
              syntax,
              dependencies,
              skipped,
              errors,
              maxFindings: options.maxFindingsPerFile ?? MAX_FINDINGS_PER_FILE,
            });
            found.push(...checked.findings);
            complete &&= checked.complete;
          }
          // Once over every reading's findings: a directive is used if any reading's finding is under it.
          const findings = applySuppressions(found, {
            text,
            language,
            displayPath: file.displayPath,
            lines: new LineIndex(text),
            knownRuleIds: options.knownRuleIds,
            // Rules stopped by the budget did not read the whole file: their directives are not "unused".
            activeRuleIds: complete ? activeRuleIds : [],
          });
          return { ...outcome, findings: prose ? findings.map(asProseFinding) : findings, skipped, errors };
        };
        /**
         * A JS/TS file that does not parse is read by the text rules too, as text of its own, so that an
         * extension call in it still fails the gate.
         */
        const alsoAsText = async (javascript: Analysis): Promise<FileOutcome> => {
          const textRules = rulesFor("text", decoded.file.text);
          if (textRules.length === 0) return check(decoded.file.text, () => javascript);
          const text = { language: "text" as const, rules: textRules, parse: await parserOrFailure("text") };
          return check(decoded.file.text, () => javascript, {}, [own, text]);
        };
        const input = {
          path: file.path,
          displayPath: file.displayPath,
          text: decoded.file.text,
          ports: options.ports,
          apiVersion: DEFAULT_API_VERSION,
        };
        if (!isJavaScriptLike(language) || !rules.some(({ rule }) => rule.javascriptAnalysis === true)) {
          const rewriting = options.fix ? scriptRewriter(language) : undefined;
          if (!rewriting) return remember(check(decoded.file.text, () => NO_ANALYSIS));
          // `fix --write`'s rewrites of the script, limited to what the enabled rules flag.
          return rewriting.then(
            (rewrite) => {
              const { fixed } = rewrite ? runAnalysis(onlyFindingsOf(rules, rewrite), { input, fix: true }) : {};
              if (!fixed) return check(decoded.file.text, () => NO_ANALYSIS);
              const written = writeFix(file, decoded.file, fixed);
              return check(written.text, () => NO_ANALYSIS, written.outcome);
            },
            (error: unknown) =>
              check(decoded.file.text, () => NO_ANALYSIS, {
                errors: [`${file.displayPath}: the script rewrites could not be loaded: ${errorMessage(error)}`],
              }),
          );
        }
        return analyzer.analyze({ input, fix: options.fix }).then(
          (result) => {
            if (result.first.parseErrors > 0) return alsoAsText(result.first);
            if (!result.fixed) return remember(check(decoded.file.text, () => result.first));
            const fixed = writeFix(file, decoded.file, result.fixed);
            return check(fixed.text, () => fixed.analysis ?? result.first, fixed.outcome);
          },
          (error: unknown) => {
            if (error instanceof AnalysisLoadError)
              return check(decoded.file.text, () => NO_ANALYSIS, { loadFailure: error.message });
            // Thrown where the rule asks for the analysis, so the failure names the rule and the file as any rule's would.
            return check(decoded.file.text, () => {
              throw error;
            });
          },
        );
      };
      // The parser is loaded only now, for a file the prefilter passed, and only for a rule that reads syntax.
      if (!rules.some(({ rule }) => rule.syntax === true)) return run(NO_SYNTAX);
      return parserOrFailure(language).then(run);
    };
    if (named === "notebook")
      return loadNotebookReader().then((read) => {
        const cells = read(decoded.file.text);
        // A notebook that is not one (its JSON is broken) is read as what its text is.
        return cells
          ? lintNotebook(file, decoded.file.text, cells, analyzer).then(remember)
          : lintAs(languageOfText(decoded.file.text));
      });
    return lintAs(named ?? languageOfText(decoded.file.text));
  };

  const result: EngineResult = { findings: [], skipped: [], fixed: [], errors: [] };
  let loadFailure: string | undefined;
  const screening = {
    // Bytes already in hand (standard input) are not screened from disk.
    screenWith: (file: DiscoveredFile) => (file.content ? undefined : screenFor(file)),
    maxFileBytes: options.maxFileBytes,
  };
  await forEachWithAnalyzer(
    files,
    screening,
    lintFile,
    (outcome) => {
      // One by one: a file's findings can outnumber what a call's arguments may hold.
      for (const finding of outcome.findings ?? []) result.findings.push(finding);
      if (outcome.skipped) result.skipped.push(...outcome.skipped);
      if (outcome.fixed) result.fixed.push(outcome.fixed);
      if (outcome.errors) result.errors.push(...outcome.errors);
      loadFailure ??= outcome.loadFailure;
    },
    options.analysis,
  );
  if (loadFailure !== undefined)
    result.errors.unshift(
      `the JavaScript/TypeScript analysis could not be loaded, no-extension-endpoint did not run: ${loadFailure}`,
    );
  return result;
}

/** The analysis with only the findings of `rules`: a disabled rule's rewrite is not made. */
function onlyFindingsOf(rules: readonly EnabledRule[], analyze: AnalyzeSource): AnalyzeSource {
  const ids = new Set(rules.map(({ rule }) => rule.meta.id));
  return (input) => {
    const analysis = analyze(input);
    return { ...analysis, findings: analysis.findings.filter((finding) => ids.has(finding.ruleId)) };
  };
}

/** The language's parser; one that could not load fails the rules that ask for a tree, naming why. */
function parserOrFailure(language: Language): Promise<ParseText> {
  return loadParser(language).catch((error: unknown) => () => {
    throw new Error(`the ${language} parser could not be loaded: ${errorMessage(error)}`);
  });
}

/** The codemod's analysis of a JS/TS code block (never fixed), or the failure that rules asking for it meet. */
async function blockAnalysis(
  analyzer: Analyzer,
  file: DiscoveredFile,
  block: { text: string; language: "javascript" | "typescript"; setting: DocumentSetting | undefined },
  ports: readonly number[],
): Promise<() => Analysis> {
  const input = {
    // Named as a file of its language, so that TypeScript reads it as one.
    path: `${file.path}.${block.language === "typescript" ? "ts" : "js"}`,
    displayPath: file.displayPath,
    text: block.text,
    ports,
    apiVersion: DEFAULT_API_VERSION,
    setting: block.setting,
  };
  try {
    const { first } = await analyzer.analyze({ input, fix: false });
    return () => first;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

/** What a prose file (a changelog, notes) says is reported as a warning, saying where it was found. */
function asProseFinding(finding: FileFinding): FileFinding {
  if (finding.severity === "warning" || DIRECTIVE_RULES[finding.ruleId]) return finding;
  return { ...finding, severity: "warning", message: `${finding.message} (in a text document)` };
}

/** What a document shows is reported as a warning, saying where it was found. */
function asDocumentFinding(finding: FileFinding, document: string): FileFinding {
  return { ...finding, severity: "warning", message: `${finding.message} (in a code block of ${document})` };
}

/** A finding on a unit's lines, moved to the lines of the cell it stands in. */
function inItsCell(
  finding: FileFinding,
  unit: NotebookUnit,
  unitLines: LineIndex,
): { cell: NotebookCell; finding: FileFinding } {
  const at = finding.location.file;
  const { cell, start, end } = cellRange(
    unit,
    unitLines.offset(at.line, at.column),
    unitLines.offset(at.endLine, at.endColumn),
  );
  return { cell, finding: { ...finding, location: { file: cellLines(cell).range(at.path, start, end) } } };
}

/** A finding placed on `from`'s lines moved onto `to`'s, where the text it stands in starts at `offset`. */
function moved(finding: FileFinding, from: LineIndex, to: LineIndex, offset: number): FileFinding {
  const at = finding.location.file;
  const start = offset + from.offset(at.line, at.column);
  const end = offset + from.offset(at.endLine, at.endColumn);
  return { ...finding, location: { file: to.range(at.path, start, end) } };
}

/**
 * A notebook's findings with their fingerprints counted in the notebook's order, whatever order its units
 * and readings were read in: the same notebook gives the same fingerprints.
 */
function fingerprinted(findings: FileFinding[], file: DiscoveredFile, text: string, lines: LineIndex): FileFinding[] {
  const occurrences = new Map<string, number>();
  return findings.sort(compareFindings).map((finding) => {
    const at = finding.location.file;
    const snippet = text.slice(lines.offset(at.line, at.column), lines.offset(at.endLine, at.endColumn));
    // Cells are counted from the top: a cell added above must not change the findings below it.
    const message = finding.message.replace(/\bcell \d+\b/g, "cell");
    const key = `${finding.ruleId}\0${snippet}\0${message}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    return {
      ...finding,
      fingerprint: fingerprintOf(finding.ruleId, file.displayPath, `${snippet}\0${message}`, occurrence),
    };
  });
}

/**
 * A finding in a notebook's cell, moved to where the notebook's JSON holds it; a code cell's names the cell
 * (a notebook is read in cells, not in the JSON's lines). Never fixed: the JSON is not rewritten.
 */
function inNotebook(finding: FileFinding, cell: NotebookCell, cellLines: LineIndex, notebook: LineIndex): FileFinding {
  const { fix: _notWritten, ...rest } = finding;
  const { path, line, column, endLine, endColumn } = finding.location.file;
  const start = cell.start(cellLines.offset(line, column));
  const end = cell.end(cellLines.offset(endLine, endColumn));
  return {
    ...rest,
    ...(cell.kind === "code" ? { message: `${finding.message} (in cell ${cell.number} of this notebook)` } : {}),
    location: { file: notebook.range(path, start, Math.max(start, end)) },
  };
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

function distinct(patterns: readonly RegExp[]): RegExp[] {
  return [...new Map(patterns.map((p) => [`${p.flags}/${p.source}`, p])).values()];
}

/** `--fix`: writes what the fix loop made, as `fix --write` does; the text and analysis the rules then report on. */
function writeFix(
  file: DiscoveredFile,
  original: TextFile,
  outcome: FixOutcome,
): { text: string; analysis: Analysis | undefined; outcome: FileOutcome } {
  const unchanged = (why: FileOutcome) => ({ text: original.text, analysis: undefined, outcome: why });
  if (outcome.rejected)
    return unchanged({ skipped: [{ path: file.displayPath, reason: `fix not applied: ${outcome.rejected}` }] });
  if (outcome.text === original.text) return { text: original.text, analysis: outcome.analysis, outcome: {} };
  const refusal = writeBackText(file.path, original, outcome.text);
  if (refusal) return unchanged({ skipped: [{ path: file.displayPath, reason: `fix not written: ${refusal}` }] });
  return {
    text: outcome.text,
    analysis: outcome.analysis,
    outcome: { fixed: { path: file.displayPath, fixes: outcome.fixesApplied } },
  };
}

interface FileCheck {
  file: DiscoveredFile;
  language: Language;
  text: string;
  rules: readonly EnabledRule[];
  ports: readonly number[];
  /** The JS analysis of `text`, asked for only by the rules that use it. */
  javascript: () => Analysis;
  /** The syntax tree of `text`, likewise. */
  syntax: () => SyntaxTree;
  /** The run's reader of lock files and manifests. */
  dependencies: DependencyVersions;
  skipped: SkippedFile[];
  errors: string[];
  maxFindings: number;
  /** For a code block of a document: where `text` starts in it, and its lines (findings are placed there). */
  placement?: { lines: LineIndex; offset: number };
  /** Snippets seen so far in the file, for fingerprints (shared by a document's blocks). */
  occurrences?: Map<string, number>;
  /** For a code block of a document: where the document says its samples run. */
  setting?: DocumentSetting | undefined;
}

function budgetNotice(file: DiscoveredFile, maxFindings: number): SkippedFile {
  return {
    path: file.displayPath,
    reason: `stopped at ${maxFindings} problems, the per-file budget; the rest of the file is not checked`,
  };
}

/** What a file may still report, shared by the parts it is read in (a document's blocks, a notebook's cells). */
class Budget {
  readonly max: number;
  left: number;
  spent = false;

  constructor(options: Pick<EngineOptions, "maxFindingsPerFile">) {
    this.max = options.maxFindingsPerFile ?? MAX_FINDINGS_PER_FILE;
    this.left = this.max;
  }

  /** Takes a part's findings from what is left; false once a part stopped at the budget. */
  spend({ findings, complete }: { findings: readonly FileFinding[]; complete: boolean }): boolean {
    this.left -= findings.length;
    this.spent ||= !complete;
    return !this.spent;
  }

  outcome(file: DiscoveredFile): Pick<FileOutcome, "skipped"> {
    return this.spent ? { skipped: [budgetNotice(file, this.max)] } : {};
  }
}

/** Thrown through a rule by its report() when the file's budget is spent: the rule stops where it is. */
const BUDGET_SPENT = Symbol("the per-file budget is spent");

function checkFile({
  file,
  language,
  text,
  rules,
  ports,
  javascript: analyze,
  syntax,
  dependencies,
  skipped,
  errors,
  maxFindings,
  placement,
  occurrences = new Map<string, number>(),
  setting,
}: FileCheck): { findings: FileFinding[]; complete: boolean } {
  const lines = new LineIndex(text);
  const at = placement ?? { lines, offset: 0 };
  const findings: FileFinding[] = [];
  let analysis: Analysis | undefined;
  const javascript = (): Analysis => {
    if (analysis) return analysis;
    const full = analyze();
    if (full.parseErrors > 0) {
      skipped.push({
        path: file.displayPath,
        reason: `JavaScript/TypeScript does not parse (${full.parseErrors} syntax error(s)); read as plain text by the text rules`,
      });
      analysis = { findings: [], parseErrors: full.parseErrors };
    } else analysis = full;
    return analysis;
  };
  for (const { rule, severity, options } of rules) {
    const report = (problem: Problem) => {
      if (findings.length >= maxFindings) throw BUDGET_SPENT;
      const snippet = text.slice(problem.start, problem.end);
      const message = messageOf(rule.meta, problem);
      const key = `${rule.meta.id}\0${snippet}`;
      const occurrence = occurrences.get(key) ?? 0;
      occurrences.set(key, occurrence + 1);
      findings.push({
        ruleId: rule.meta.id,
        severity: problem.severity ?? severity,
        messageId: problem.messageId,
        message,
        location: { file: at.lines.range(file.displayPath, at.offset + problem.start, at.offset + problem.end) },
        // A fix's offsets are the text's: a block of a document is never rewritten.
        ...(problem.fix && !placement ? { fix: problem.fix } : {}),
        fingerprint: fingerprintOf(rule.meta.id, file.displayPath, `${snippet}\0${message}`, occurrence),
      });
    };
    const context: FileRuleContext = {
      path: file.path,
      displayPath: file.displayPath,
      text,
      language,
      ports,
      options: { ...rule.options, ...options },
      lines,
      javascript,
      syntax,
      dependency: (ecosystem, name) => dependencies.find(file.path, ecosystem, name),
      setting,
      report,
    };
    try {
      rule.check(context);
    } catch (error) {
      if (error === BUDGET_SPENT) {
        skipped.push(budgetNotice(file, maxFindings));
        return { findings, complete: false };
      }
      errors.push(`rule ${rule.meta.id} failed on ${file.displayPath}: ${errorMessage(error)}`);
    }
  }
  return { findings, complete: true };
}
