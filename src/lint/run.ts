import { lstatSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { applyBaseline, buildBaseline, parseBaseline, serializeBaseline } from "../core/baseline.js";
import { exitCodeOf, UsageError, type ExitCode } from "../core/exit-codes.js";
import { compareFindings, countBySeverity, type FileFinding } from "../core/finding.js";
import { KNOWN_EXTENSIONS, KNOWN_FILE_NAMES, languageOf, type Language } from "../core/language.js";
import type { LintReport, RuleDescriptor } from "../core/report.js";
import { DIRECTIVE_RULES } from "../core/suppressions.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { findRepositoryRoot } from "../files/repository.js";
import { extensionPorts } from "../imds.js";
import { packageInfo, toolInfo } from "../package-info.js";
import type { AnalysisSource } from "../pipeline/analysis.js";
import { discoverFiles } from "../pipeline/discover.js";
import { FILE_RULES } from "../../rules/index.js";
import { effectiveSeverity, type Config } from "./config.js";
import { readProjectConfig, withoutConfigIgnores } from "./project-config.js";
import { lintFiles, type EnabledRule } from "./engine.js";

// `msi2imds lint`: config → discovery → engine → baseline → report. The command line renders the report.

export const DEFAULT_BASELINE_FILE = "msi2imds-baseline.json";

export interface LintOptions {
  maxWarnings?: number | undefined;
  fix: boolean;
  port: number[];
  config?: string | undefined;
  baseline?: string | undefined;
  updateBaseline: boolean;
  /** What analyses JS/TS for no-extension-endpoint: the codemod's, handed in by the command line. */
  analysis: AnalysisSource;
  /** Read each rule's Markdown doc into the report (SARIF shows it). */
  withDocs?: boolean | undefined;
}

export interface LintRun {
  report: LintReport;
  /** Lines for the person running it: what happened to the baseline. */
  notes: string[];
  exitCode: ExitCode;
}

export async function runLint(paths: readonly string[], options: LintOptions, cwd = process.cwd()): Promise<LintRun> {
  const knownRuleIds = [...FILE_RULES.map((r) => r.meta.id), ...Object.keys(DIRECTIVE_RULES)];
  const config = await readProjectConfig(cwd, options.config);
  const rules = enabledRules(config);
  const ports = extensionPorts([...config.ports, ...options.port]);

  const discovery = discoverFiles(paths, { cwd, ...discoveryFilter(rules) });
  const unreadable = discovery.missing.map((m) => ({
    path: m.target,
    reason:
      m.reason === "no such file or directory" && isDanglingLink(resolve(cwd, m.target))
        ? "dangling symbolic link"
        : m.reason,
  }));
  const notFound = unreadable.filter((m) => m.reason === "no such file or directory");
  if (notFound.length > 0) throw new UsageError(notFound.map((m) => `${m.path}: no such file or directory`).join("; "));
  const files = withoutConfigIgnores(discovery.files, config, cwd);

  const result = await lintFiles(files, { rules, ports, fix: options.fix, knownRuleIds, analysis: options.analysis });
  const notes: string[] = [];
  let findings = withDirectiveSeverities(result.findings, config);
  if (options.updateBaseline) {
    const path = resolve(cwd, options.baseline ?? DEFAULT_BASELINE_FILE);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, serializeBaseline(buildBaseline(findings)), 0o644);
    notes.push(`wrote ${findings.length} finding(s) to the baseline ${relative(cwd, path) || path}`);
    findings = [];
  } else if (options.baseline) {
    const path = resolve(cwd, options.baseline);
    const applied = applyBaseline(findings, parseBaseline(readBaselineText(path), path));
    findings = applied.kept;
    if (applied.stale > 0)
      notes.push(`${applied.stale} finding(s) accepted by the baseline are gone; tighten it with --update-baseline`);
  }
  findings.sort(compareFindings);

  const report: LintReport = {
    tool: toolInfo(),
    findings,
    cwd,
    sourceRoot: findRepositoryRoot(cwd) ?? resolve(cwd),
    rules: describeRules(rules, options.withDocs === true),
    skipped: [...unreadable, ...result.skipped],
    fixed: result.fixed,
    toolErrors: result.errors,
  };
  return { report, notes, exitCode: lintExitCode(findings, result.errors.length > 0, options.maxWarnings) };
}

/** 2 when lint itself failed; 1 for errors, or more warnings than --max-warnings allows; else 0. */
export function lintExitCode(
  findings: readonly FileFinding[],
  failed: boolean,
  maxWarnings: number | undefined,
): ExitCode {
  const { errors, warnings } = countBySeverity(findings);
  const tooManyWarnings = maxWarnings !== undefined && warnings > maxWarnings;
  return exitCodeOf({ failed, leftForAPerson: errors > 0 || tooManyWarnings });
}

function readBaselineText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read baseline ${path}: ${(error as Error).message}`);
  }
}

/** The engine's own findings about suppression directives take their severity (or "off") from the config too. */
function withDirectiveSeverities(findings: readonly FileFinding[], config: Config): FileFinding[] {
  return findings.flatMap((finding) => {
    const directive = DIRECTIVE_RULES[finding.ruleId];
    if (!directive) return [finding];
    const severity = effectiveSeverity(config.rules[finding.ruleId], directive.severity);
    return severity ? [{ ...finding, severity }] : [];
  });
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function enabledRules(config: Config): EnabledRule[] {
  return FILE_RULES.flatMap((rule) => {
    const severity = effectiveSeverity(config.rules[rule.meta.id], rule.meta.severity);
    return severity ? [{ rule, severity }] : [];
  });
}

/** Only the file kinds some enabled rule reads are walked. */
function discoveryFilter(rules: readonly EnabledRule[]): { extensions: string[]; fileNames: string[] } {
  const languages = new Set<Language>(rules.flatMap(({ rule }) => rule.languages));
  return {
    extensions: [...KNOWN_EXTENSIONS, "dockerfile"].filter((ext) => languages.has(languageOf(`file.${ext}`)!)),
    // languageOf also knows *.dockerfile, which has no entry among the known extensions.
    ...(languages.has("dockerfile") ? { fileNames: [...KNOWN_FILE_NAMES] } : { fileNames: [] }),
  };
}

function describeRules(rules: readonly EnabledRule[], withDocs: boolean): RuleDescriptor[] {
  const descriptors: RuleDescriptor[] = rules.map(({ rule, severity }) => ({
    id: rule.meta.id,
    description: rule.meta.description,
    severity,
    fixable: rule.meta.fixable,
    docsUrl: rule.meta.docsUrl,
    ...(withDocs ? docOf(rule.meta.id) : {}),
  }));
  for (const [id, meta] of Object.entries(DIRECTIVE_RULES)) {
    descriptors.push({ id, description: meta.description, severity: meta.severity, fixable: false });
  }
  return descriptors;
}

/** The rule's Markdown doc shipped in the package (rules/<id>.md), for SARIF's help. */
function docOf(id: string): { docMarkdown?: string } {
  try {
    return { docMarkdown: readFileSync(new URL(`rules/${id}.md`, packageInfo().root), "utf8") };
  } catch {
    return {};
  }
}
