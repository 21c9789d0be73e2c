import { basename } from "node:path";
import { exitCodeOf, UsageError, type ExitCode } from "../core/exit-codes.js";
import {
  holdsOtherLanguages,
  isJavaScriptLike,
  JS_TS_EXTENSIONS,
  languageOf,
  type Language,
} from "../core/language.js";
import type { FixFileReport, FixSummary } from "../core/report.js";
import { writeBackText } from "../files/atomic-write.js";
import { UncommittedChanges } from "../files/git-status.js";
import { maxBytesOf, readCandidate } from "../files/text-file.js";
import { unsuppressed } from "../core/suppressions.js";
import { extensionPorts, IMDS_IDENTITY_API_VERSIONS, isImdsIdentityApiVersion } from "../imds.js";
import {
  errorMessage,
  importAnalyzeSource,
  runAnalysis,
  type AnalysisResult,
  type AnalyzeSource,
  type SourceInput,
} from "../pipeline/analysis.js";
import { forEachWithAnalyzer, type Analyzer } from "../pipeline/analyzer.js";
import { discoverFiles, type DiscoveredFile } from "../pipeline/discover.js";
import { createPrefilter } from "../pipeline/prefilter.js";
import type { ScreenedFile } from "../pipeline/screen.js";
import { codemodPrefilter, OLD_SDK_CALL } from "../../rules/support/extension-call-prefilter.js";
import { EXTENSION_FOLDER } from "../../rules/support/endpoint-patterns.js";
import { fixUntilStable, type Analysis } from "../core/fix.js";
import { analyzeMarkdown, blockLanguages, type BlockAnalyzer } from "./docs/analyze.js";
import { analyzeNotebook, notebookLanguages } from "./notebooks/analyze.js";
import { loadNotebookReader } from "../syntax/index.js";
import { isScriptLanguage, SCRIPT_EXTENSIONS, scriptAnalyzer, scriptLanguageOf } from "./scripts/analyze.js";
import { scriptPrefilter } from "./scripts/prefilter.js";

// `msi2imds fix`: walk, prefilter raw bytes, parse only candidates (JS/TS on a second thread while the walk's
// files are read, when many are left; Python, shell and PowerShell here, with tree-sitter), rewrite, then
// hand each file's report on in file order (the command line prints it as it comes) and write it when asked.

export interface FixOptions {
  write?: boolean | undefined;
  port: number[];
  apiVersion: string;
  force?: boolean | undefined;
  /** Also rewrite the fenced code blocks of Markdown documents. */
  docs?: boolean | undefined;
  /** Which of the walk's files to process (the config's ignored paths left out); all by default. */
  keep?: ((files: Iterable<DiscoveredFile>) => Iterable<DiscoveredFile>) | undefined;
}

export interface FixRun {
  summary: FixSummary;
  exitCode: ExitCode;
}

/** The codemod's analysis: loaded at the first candidate, on the second thread when one is worth it. */
const ANALYSIS = { module: new URL("./analyze.js", import.meta.url) };

