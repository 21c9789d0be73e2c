import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { ExitCode, UsageError } from "../../core/exit-codes.js";
import { DEFAULT_CACHE_FILE } from "../../lint/cache.js";
import { CONFIG_FILE_NAME } from "../../lint/config.js";
import { countBySeverity } from "../../core/finding.js";
import type { LintReport } from "../../core/report.js";
import { describeFsError } from "../../files/text-file.js";
import { emitReport, say } from "../emit.js";
import { useColor, wholeNumber, withConfigOption, withOutputOptions, withPortOption } from "../options.js";

// `msi2imds lint`: the options, then the run: lint's report rendered in the chosen format and emitted, the
// skipped files, fixes and failures on stderr, and the GitHub job summary. Lint loads only when it runs.

export const LINT_FORMATS = ["stylish", "json", "sarif", "github", "gitlab"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

interface LintCommandOptions {
  format: LintFormat;
  maxWarnings?: number;
  quiet: boolean;
  fix: boolean;
  port: number[];
  config?: string;
  baseline?: string;
  updateBaseline: boolean;
  sarifOutput?: string;
  changedSince?: string;
  cache: boolean;
  cacheLocation: string;
  listRules: boolean;
  printConfig?: string;
  init: boolean;
  color: boolean;
  output?: string;
  stdinFilename?: string;
}

const STDIN_NAMES = ["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"];

/** What checks JS/TS for no-extension-endpoint: the codemod's analysis (lint never imports the codemod). */
const ANALYSIS = { module: new URL("../../codemod/analyze.js", import.meta.url) };
/** What `--fix` rewrites scripts with: the codemod's, as `fix --write` does. */
const SCRIPT_REWRITES = new URL("../../codemod/scripts/analyze.js", import.meta.url);

export function lintCommand(): Command {
  const command = withConfigOption(
    withPortOption(
      new Command("lint")
        .description(
          "CI gate: flag extension calls, old SDKs, extension deployments and malformed IMDS requests in code, " +
            "IaC and scripts",
        )
        .argument(
          "[paths...]",
          'files, directories or globs to lint (default: the current directory); "-" reads standard input',
        )
        .option("--max-warnings <n>", "exit 1 when there are more warnings than this", wholeNumber(0))
        .option("-q, --quiet", "report errors only: warnings are neither shown nor counted", false)
        .option("--fix", "apply the rewrites of `fix --write` (JS/TS, Python, shell, PowerShell)", false),
    ),
  )
    .option("--stdin-filename <name>", 'the file standard input stands for ("-"): its name tells its language')
    .option("--baseline <file>", "accept the findings counted in this baseline file; only new ones are reported")
    .option(
      "--update-baseline",
      "write the current findings to the baseline file (--baseline, default msi2imds-baseline.json)",
      false,
    )
    .option("--sarif-output <file>", "also write SARIF to this file, from the same run as the main format")
    .option("--changed-since <ref>", "lint only files added, modified or renamed since this git ref (merge base)")
    .option("--cache", "re-check only files whose content changed since the last run with the same rules", false)
    .option("--cache-location <file>", "the cache file", DEFAULT_CACHE_FILE)
    .option("--list-rules", "list the rules and exit", false)
    .option("--print-config <file>", "print the settings this file is linted with, and exit")
    .option("--init", `write a commented ${CONFIG_FILE_NAME} here, and exit`, false);
  return withOutputOptions(command, LINT_FORMATS, "stylish").action(
    async (paths: string[], options: LintCommandOptions) => {
      if (options.listRules || options.printConfig !== undefined || options.init) return describeLint(options);
      // Loaded side by side: each dynamic import is a round trip through the module loader.
      const [{ runLint }, render, sarif] = await Promise.all([
        import("../../lint/run.js"),
        renderer(options),
        options.sarifOutput === undefined ? undefined : import("../../formatters/sarif.js"),
      ]);
      const withDocs = options.format === "sarif" || sarif !== undefined;
      // /dev/stdin is standard input too: a pipe there is no file to read by name. --stdin-filename alone means it.
      paths = paths.map((path) => (STDIN_NAMES.includes(path) ? "-" : path));
      if (options.stdinFilename !== undefined && !paths.includes("-")) paths.push("-");
      // At a terminal, a read of standard input looks like a hang: say what it waits for.
      if (paths.includes("-") && process.stdin.isTTY)
        process.stderr.write("msi2imds: reading standard input (end it with Ctrl-D)\n");
      const stdin = paths.includes("-") ? { bytes: readFileSync(0), filename: options.stdinFilename } : undefined;
      const { report, notes, exitCode } = await runLint(paths, {
        ...options,
        analysis: ANALYSIS,
        scriptRewrites: SCRIPT_REWRITES,
        withDocs,
        stdin,
        cache: options.cache ? options.cacheLocation : undefined,
      });
      for (const note of notes) say(note);
      const written = emitReport(render(report), options.output, summaryOf(report));
      const sarifWritten =
        sarif === undefined || emitReport(sarif.formatSarif(report), options.sarifOutput, summaryOf(report));
      const summarized = options.format !== "github" || appendJobSummary(report);
      for (const s of report.skipped) say(`skipped ${s.path}: ${s.reason}`);
      for (const f of report.fixed) say(`fixed ${f.path} (${f.fixes} fix(es))`);
      for (const e of report.toolErrors) say(`error: ${e}`);
      process.exitCode = written && sarifWritten && (await summarized) ? exitCode : ExitCode.Failure;
    },
  );
}

/** --list-rules, --print-config and --init: what lint would do, without linting. */
async function describeLint(options: LintCommandOptions): Promise<void> {
  const info = await import("../../lint/info.js");
  if (options.init) {
    const path = resolve(CONFIG_FILE_NAME);
    if (existsSync(path)) throw new UsageError(`${CONFIG_FILE_NAME} already exists here; edit it instead`);
    writeFileSync(path, info.initialConfigText(), { flag: "wx" });
    say(`wrote ${CONFIG_FILE_NAME}: every rule at its default, commented out; uncomment to change`);
    return;
  }
  if (options.printConfig !== undefined) {
    const text = `${JSON.stringify(info.configForFile(options.printConfig, options, process.cwd()), null, 2)}\n`;
    if (!emitReport(text, options.output, "lint: settings printed")) process.exitCode = ExitCode.Failure;
    return;
  }
  const rules = info.listRules();
  const text =
    options.format === "json"
      ? `${JSON.stringify(rules, null, 2)}\n`
      : (await import("../../formatters/rule-list.js")).formatRuleList(rules);
  if (!emitReport(text, options.output, `lint: ${rules.length} rules listed`)) process.exitCode = ExitCode.Failure;
}

async function renderer(options: LintCommandOptions): Promise<(report: LintReport) => string> {
  switch (options.format) {
    case "json":
      return (await import("../../formatters/json.js")).formatJson;
    case "sarif":
      return (await import("../../formatters/sarif.js")).formatSarif;
    case "github":
      return (await import("../../formatters/github.js")).formatGithub;
    case "gitlab":
      return (await import("../../formatters/gitlab.js")).formatGitlab;
    case "stylish": {
      const { formatStylish } = await import("../../formatters/stylish.js");
      return (report) => formatStylish(report, useColor(options));
    }
  }
}
function summaryOf(report: LintReport): string {
  const { errors, warnings } = countBySeverity(report.findings);
  return `lint: ${errors} error(s), ${warnings} warning(s), ${report.skipped.length} file(s) skipped`;
}

/** With GITHUB_STEP_SUMMARY set, the job summary gets a table too; false when it could not be written. */
async function appendJobSummary(report: LintReport): Promise<boolean> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) return true;
  const { githubSummary } = await import("../../formatters/github.js");
  try {
    appendFileSync(path, githubSummary(report));
    return true;
  } catch (error) {
    say(`cannot append the job summary to GITHUB_STEP_SUMMARY (${path}): ${describeFsError(error)}`);
    return false;
  }
}
