#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { ExitCode, UsageError } from "./core/exit-codes.js";
import { fixCommand } from "./cli/commands/fix.js";
import { lintCommand } from "./cli/commands/lint.js";
import { scanCommand } from "./cli/commands/scan.js";
import { removeCommand } from "./cli/commands/remove.js";
import { removeTempFilesOnSignals } from "./cli/signals.js";
import { redactSecrets } from "./core/redact.js";
import { packageInfo } from "./package-info.js";

// The command-line face: parses argv, dispatches, and alone writes output (src/cli/). Each command declares
// its options in src/cli/commands/ and loads its job only when it runs, so `lint` never pays for the Azure SDKs.

// Output that cannot be written (a reader that stops early, `| head`; a full disk) stops the run at once,
// in one line, and the run does not pass for a complete one.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  process.stderr.write(`msi2imds: ${outputFailure(error)}\n`);
  process.exit(ExitCode.Failure);
});

removeTempFilesOnSignals();

const program = new Command("msi2imds")
  .description("Find and remove uses of the deprecated Azure Managed Identity VM extension and move them to IMDS.")
  .version(packageInfo().version, "-V, --version")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

for (const command of [fixCommand(), lintCommand(), scanCommand(), removeCommand()]) {
  // Each subcommand says so too (`lint --bogus`): commander does not pass the setting down to added commands.
  program.addCommand(command.exitOverride().showHelpAfterError(`(run msi2imds ${command.name()} --help for usage)`));
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with exit code 0; anything else is a usage error.
    return error.exitCode === 0 ? ExitCode.Clean : ExitCode.Failure;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`msi2imds: ${error.message}\n`);
    return ExitCode.Failure;
  }
  // A synchronous write to stdout (remove's report) fails here rather than on the stream.
  if (isOutputError(error)) {
    process.stderr.write(`msi2imds: ${outputFailure(error)}\n`);
    return ExitCode.Failure;
  }
  // A failure no part caught may still carry a response's text: it is redacted like every other message.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`msi2imds: internal error: ${redactSecrets(detail)}\n`);
  return ExitCode.Failure;
}

function isOutputError(error: unknown): error is NodeJS.ErrnoException {
  const { code, syscall, fd } = (error ?? {}) as NodeJS.ErrnoException & { fd?: number };
  return syscall === "write" && (code === "EPIPE" || fd === 1);
}

function outputFailure(error: NodeJS.ErrnoException): string {
  return error.code === "EPIPE"
    ? "stopped: the output was closed before the end"
    : `stopped: cannot write the output (${error.code ?? error.message})`;
}