export async function runFix(
  paths: readonly string[],
  options: FixOptions,
  onFile: (report: FixFileReport) => void,
): Promise<FixRun> {
  if (!isImdsIdentityApiVersion(options.apiVersion)) {
    throw new UsageError(
      `--api-version ${options.apiVersion} is not an IMDS identity api-version ` +
        `(one of ${IMDS_IDENTITY_API_VERSIONS[0]} … ${IMDS_IDENTITY_API_VERSIONS.at(-1)})`,
    );
  }
  // The same ports as lint, so that fix leaves nothing behind that fails the gate.
  const ports = extensionPorts(options.port);
  const discovery = discoverFiles(paths, {
    extensions: [
      ...JS_TS_EXTENSIONS,
      ...SCRIPT_EXTENSIONS,
      NOTEBOOK_EXTENSION,
      ...(options.docs ? DOCUMENT_EXTENSIONS : []),
    ],
    // `#!` scripts without an extension (bin/get-token), as lint reads them.
    extensionless: true,
  });
  if (discovery.missing.length > 0) {
    throw new UsageError(discovery.missing.map((m) => `${m.target}: ${m.reason}`).join("; "));
  }
  const patterns = codemodPrefilter(ports);
  const prefilter = createPrefilter(patterns);
  const screen = { patterns, prefilter };
  const scriptPatterns = scriptPrefilter(ports);
  const scriptScreen = { patterns: scriptPatterns, prefilter: createPrefilter(scriptPatterns) };
  // Documents are screened for the URL itself, as scripts are (their blocks are never built from constants),
  // and for the old SDKs' entry points, which a JS block may call without the URL.
  const documentPatterns = [...scriptPatterns, OLD_SDK_CALL];
  const documentScreen = { patterns: documentPatterns, prefilter: createPrefilter(documentPatterns) };
  // A file without a known extension, named on the command line: JS unless its #! line names a script's shell;
  // found in a walk, only a script its #! line names is read.
  const anyPatterns = [...patterns, ...scriptPatterns];
  const anyScreen = { patterns: anyPatterns, prefilter: createPrefilter(anyPatterns) };
  const analyzers = new Map<Language, Promise<AnalyzeSource>>();
  const git = new UncommittedChanges();
  const summary: FixSummary = { changed: 0, unchanged: 0, skipped: 0, errors: 0, review: 0 };
  let notRewritten = 0;
  const counted = { changed: "changed", unchanged: "unchanged", skipped: "skipped", error: "errors" } as const;
  const screenOf = ({ path, explicit }: DiscoveredFile) => {
    const language = languageOf(path);
    if (!language) return explicit ? anyScreen : scriptScreen;
    // A name without an extension that tells another language (Dockerfile, Jenkinsfile), found in a walk: not
    // fix's, and not worth a line.
    if (!explicit && !isJavaScriptLike(language) && !isScriptLanguage(language) && !holdsOtherLanguages(language))
      return undefined;
    if (isJavaScriptLike(language)) return screen;
    if (language === "docs") return options.docs ? documentScreen : undefined;
    // A notebook's cells are code (they run), in any of the languages fix rewrites.
    if (language === "notebook") return anyScreen;
    return isScriptLanguage(language) ? scriptScreen : undefined;
  };
  const screening = { screenWith: screenOf };
  await forEachWithAnalyzer(
    fixesOnly(options.keep ? options.keep(discovery.files) : discovery.files),
    screening,
    processFile,
    (report) => {
      summary[counted[report.status]]++;
      summary.review += report.review.length;
      onFile(report);
    },
    ANALYSIS,
  );
  // Left for a person: call sites to review, candidates not rewritten (they do not parse, the rewrite was
  // refused), and in a dry run the rewrites not yet applied.
  const left = summary.review > 0 || notRewritten > 0 || (!options.write && summary.changed > 0);
  return { summary, exitCode: exitCodeOf({ failed: summary.errors > 0, leftForAPerson: left }) };

  function processFile(
    { file, clear }: ScreenedFile<DiscoveredFile>,
    analyzer: Analyzer,
  ): FixFileReport | Promise<FixFileReport> {
    // Nearly every file: one small object, nothing else.
    if (clear) return { path: file.displayPath, status: "unchanged", review: NOTHING_TO_REVIEW };
    const base = { path: file.displayPath, review: NOTHING_TO_REVIEW };
    const fileScreen = screenOf(file);
    if (!fileScreen) {
      const language = languageOf(file.path);
      return {
        ...base,
        status: "skipped",
        reason:
          language === "docs"
            ? "a Markdown document: add --docs to rewrite its fenced code blocks"
            : "msi2imds fix rewrites JavaScript/TypeScript, Python, shell and PowerShell " +
              `(this is ${language}: msi2imds lint checks it)`,
      };
    }
    const decoded = readCandidate(file.path, fileScreen.prefilter, maxBytesOf(file.path));
    if (decoded.kind === "no-match") return { ...base, status: "unchanged" };
    // Over the size limit is a choice (generated bundles, as lint skips them), not a failure to read.
    if (decoded.kind === "unreadable")
      return { ...base, status: decoded.tooLarge ? "skipped" : "error", reason: decoded.reason };
    if (decoded.kind === "undecodable") return { ...base, status: "skipped", reason: decoded.reason };
    const original = decoded.file;
    const { text } = original;
    const input = { path: file.path, displayPath: file.displayPath, text, ports, apiVersion: options.apiVersion };
    const script = scriptLanguageOf(file.path, text);
    if (!script && !file.explicit && !languageOf(file.path)) return { ...base, status: "unchanged" };
    const analysis =
      languageOf(file.path) === "docs"
        ? analyzeDocument(input)
        : languageOf(file.path) === "notebook"
          ? analyzeNotebookFile(input)
          : script
            ? analyzeScriptFile(script, input)
            : analyzer.analyze({ input, fix: true });
    // One file msi2imds cannot handle must not hide the results for all the others.
    return analysis.then(finish, (error: unknown) => ({
      ...base,
      status: "error",
      reason: `internal error while analysing: ${errorMessage(error)}`,
    }));

    function finish({ first, fixed: outcome }: AnalysisResult): FixFileReport {
      if (!outcome) {
        notRewritten++;
        return { ...base, status: "skipped", reason: `does not parse (${first.parseErrors} syntax error(s))` };
      }
      // As lint reports them: what a directive covers is neither rewritten nor listed.
      const review = unsuppressed(outcome.analysis.findings, text, languageOf(file.path) ?? "typescript");
      if (outcome.rejected) {
        notRewritten++;
        return { ...base, review, status: "skipped", reason: outcome.rejected };
      }
      if (outcome.text === text) return { ...base, review, status: "unchanged" };
      const allNotes = [...outcome.notes, ...folderGateNote(text)];
      const notes = allNotes.length > 0 ? { notes: allNotes } : {};
      const changed: FixFileReport = {
        ...base,
        review,
        ...notes,
        status: "changed",
        before: text,
        after: outcome.text,
      };
      if (!options.write) return changed;
      const refusal = writeBackText(file.path, original, outcome.text, gitRefusal);
      if (refusal) return { ...changed, status: "error", reason: `not written: ${refusal}` };
      return changed;
    }
  }

  /** Scripts are analysed here, not on the second thread: their parsers load in a few tens of milliseconds. */
  async function analyzeScriptFile(language: Language, input: SourceInput): Promise<AnalysisResult> {
    return runAnalysis(await analyzerFor(language), { input, fix: true });
  }

  /** A document's blocks that do not parse lose their fixes only: the fix loop runs whatever the first count. */
  async function analyzeDocument(input: SourceInput): Promise<AnalysisResult> {
    const languages = blockLanguages(input.text, /\.rst$/i.test(input.path));
    return analyzeInParts(input, languages, (text, analyzePart) => analyzeMarkdown({ ...input, text }, analyzePart));
  }

  /**
   * A notebook's cells, as lint reads them; one whose JSON is broken is reported as not parsing, as a script
   * that does not parse is.
   */
  async function analyzeNotebookFile(input: SourceInput): Promise<AnalysisResult> {
    const read = await loadNotebookReader();
    const cells = read(input.text);
    if (!cells) return { first: { findings: [], parseErrors: 1 } };
    return analyzeInParts(input, notebookLanguages(cells), (text, analyzePart) =>
      analyzeNotebook({ ...input, text }, read(text) ?? [], analyzePart),
    );
  }

  /**
   * A file whose parts are analysed in their own languages (a document's blocks, a notebook's cells): the
   * analyzers of `languages` loaded, then the fix loop over the whole file.
   */
  async function analyzeInParts(
    input: SourceInput,
    languages: Iterable<Language>,
    analyze: (text: string, analyzePart: BlockAnalyzer) => Analysis,
  ): Promise<AnalysisResult> {
    const loaded = new Map<Language, AnalyzeSource>();
    for (const language of languages) loaded.set(language, await analyzerFor(language));
    const analyzeText = (text: string) => analyze(text, (language, part) => loaded.get(language)!(part));
    const first = analyzeText(input.text);
    return { first, fixed: fixUntilStable(input.text, analyzeText, first) };
  }

  function analyzerFor(language: Language): Promise<AnalyzeSource> {
    let analyzer = analyzers.get(language);
    if (!analyzer) {
      analyzer = isJavaScriptLike(language)
        ? importAnalyzeSource(ANALYSIS.module)
        : scriptAnalyzer(language).then(
            (analyze) => analyze ?? Promise.reject(new Error(`no rewrite for ${language}`)),
          );
      analyzers.set(language, analyzer);
    }
    return analyzer;
  }

  function gitRefusal(path: string): string | undefined {
    if (options.force) return undefined;
    try {
      if (git.has(path)) return "has uncommitted changes in git; commit or stash them first, or use --force";
    } catch (error) {
      return (
        `cannot tell whether it has uncommitted changes ` +
        `(${(error as Error).message}); ` +
        `use --force to write anyway`
      );
    }
    return undefined;
  }
}

