import { appendFileSync, existsSync, lstatSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ignore from "ignore";
import { applyBaseline, buildBaseline, readBaseline, writeBaseline } from "../core/baseline.js";
import { effectiveSeverity, findConfigFile, loadConfig, type Config } from "./config.js";
import { ExitCode, UsageError } from "../core/exit-codes.js";
import { compareFindings, type Finding } from "../core/finding.js";
import { DIRECTIVE_RULES } from "../core/suppressions.js";
import { discoverFiles, type DiscoveredFile } from "../pipeline/discover.js";
import { KNOWN_EXTENSIONS, KNOWN_FILE_NAMES, languageOf, type Language } from "../core/language.js";
import { describeFsError } from "../files/text-file.js";
import { extensionPorts } from "../imds.js";
import { formatGithub, githubSummary } from "../formatters/github.js";
import { formatJson } from "../formatters/json.js";
import type { LintReport, RuleDescriptor } from "../formatters/lint-report.js";
import { formatSarif } from "../formatters/sarif.js";
import { formatStylish } from "../formatters/stylish.js";
import type { LintCommandOptions } from "../cli/commands/lint.js";
import { lintFiles, type EnabledRule } from "./engine.js";
import { FILE_RULES } from "../../rules/index.js";

// `msi2imds lint`: config → discovery → engine → baseline → report → exit code.

export const DEFAULT_BASELINE_FILE = "msi2imds-baseline.json";
/** The package root, from dist/src/lint (built) or src/lint (tests through tsx). */
const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

export async function runLint(paths: readonly string[], options: LintCommandOptions, cwd = process.cwd()): Promise<number> {
  const knownRuleIds = [...FILE_RULES.map((r) => r.meta.id), ...Object.keys(DIRECTIVE_RULES)];
  const configPath = options.config ? resolve(cwd, options.config) : findConfigFile(cwd);
  if (options.config && !existsSync(configPath!)) throw new UsageError(`config file not found: ${options.config}`);
  const config = loadConfig(configPath, knownRuleIds);
  const rules = enabledRules(config);
  const ports = extensionPorts([...config.ports, ...options.port]);

  const discovery = discoverFiles(paths, { cwd, ...discoveryFilter(rules) });
  const unreadable = discovery.missing.map((m) => ({ path: m.target, reason: m.reason === "no such file or directory" && isDanglingLink(resolve(cwd, m.target)) ? "dangling symbolic link" : m.reason }));
  const notFound = unreadable.filter((m) => m.reason === "no such file or directory");
  if (notFound.length > 0) throw new UsageError(notFound.map((m) => `${m.path}: no such file or directory`).join("; "));
  const files = withoutConfigIgnores(discovery.files, config, cwd);

  const result = await lintFiles(files, { rules, ports, fix: options.fix, knownRuleIds });
  const skipped = [...unreadable, ...result.skipped];

  let findings: Finding[] = withDirectiveSeverities(result.findings, config);
  if (options.updateBaseline) {
    const path = resolve(cwd, options.baseline ?? DEFAULT_BASELINE_FILE);
    writeBaseline(path, buildBaseline(findings));
    process.stderr.write(`msi2imds: wrote ${findings.length} finding(s) to the baseline ${relative(cwd, path) || path}\n`);
    findings = [];
  } else if (options.baseline) {
    const applied = applyBaseline(findings, readBaseline(resolve(cwd, options.baseline)));
    findings = applied.kept;
    if (applied.stale > 0) process.stderr.write(`msi2imds: ${applied.stale} finding(s) accepted by the baseline are gone; tighten it with --update-baseline\n`);
  }
  findings.sort(compareFindings);

  const report: LintReport = { findings, cwd, rules: describeRules(rules), skipped, toolErrors: result.errors, toolVersion: packageVersion() };
  let written = emit(render(report, options), options, cwd);
  if (options.format === "github" && process.env.GITHUB_STEP_SUMMARY) written = appendSummary(process.env.GITHUB_STEP_SUMMARY, report) && written;
  for (const s of skipped) process.stderr.write(`msi2imds: skipped ${s.path}: ${s.reason}\n`);
  for (const f of result.fixed) process.stderr.write(`msi2imds: fixed ${f.path} (${f.fixes} fix(es))\n`);
  for (const e of result.errors) process.stderr.write(`msi2imds: error: ${e}\n`);
  return exitCode(findings, result.errors.length > 0 || !written, options.maxWarnings);
}

export function exitCode(findings: readonly Finding[], failed: boolean, maxWarnings: number | undefined): number {
  if (failed) return ExitCode.Failure;
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  if (errors > 0 || (maxWarnings !== undefined && warnings > maxWarnings)) return ExitCode.Findings;
  return ExitCode.Clean;
}

/** The engine's own findings about suppression directives take their severity (or "off") from the config too. */
function withDirectiveSeverities(findings: readonly Finding[], config: Config): Finding[] {
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

/** Config `ignore` globs are relative to the config file's folder; files named on the command line stay. */
function withoutConfigIgnores(files: Iterable<DiscoveredFile>, config: Config, cwd: string): Iterable<DiscoveredFile> {
  if (!config.path || config.ignore.length === 0) return files;
  const base = dirname(config.path);
  const matcher = ignore().add(config.ignore);
  const kept = (file: DiscoveredFile) => {
    const rel = relative(base, resolve(cwd, file.path)).split(sep).join("/");
    return file.explicit || rel.startsWith("..") || !matcher.ignores(rel);
  };
  return (function* () {
    for (const file of files) if (kept(file)) yield file;
  })();
}

function describeRules(rules: readonly EnabledRule[]): RuleDescriptor[] {
  const descriptors: RuleDescriptor[] = rules.map(({ rule, severity }) => ({
    id: rule.meta.id,
    description: rule.meta.description,
    severity,
    fixable: rule.meta.fixable,
    docPath: resolve(PACKAGE_ROOT, "rules", `${rule.meta.id}.md`),
  }));
  for (const [id, meta] of Object.entries(DIRECTIVE_RULES)) descriptors.push({ id, description: meta.description, severity: meta.severity, fixable: false });
  return descriptors;
}

function render(report: LintReport, options: LintCommandOptions): string {
  switch (options.format) {
    case "json": return formatJson(report);
    case "sarif": return formatSarif(report);
    case "github": return formatGithub(report);
    default: return formatStylish(report, options.color && !options.output && process.stdout.isTTY === true);
  }
}

/** Writes the report; false when --output could not be written (the report then goes to stdout, not lost). */
function emit(output: string, options: LintCommandOptions, cwd: string): boolean {
  if (options.output) {
    try {
      writeFileSync(resolve(cwd, options.output), output);
      return true;
    } catch (error) {
      process.stderr.write(`msi2imds: cannot write ${options.output}: ${describeFsError(error)}; the report follows on stdout\n`);
    }
  }
  process.stdout.write(output);
  return !options.output;
}

function appendSummary(path: string, report: LintReport): boolean {
  try {
    appendFileSync(path, githubSummary(report));
    return true;
  } catch (error) {
    process.stderr.write(`msi2imds: cannot append the job summary to GITHUB_STEP_SUMMARY (${path}): ${describeFsError(error)}\n`);
    return false;
  }
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(resolve(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
