// Shared by every command: 0 nothing left for a person, 1 findings, 2 usage, config, auth, internal
// error or an incomplete run. Never 0 after a failure.
export const ExitCode = {
  Clean: 0,
  Findings: 1,
  Failure: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem the user can fix (bad flag, missing path, bad config): reported without a stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The one rule: a failed or incomplete run is 2 whatever it found; else 1 when something is left for a person. */
export function exitCodeOf(outcome: { failed: boolean; leftForAPerson: boolean }): ExitCode {
  if (outcome.failed) return ExitCode.Failure;
  return outcome.leftForAPerson ? ExitCode.Findings : ExitCode.Clean;
}
