import { statSync } from "node:fs";
import { fingerprintOf, type Finding, type Severity } from "../core/finding.js";
import { fixUntilStable, type Analysis } from "../core/fix.js";
import { LineIndex } from "../core/positions.js";
import type { FileRule, FileRuleContext, Problem } from "../core/rule.js";
import { applySuppressions } from "../core/suppressions.js";
import type { DiscoveredFile } from "../files/discover.js";
import { isJavaScriptLike, languageOf, type Language } from "../files/language.js";
import { createPrefilter } from "../files/prefilter.js";
import { DEFAULT_MAX_FILE_BYTES, decodeText, readRaw, type TextFile } from "../files/text-file.js";
import { writeBackText } from "../files/atomic-write.js";
import { DEFAULT_API_VERSION } from "../imds.js";
import { loadJavaScriptAnalysis, type AnalyzeSource } from "./javascript.js";

// The rule runner: raw bytes, one combined prefilter, decode only candidates, every rule for the file's
// language, the JS analysis at most once per file. Nothing but findings outlives a file.

export interface EnabledRule {
  rule: FileRule;
  severity: Severity;
}

export interface EngineOptions {
  rules: readonly EnabledRule[];
  ports: readonly number[];
  fix: boolean;
  maxFileBytes?: number;
  /** Every id a suppression directive may name. */
  knownRuleIds: readonly string[];
  /** Injectable for tests; defaults to the codemod's analysis. */
  loadAnalysis?: () => Promise<AnalyzeSource>;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface EngineResult {
  findings: Finding[];
  skipped: SkippedFile[];
  /** Files rewritten by --fix, with how many fixes each took. */
  fixed: { path: string; fixes: number }[];
  /** Failures of the tool itself (a rule threw): the run is incomplete. */
  errors: string[];
}

export async function lintFiles(files: readonly DiscoveredFile[], options: EngineOptions): Promise<EngineResult> {
  const result: EngineResult = { findings: [], skipped: [], fixed: [], errors: [] };
  const prefilter = createPrefilter([...new Set(options.rules.flatMap(({ rule }) => rule.prefilter(options.ports)))]);
  // After the combined pass, each rule runs only where its own needles are: the JS analysis (and with it
  // TypeScript) is then paid for only by files that can hold an extension call, not by every IMDS client.
  const ownPrefilter = new Map(options.rules.map(({ rule }) => [rule, new RegExp(rule.prefilter(options.ports).map((p) => `(?:${p})`).join("|"), "i")]));
  const activeRuleIds = options.rules.map(({ rule }) => rule.meta.id);
  // undefined: not loaded yet; null: loading failed (reported once, the text rules go on).
  let analyze: AnalyzeSource | null | undefined;

  for (const file of files) {
    const language = languageOf(file.path);
    const readers = language ? options.rules.filter(({ rule }) => rule.languages.includes(language)) : [];
    if (!language || readers.length === 0) {
      if (file.explicit) result.skipped.push({ path: file.displayPath, reason: "no rule reads this kind of file" });
      continue;
    }
    // A walk yields regular files only; a path named on the command line may be a FIFO that would block a read.
    if (file.explicit && !isRegularFile(file.path)) {
      result.skipped.push({ path: file.displayPath, reason: "not a regular file" });
      continue;
    }
    const raw = readRaw(file.path, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if (!raw.ok) {
      result.skipped.push({ path: file.displayPath, reason: raw.reason });
      continue;
    }
    if (!prefilter(raw.bytes)) continue;
    const decoded = decodeText(raw.bytes, raw.mode);
    if (!decoded.ok) {
      result.skipped.push({ path: file.displayPath, reason: decoded.reason });
      continue;
    }
    const rules = readers.filter(({ rule }) => ownPrefilter.get(rule)!.test(decoded.file.text));
    if (rules.length === 0) continue;
    const javascript = isJavaScriptLike(language) && rules.some(({ rule }) => rule.javascriptAnalysis === true);
    if (javascript && analyze === undefined) analyze = await loadAnalysisOnce(options, result);
    const analyzeText = (text: string): Analysis =>
      analyze ? analyze({ path: file.path, displayPath: file.displayPath, text, ports: options.ports, apiVersion: DEFAULT_API_VERSION }) : { findings: [], parseErrors: 0 };

    const { text, analysis } = javascript && analyze && options.fix ? fixFile(file, decoded.file, analyzeText, result) : { text: decoded.file.text, analysis: undefined };
    const findings = checkFile({ file, language, text, rules, ports: options.ports, analyzeText, analysis, result });
    result.findings.push(
      ...applySuppressions(findings, { text, language, displayPath: file.displayPath, lines: new LineIndex(text), knownRuleIds: options.knownRuleIds, activeRuleIds }),
    );
  }
  return result;
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true; // let the read report why it cannot open the file
  }
}

async function loadAnalysisOnce(options: EngineOptions, result: EngineResult): Promise<AnalyzeSource | null> {
  try {
    return await (options.loadAnalysis ?? loadJavaScriptAnalysis)();
  } catch (error) {
    result.errors.push(`the JavaScript/TypeScript analysis could not be loaded, no-extension-endpoint did not run: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** `--fix`: the same loop as `fix --write`; returns the text the rules then report on, and its analysis when known. */
function fixFile(file: DiscoveredFile, original: TextFile, analyze: (text: string) => Analysis, result: EngineResult): { text: string; analysis: Analysis | undefined } {
  const outcome = fixUntilStable(original.text, analyze);
  if (outcome.rejected) result.skipped.push({ path: file.displayPath, reason: `fix not applied: ${outcome.rejected}` });
  if (outcome.text === original.text) return { text: original.text, analysis: outcome.analysis };
  if (outcome.rejected) return { text: original.text, analysis: undefined };
  const refusal = writeBackText(file.path, original, outcome.text);
  if (refusal) {
    result.skipped.push({ path: file.displayPath, reason: `fix not written: ${refusal}` });
    return { text: original.text, analysis: undefined };
  }
  result.fixed.push({ path: file.displayPath, fixes: outcome.fixesApplied });
  return { text: outcome.text, analysis: outcome.analysis };
}

interface FileCheck {
  file: DiscoveredFile;
  language: Language;
  text: string;
  rules: readonly EnabledRule[];
  ports: readonly number[];
  analyzeText: (text: string) => Analysis;
  /** The analysis of `text` when --fix already made it. */
  analysis: Analysis | undefined;
  result: EngineResult;
}

function checkFile({ file, language, text, rules, ports, analyzeText, analysis: known, result }: FileCheck): Finding[] {
  const lines = new LineIndex(text);
  const findings: Finding[] = [];
  const occurrences = new Map<string, number>();
  let analysis: Analysis | undefined;
  const javascript = (): Analysis => {
    if (analysis) return analysis;
    const full = known ?? analyzeText(text);
    if (full.parseErrors > 0) {
      result.skipped.push({ path: file.displayPath, reason: `JavaScript/TypeScript does not parse (${full.parseErrors} syntax error(s)); only the text rules ran` });
      analysis = { findings: [], parseErrors: full.parseErrors };
    } else analysis = full;
    return analysis;
  };
  for (const { rule, severity } of rules) {
    const report = (problem: Problem) => {
      const snippet = text.slice(problem.start, problem.end);
      const key = `${rule.meta.id}\0${snippet}`;
      const occurrence = occurrences.get(key) ?? 0;
      occurrences.set(key, occurrence + 1);
      findings.push({
        ruleId: rule.meta.id,
        severity,
        message: problem.message,
        location: { file: lines.range(file.displayPath, problem.start, problem.end) },
        ...(problem.fix ? { fix: problem.fix } : {}),
        fingerprint: fingerprintOf(rule.meta.id, file.displayPath, `${snippet}\0${problem.message}`, occurrence),
      });
    };
    const context: FileRuleContext = { path: file.path, displayPath: file.displayPath, text, language, ports, lines, javascript, report };
    try {
      rule.check(context);
    } catch (error) {
      result.errors.push(`rule ${rule.meta.id} failed on ${file.displayPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return findings;
}