const NOTHING_TO_REVIEW: FixFileReport["review"] = Object.freeze([]);
const DOCUMENT_EXTENSIONS: readonly string[] = ["md", "markdown", "rst"];
const NOTEBOOK_EXTENSION = "ipynb";

/**
 * A file that looks for the extension's own folder before asking for a token stops asking once the extension
 * is removed, rewritten or not: said beside the rewrite, as lint's no-legacy-msi-sdk warns.
 */
function folderGateNote(text: string): string[] {
  const found = new RegExp(EXTENSION_FOLDER.source).exec(text);
  if (!found) return [];
  const line = text.slice(0, found.index).split("\n").length;
  return [
    `line ${line} looks for the extension's folder (${found[0]}): once the extension is removed it is gone, ` +
      "so a token request gated on it stops; remove that check",
  ];
}

/**
 * Leaves out, of the files a walk found, names without an extension that tell a language fix does not rewrite
 * (Dockerfile, Jenkinsfile): a walk keeps extensionless names for `#!` scripts.
 */
function* fixesOnly(files: Iterable<DiscoveredFile>): Generator<DiscoveredFile> {
  for (const file of files) {
    // A name with an extension was kept for it, which fix reads: only extensionless names are asked.
    if (file.explicit || basename(file.path).includes(".")) {
      yield file;
      continue;
    }
    const language = languageOf(file.path);
    if (language === undefined || language === "docs" || isJavaScriptLike(language) || isScriptLanguage(language))
      yield file;
  }
}
