import { existsSync, lstatSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import ignore from "ignore";
import { applyBaseline, buildBaseline, parseBaseline, serializeBaseline } from "../core/baseline.js";
import { exitCodeOf, UsageError, type ExitCode } from "../core/exit-codes.js";
import { compareFindings, countBySeverity, type FileFinding } from "../core/finding.js";
import {
  BINARY_EXTENSIONS,
  holdsOtherLanguages,
  KNOWN_EXTENSIONS,
  KNOWN_FILE_NAMES,
  languageOf,
  type Language,
} from "../core/language.js";
import type { LintReport, RuleDescriptor } from "../core/report.js";
import { pathInside } from "../core/relative-path.js";
import { DIRECTIVE_RULES } from "../core/suppressions.js";
import { openOutputFile } from "../files/output-file.js";
import { findRepositoryRoot } from "../files/repository.js";
import { describeFsError, readSmallTextFile, SMALL_FILE_LIMITS } from "../files/text-file.js";
import { extensionPorts } from "../imds.js";
import { packageInfo, toolInfo } from "../package-info.js";
import type { AnalysisSource } from "../pipeline/analysis.js";
import {
  discoverFiles,
  discoverListed,
  NO_MATCH,
  type DiscoveredFile,
  type DiscoverOptions,
} from "../pipeline/discover.js";
import { changedFiles } from "../files/git-changes.js";
import { FILE_RULES } from "../../rules/index.js";
import { effectiveSeverity, findConfigFile, loadConfig, type Config } from "./config.js";
import { lintFiles, type EnabledRule } from "./engine.js";
import { LintCache } from "./cache.js";

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
  /** With `fix`: the module that rewrites scripts (the codemod's, handed in likewise). */
  scriptRewrites?: URL | undefined;
  /** Read each rule's Markdown doc into the report (SARIF shows it). */
  withDocs?: boolean | undefined;
  /** Standard input's bytes, linted when a path is "-", as the file `filename` (its name tells its language). */
  stdin?: { bytes: Buffer; filename?: string | undefined } | undefined;
  /** Errors only: warnings are neither reported nor counted (ESLint's --quiet). */
  quiet?: boolean | undefined;
  /** Lint only the files changed since this git ref (its merge base with HEAD). */
  changedSince?: string | undefined;
  /** The cache file (`--cache`), relative to cwd; no cache when undefined. */
  cache?: string | undefined;
}

/** The path that names standard input. */
export const STDIN_PATH = "-";

export interface LintRun {
  report: LintReport;
  /** Lines for the person running it: what happened to the baseline. */
  notes: string[];
  exitCode: ExitCode;
}

