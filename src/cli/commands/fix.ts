import { Command } from "commander";
import { ExitCode, UsageError } from "../../core/exit-codes.js";
import type { FixSummary } from "../../core/report.js";
import { DEFAULT_API_VERSION } from "../../imds.js";
import { openOutput } from "../emit.js";
import { useColor, withConfigOption, withOutputOptions, withPortOption } from "../options.js";
import type { DiscoveredFile } from "../../pipeline/discover.js";

// `msi2imds fix`: the options, then the run: each file's diff or JSON entry rendered and written as it
// comes, the review list and summary at the end. The codemod (and ts-morph) load only when it runs.

export const FIX_FORMATS = ["text", "json"] as const;

interface FixCommandOptions {
  write?: boolean;
  format: (typeof FIX_FORMATS)[number];
  port: number[];
  apiVersion: string;
  force?: boolean;
  config?: string;
  docs?: boolean;
  color: boolean;
  output?: string;
}

export function fixCommand(): Command {
  const command = withPortOption(
    new Command("fix")
      .description(
        "rewrite JS/TS, Python, shell and PowerShell (notebook cells too) that get tokens from the Managed " +
          "Identity VM extension to use IMDS (dry run unless --write)",
      )
      .argument("[paths...]", "files and directories to process (default: the current directory)")
      .option("--write", "apply the rewrites (atomic writes that keep mode, BOM and line endings)"),
  )
    .option("--api-version <version>", "IMDS api-version to send", DEFAULT_API_VERSION)
    .option("--force", "with --write, also rewrite files that have uncommitted changes in git")
    .option("--docs", "also rewrite the code blocks of Markdown and reStructuredText documents (.md, .rst)");
  withConfigOption(command);
  return withOutputOptions(command, FIX_FORMATS, "text").action(async (paths: string[], options: FixCommandOptions) => {
    if (paths.includes("-"))
      throw new UsageError("fix rewrites files where they are and does not read standard input: name the files");
    const started = performance.now();
    const [{ runFix }, { fixJsonRenderer, fixTextRenderer }, { lintConfig, withoutConfigIgnores }] = await Promise.all([
      import("../../codemod/run.js"),
      import("../../formatters/fix-report.js"),
      import("../../lint/run.js"),
    ]);
    // The config lint reads: fix checks its ports and leaves its ignored paths alone too.
    const cwd = process.cwd();
    const config = lintConfig(paths, options, cwd);
    const settings = {
      ...options,
      port: [...config.ports, ...options.port],
      keep: (files: Iterable<DiscoveredFile>) => withoutConfigIgnores(files, config, cwd),
    };
    const renderer =
      options.format === "json"
        ? fixJsonRenderer()
        : fixTextRenderer({ color: useColor(options), written: Boolean(options.write) });
    const out = openOutput(options.output);
    let begun = false;
    const begin = () => {
      if (!begun) out.write(renderer.start());
      begun = true;
    };
    try {
      const { summary, exitCode } = await runFix(paths, settings, (file) => {
        begin();
        out.write(renderer.file(file));
      });
      begin();
      out.write(renderer.end(summary, performance.now() - started));
      process.exitCode =
        out.close(summaryOf(summary, Boolean(options.write))) === "written" ? exitCode : ExitCode.Failure;
    } catch (error) {
      out.abort();
      throw error;
    }
  });
}

function summaryOf(s: FixSummary, written: boolean): string {
  return `fix: ${s.changed} ${written ? "changed" : "to change"}, ${s.review} need review, ${s.errors} error(s)`;
}
