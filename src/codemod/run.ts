import { exitCodeOf, UsageError, type ExitCode } from "../core/exit-codes.js";
import { isJavaScriptLike, JS_TS_EXTENSIONS, languageOf } from "../core/language.js";
import type { FixFileReport, FixSummary } from "../core/report.js";
import { writeBackText } from "../files/atomic-write.js";
import { UncommittedChanges } from "../files/git-status.js";
import { readCandidate } from "../files/text-file.js";
import { unsuppressed } from "../core/suppressions.js";
import { extensionPorts, IMDS_IDENTITY_API_VERSIONS, isImdsIdentityApiVersion } from "../imds.js";
import { errorMessage, type AnalysisResult } from "../pipeline/analysis.js";
import { forEachWithAnalyzer, type Analyzer } from "../pipeline/analyzer.js";
import { discoverFiles, type DiscoveredFile } from "../pipeline/discover.js";
import { createPrefilter } from "../pipeline/prefilter.js";
import type { ScreenedFile } from "../pipeline/screen.js";
import { codemodPrefilter } from "../../rules/support/extension-call-prefilter.js";

// `msi2imds fix`: walk, prefilter raw bytes, parse only candidates (on a second thread while the walk's
// files are read, when many are left), rewrite, then hand each file's report on in file order (the command
// line prints it as it comes) and write it when asked.

export interface FixOptions {
  write?: boolean | undefined;
  port: number[];
  apiVersion: string;
  force?: boolean | undefined;
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
  const discovery = discoverFiles(paths, { extensions: JS_TS_EXTENSIONS });
  if (discovery.missing.length > 0) {
    throw new UsageError(discovery.missing.map((m) => `${m.target}: ${m.reason}`).join("; "));
  }
  const patterns = codemodPrefilter(ports);
  const prefilter = createPrefilter(patterns);
  const screen = { patterns, prefilter };
  const git = new UncommittedChanges();
  const summary: FixSummary = { changed: 0, unchanged: 0, skipped: 0, errors: 0, review: 0 };
  const counted = { changed: "changed", unchanged: "unchanged", skipped: "skipped", error: "errors" } as const;
  const screening = { screenWith: (file: DiscoveredFile) => (readsAsCode(file.path) ? screen : undefined) };
  await forEachWithAnalyzer(
    options.keep ? options.keep(discovery.files) : discovery.files,
    screening,
    processFile,
    (report) => {
      summary[counted[report.status]]++;
      summary.review += report.review.length;
      onFile(report);
    },
    ANALYSIS,
  );
  return { summary, exitCode: exitCodeOf({ failed: summary.errors > 0, leftForAPerson: summary.review > 0 }) };

  function processFile(
    { file, clear }: ScreenedFile<DiscoveredFile>,
    analyzer: Analyzer,
  ): FixFileReport | Promise<FixFileReport> {
    // Nearly every file: one small object, nothing else.
    if (clear) return { path: file.displayPath, status: "unchanged", review: NOTHING_TO_REVIEW };
    const base = { path: file.displayPath, review: NOTHING_TO_REVIEW };
    if (!readsAsCode(file.path)) {
      return {
        ...base,
        status: "skipped",
        reason: `not JavaScript/TypeScript (${languageOf(file.path)}: msi2imds lint checks it)`,
      };
    }
    const decoded = readCandidate(file.path, prefilter);
    if (decoded.kind === "no-match") return { ...base, status: "unchanged" };
    // Over the size limit is a choice (generated bundles, as lint skips them), not a failure to read.
    if (decoded.kind === "unreadable")
      return { ...base, status: decoded.tooLarge ? "skipped" : "error", reason: decoded.reason };
    if (decoded.kind === "undecodable") return { ...base, status: "skipped", reason: decoded.reason };
    const original = decoded.file;
    const { text } = original;
    const input = { path: file.path, displayPath: file.displayPath, text, ports, apiVersion: options.apiVersion };
    // One file msi2imds cannot handle must not hide the results for all the others.
    return analyzer.analyze({ input, fix: true }).then(finish, (error: unknown) => ({
      ...base,
      status: "error",
      reason: `internal error while analysing: ${errorMessage(error)}`,
    }));

    function finish({ first, fixed: outcome }: AnalysisResult): FixFileReport {
      if (!outcome)
        return { ...base, status: "skipped", reason: `does not parse (${first.parseErrors} syntax error(s))` };
      // As lint reports them: what a directive covers is neither rewritten nor listed.
      const review = unsuppressed(outcome.analysis.findings, text, languageOf(file.path) ?? "typescript");
      if (outcome.rejected) return { ...base, review, status: "skipped", reason: outcome.rejected };
      if (outcome.text === text) return { ...base, review, status: "unchanged" };
      const notes = outcome.notes.length > 0 ? { notes: outcome.notes } : {};
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

/** A walk yields JS/TS only; a file of another language named on the command line would only "not parse". */
function readsAsCode(path: string): boolean {
  const language = languageOf(path);
  return !language || isJavaScriptLike(language);
}