export async function runLint(paths: readonly string[], options: LintOptions, cwd = process.cwd()): Promise<LintRun> {
  const config = lintConfig(paths, options, cwd);
  const rules = enabledRules(config);
  const ports = extensionPorts([...config.ports, ...options.port]);

  const readsStdin = paths.includes(STDIN_PATH);
  if (readsStdin && options.fix) throw new UsageError("--fix cannot rewrite standard input");
  const targets = paths.filter((p) => p !== STDIN_PATH);
  const filter = { cwd, ...discoveryFilter(rules) };
  // `lint -` reads standard input alone; `lint - src` both.
  const discovery =
    readsStdin && targets.length === 0
      ? { files: [], missing: [] }
      : options.changedSince
        ? discoverListed(changedFiles(options.changedSince, cwd), targets, filter)
        : discoverFiles(targets, filter);
  const unreadable = discovery.missing.map((m) => ({
    path: m.target,
    reason:
      m.reason === "no such file or directory" && isDanglingLink(resolve(cwd, m.target))
        ? "dangling symbolic link"
        : m.reason,
  }));
  const notFound = unreadable.filter((m) => m.reason === "no such file or directory" || m.reason === NO_MATCH);
  if (notFound.length > 0) throw new UsageError(notFound.map((m) => `${m.path}: ${m.reason}`).join("; "));
  const walked = withoutConfigIgnores(discovery.files, config, cwd);
  const files = readsStdin ? withStdin(walked, stdinFile(options.stdin, cwd)) : walked;

  const cache = options.cache ? openCache(resolve(cwd, options.cache), { config, rules, ports, cwd }) : undefined;
  const result = await lintFiles(files, {
    rules,
    ports,
    fix: options.fix,
    knownRuleIds: knownRuleIds(),
    analysis: options.analysis,
    scriptRewrites: options.scriptRewrites,
    cache,
  });
  const notes: string[] = [];
  if (cache) {
    cache.save();
    notes.push(`cache: ${cache.hits} file(s) unchanged since the last run`);
  }
  let findings = withDirectiveSeverities(result.findings, config);
  if (options.quiet) findings = findings.filter((f) => f.severity === "error");
  if (options.updateBaseline) {
    const path = resolve(cwd, options.baseline ?? DEFAULT_BASELINE_FILE);
    writeBaseline(path, serializeBaseline(buildBaseline(findings)));
    notes.push(`wrote ${findings.length} finding(s) to the baseline ${relative(cwd, path) || path}`);
    findings = [];
  } else if (options.baseline && !existsSync(resolve(cwd, options.baseline))) {
    // A first run in CI, before anyone recorded a baseline: everything is new, and the note says what to do.
    notes.push(
      `baseline ${options.baseline} does not exist yet, so every finding counts as new; ` +
        `record today's findings with: msi2imds lint --update-baseline --baseline ${options.baseline}`,
    );
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

/** Every rule id a config or a suppression directive may name. */
export function knownRuleIds(): string[] {
  return [...FILE_RULES.map((r) => r.meta.id), ...Object.keys(DIRECTIVE_RULES)];
}

/**
 * The config named with --config, or else the nearest msi2imds.config.json above the first target (a
 * monorepo package linted from its root takes the package's), and failing that above the working directory.
 */
export function lintConfig(paths: readonly string[], options: { config?: string | undefined }, cwd: string): Config {
  if (options.config) {
    const path = resolve(cwd, options.config);
    if (!existsSync(path)) throw new UsageError(`config file not found: ${options.config}`);
    return loadConfig(path, knownRuleIds(), ruleOptionNames());
  }
  const first = resolve(cwd, paths[0] ?? ".");
  const from = existsSync(first) && !lstatSync(first).isDirectory() ? dirname(first) : first;
  return loadConfig(findConfigFile(from) ?? findConfigFile(cwd), knownRuleIds(), ruleOptionNames());
}

function ruleOptionNames(): Record<string, string[]> {
  return Object.fromEntries(FILE_RULES.map((r) => [r.meta.id, Object.keys(r.options ?? {})]));
}

/** The cache's scope: anything that changes what a file's text gives. */
function openCache(
  path: string,
  scope: { config: Config; rules: readonly EnabledRule[]; ports: readonly number[]; cwd: string },
): LintCache {
  return LintCache.open(path, {
    tool: toolInfo(),
    rules: scope.rules.map(({ rule, severity }) => [rule.meta.id, severity, rule.meta.messages, rule.languages]),
    directives: scope.config.rules,
    ruleOptions: scope.config.ruleOptions,
    ports: scope.ports,
    cwd: scope.cwd,
  });
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
    return readSmallTextFile(path, SMALL_FILE_LIMITS.baseline);
  } catch (error) {
    throw new UsageError(`cannot read baseline ${path}: ${describeFsError(error)}`);
  }
}

/** As a report with -o: a link written through, a device written to, nothing replaced by something else. */
function writeBaseline(path: string, text: string): void {
  try {
    const file = openOutputFile(path);
    try {
      file.write(text);
    } catch (error) {
      file.abort();
      throw error;
    }
    file.commit();
  } catch (error) {
    throw new UsageError(`cannot write baseline ${path}: ${describeFsError(error)}`);
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

function stdinFile(stdin: LintOptions["stdin"], cwd: string): DiscoveredFile {
  if (!stdin) throw new UsageError(`"${STDIN_PATH}" names standard input, which the command line did not hand in`);
  const name = stdin.filename ?? "<stdin>";
  return { path: resolve(cwd, name), displayPath: stdin.filename ?? name, explicit: true, content: stdin.bytes };
}

function* withStdin(files: Iterable<DiscoveredFile>, stdin: DiscoveredFile): Generator<DiscoveredFile> {
  yield stdin;
  yield* files;
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function enabledRules(config: Config): EnabledRule[] {
  return FILE_RULES.flatMap((rule) => {
    const severity = effectiveSeverity(config.rules[rule.meta.id], rule.meta.severity);
    const options = config.ruleOptions[rule.meta.id];
    return severity ? [{ rule, severity, ...(options ? { options } : {}) }] : [];
  });
}

/**
 * Only the file kinds some enabled rule reads are walked; while a rule reads any text, every file but the
 * binary kinds (a name that says nothing is told by its bytes).
 */
function discoveryFilter(rules: readonly EnabledRule[]): DiscoverOptions {
  const languages = new Set<Language>(rules.flatMap(({ rule }) => rule.languages));
  if (languages.has("text")) return { exceptExtensions: BINARY_EXTENSIONS };
  return {
    // Documents and notebooks are read for their code blocks and cells, whatever languages the rules read.
    extensions: [...KNOWN_EXTENSIONS, "dockerfile"].filter((ext) => {
      const language = languageOf(`file.${ext}`)!;
      return languages.has(language) || (holdsOtherLanguages(language) && languages.size > 0);
    }),
    // languageOf also knows *.dockerfile, which has no entry among the known extensions.
    ...(languages.has("dockerfile") ? { fileNames: [...KNOWN_FILE_NAMES] } : { fileNames: [] }),
  };
}

/** Config `ignore` globs are relative to the config file's folder; files named on the command line stay. */
export function withoutConfigIgnores(
  files: Iterable<DiscoveredFile>,
  config: Config,
  cwd: string,
): Iterable<DiscoveredFile> {
  if (!config.path || config.ignore.length === 0) return files;
  const base = dirname(config.path);
  const matcher = ignore().add(config.ignore);
  const kept = (file: DiscoveredFile) => {
    const rel = pathInside(base, resolve(cwd, file.path));
    return file.explicit || rel === undefined || !matcher.ignores(rel);
  };
  return (function* () {
    for (const file of files) if (kept(file)) yield file;
  })();
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
