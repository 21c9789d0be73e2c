import type { Finding } from "../core/finding.js";
import { ExitCode, UsageError } from "../core/exit-codes.js";
import { writeBackText } from "../files/atomic-write.js";
import { discoverFiles, type DiscoveredFile } from "../pipeline/discover.js";
import { isJavaScriptLike, JS_TS_EXTENSIONS, languageOf } from "../core/language.js";
import { createPrefilter } from "../pipeline/prefilter.js";
import type { ScreenedFile } from "../pipeline/screen.js";
import { readCandidate } from "../files/text-file.js";
import { EXTENSION_DEFAULT_PORT, IMDS_IDENTITY_API_VERSIONS, isImdsIdentityApiVersion } from "../imds.js";
import type { FixOptions } from "../cli/commands/fix.js";
import { UncommittedChanges } from "../files/git-status.js";
import { codemodPrefilter } from "../../rules/support/extension-call-prefilter.js";
import { messageOf, type AnalysisResult } from "../pipeline/analysis.js";
import { forEachWithAnalyzer, type Analyzer } from "../pipeline/analyzer.js";
import { bufferedStdout, jsonReporter, textReporter, type FileReport } from "../formatters/fix-report.js";

// `msi2imds fix`: walk, prefilter raw bytes, parse only candidates (on a second thread while the walk's
// files are read, when many are left), rewrite, then diff or write, in file order.

export async function runFix(paths: readonly string[], options: FixOptions): Promise<ExitCode> {
  const started = performance.now();
  if (!isImdsIdentityApiVersion(options.apiVersion)) {
    throw new UsageError(`--api-version ${options.apiVersion} is not an IMDS identity api-version (one of ${IMDS_IDENTITY_API_VERSIONS[0]} … ${IMDS_IDENTITY_API_VERSIONS.at(-1)})`);
  }
  const ports = [...new Set([EXTENSION_DEFAULT_PORT, ...options.port])];
  const discovery = discoverFiles(paths, { extensions: JS_TS_EXTENSIONS });
  if (discovery.missing.length > 0) {
    throw new UsageError(discovery.missing.map((m) => `${m.target}: ${m.reason}`).join("; "));
  }
  const patterns = codemodPrefilter(ports);
  const prefilter = createPrefilter(patterns);
  const screen = { patterns, prefilter };
  const git = new UncommittedChanges();
  const stdout = bufferedStdout();
  const reporter = options.format === "json" ? jsonReporter(stdout.write) : textReporter(stdout.write, { color: options.color, written: Boolean(options.write) });
  const screening = { screenWith: (file: DiscoveredFile) => (readsAsCode(file.path) ? screen : undefined) };
  await forEachWithAnalyzer(discovery.files, screening, processFile, (report) => reporter.add(report));
  const summary = reporter.finish(performance.now() - started);
  stdout.flush();
  if (summary.errors > 0) return ExitCode.Failure;
  return summary.review > 0 ? ExitCode.Findings : ExitCode.Clean;

  function processFile({ file, clear }: ScreenedFile<DiscoveredFile>, analyzer: Analyzer): FileReport | Promise<FileReport> {
    // Nearly every file: one small object, nothing else.
    if (clear) return { path: file.displayPath, status: "unchanged", review: NOTHING_TO_REVIEW };
    const base = { path: file.displayPath, review: [] as FileReport["review"] };
    if (!readsAsCode(file.path)) return { ...base, status: "skipped", reason: `not JavaScript/TypeScript (${languageOf(file.path)}: msi2imds lint checks it)` };
    const decoded = readCandidate(file.path, prefilter);
    if (decoded.kind === "no-match") return { ...base, status: "unchanged" };
    // Over the size limit is a choice (generated bundles, as lint skips them), not a failure to read.
    if (decoded.kind === "unreadable") return { ...base, status: decoded.tooLarge ? "skipped" : "error", reason: decoded.reason };
    if (decoded.kind === "undecodable") return { ...base, status: "skipped", reason: decoded.reason };
    const original = decoded.file;
    const { text } = original;
    const input = { path: file.path, displayPath: file.displayPath, text, ports, apiVersion: options.apiVersion };
    // One file msi2imds cannot handle must not hide the results for all the others.
    return analyzer.analyze({ input, fix: true }).then(finish, (error: unknown) => ({ ...base, status: "error", reason: `internal error while analysing: ${messageOf(error)}` }));

    function finish({ first, fixed: outcome }: AnalysisResult): FileReport {
      if (!outcome) return { ...base, status: "skipped", reason: `does not parse (${first.parseErrors} syntax error(s))` };
      const review = outcome.analysis.findings.map(toReviewItem);
      if (outcome.rejected) return { ...base, review, status: "skipped", reason: outcome.rejected };
      if (outcome.text === text) return { ...base, review, status: "unchanged" };
      const changed: FileReport = { ...base, review, status: "changed", before: text, after: outcome.text };
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
      return `cannot tell whether it has uncommitted changes (${(error as Error).message}); use --force to write anyway`;
    }
    return undefined;
  }
}

const NOTHING_TO_REVIEW: FileReport["review"] = Object.freeze([]);

/** A walk yields JS/TS only; a file of another language named on the command line would only "not parse". */
function readsAsCode(path: string): boolean {
  const language = languageOf(path);
  return !language || isJavaScriptLike(language);
}

function toReviewItem(finding: Finding): FileReport["review"][number] {
  const at = "file" in finding.location ? finding.location.file : { line: 0, column: 0 };
  const message = finding.fix ? `left unfixed: ${finding.message}` : finding.message;
  return { line: at.line, column: at.column, message };
}
