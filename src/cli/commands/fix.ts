import { Command, Option } from "commander";
import { collectPort } from "../options.js";
import { DEFAULT_API_VERSION } from "../../imds.js";

// Declares `msi2imds fix`; the implementation (and ts-morph with it) loads only when the command runs.

export interface FixOptions {
  write?: boolean;
  format: "text" | "json";
  port: number[];
  apiVersion: string;
  force?: boolean;
  color: boolean;
}

export function fixCommand(): Command {
  return new Command("fix")
    .description("rewrite JS/TS code that gets tokens from the Managed Identity VM extension to use IMDS (dry run unless --write)")
    .argument("[paths...]", "files and directories to process (default: the current directory)")
    .option("--write", "apply the rewrites (atomic writes that keep mode, BOM and line endings)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--port <n>", "another port the extension listened on, besides 50342 (repeatable)", collectPort, [] as number[])
    .option("--api-version <version>", "IMDS api-version to send", DEFAULT_API_VERSION)
    .option("--force", "with --write, also rewrite files that have uncommitted changes in git")
    .option("--no-color", "no colours in text output")
    .action(async (paths: string[], options: FixOptions) => {
      const { runFix } = await import("../../codemod/run.js");
      process.exitCode = await runFix(paths, options);
    });
}

