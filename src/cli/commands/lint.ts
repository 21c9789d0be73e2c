import { Command, Option } from "commander";
import { collectPort, wholeNumber } from "../options.js";

// `msi2imds lint`: declares the options; the implementation loads only when the command runs.

export const LINT_FORMATS = ["stylish", "json", "sarif", "github"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export interface LintCommandOptions {
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

export function lintCommand(): Command {
  return new Command("lint")
    .description("CI gate: flag extension calls, old SDKs, extension deployments and malformed IMDS requests in code, IaC and scripts")
    .argument("[paths...]", "files or directories to lint (default: the current directory)")
    .addOption(new Option("-f, --format <format>", "output format").choices(LINT_FORMATS).default("stylish"))
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", wholeNumber(0))
    .option("--fix", "apply the JS/TS rewrites (the same engine as `fix --write`)", false)
    .option("--port <n>", "another port the extension listened on, besides 50342 and 50343 (repeatable)", collectPort, [] as number[])
    .option("-c, --config <file>", "config file (default: msi2imds.config.json found upwards from the working directory)")
    .option("--baseline <file>", "accept the findings counted in this baseline file; only new ones are reported")
    .option("--update-baseline", "write the current findings to the baseline file (--baseline, default msi2imds-baseline.json)", false)
    .option("--no-color", "plain text output")
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .action(async (paths: string[], options: LintCommandOptions) => {
      const { runLint } = await import("../../lint/run.js");
      process.exitCode = await runLint(paths, options);
    });
}

