import { appendFileSync } from "node:fs";
import { Command } from "commander";
import { ExitCode } from "../../core/exit-codes.js";
import { countBySeverity } from "../../core/finding.js";
import type { LintReport } from "../../core/report.js";
import { describeFsError } from "../../files/text-file.js";
import { emitReport, say } from "../emit.js";
import { useColor, wholeNumber, withConfigOption, withOutputOptions, withPortOption } from "../options.js";

// `msi2imds lint`: the options, then the run: lint's report rendered in the chosen format and emitted, the
// skipped files, fixes and failures on stderr, and the GitHub job summary. Lint loads only when it runs.

export const LINT_FORMATS = ["stylish", "json", "sarif", "github"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

interface LintCommandOptions {
  format: LintFormat;
  maxWarnings?: number;
  fix: boolean;
  port: number[];
  config?: string;
  baseline?: string;
  updateBaseline: boolean;
  color: boolean;
  output?: string;
}

/** What checks JS/TS for no-extension-endpoint: the codemod's analysis (lint never imports the codemod). */
const ANALYSIS = { module: new URL("../../codemod/analyze.js", import.meta.url) };

export function lintCommand(): Command {
  const command = withConfigOption(
    withPortOption(
      new Command("lint")
        .description(
          "CI gate: flag extension calls, old SDKs, extension deployments and malformed IMDS requests in code, " +
            "IaC and scripts",
        )
        .argument("[paths...]", "files or directories to lint (default: the current directory)")
        .option("--max-warnings <n>", "exit 1 when there are more warnings than this", wholeNumber(0))
        .option("--fix", "apply the JS/TS rewrites (the same engine as `fix --write`)", false),
    ),
  )
    .option("--baseline <file>", "accept the findings counted in this baseline file; only new ones are reported")
    .option(
      "--update-baseline",
      "write the current findings to the baseline file (--baseline, default msi2imds-baseline.json)",
      false,
    );
  return withOutputOptions(command, LINT_FORMATS, "stylish").action(
    async (paths: string[], options: LintCommandOptions) => {
      // Loaded side by side: each dynamic import is a round trip through the module loader.
      const [{ runLint }, render] = await Promise.all([import("../../lint/run.js"), renderer(options)]);
      const withDocs = options.format === "sarif";
      const { report, notes, exitCode } = await runLint(paths, { ...options, analysis: ANALYSIS, withDocs });
      for (const note of notes) say(note);
      const written = emitReport(render(report), options.output, summaryOf(report));
      const summarized = options.format !== "github" || appendJobSummary(report);
      for (const s of report.skipped) say(`skipped ${s.path}: ${s.reason}`);
      for (const f of report.fixed) say(`fixed ${f.path} (${f.fixes} fix(es))`);
      for (const e of report.toolErrors) say(`error: ${e}`);
      process.exitCode = written && (await summarized) ? exitCode : ExitCode.Failure;
    },
  );
}

async function renderer(options: LintCommandOptions): Promise<(report: LintReport) => string> {
  switch (options.format) {
    case "json":
      return (await import("../../formatters/json.js")).formatJson;
    case "sarif":
      return (await import("../../formatters/sarif.js")).formatSarif;
    case "github":
      return (await import("../../formatters/github.js")).formatGithub;
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
