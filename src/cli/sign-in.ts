import type { AuthKind } from "../azure/choices.js";
import { firstLine, isAuthenticationFailure, SignInFailed } from "../azure/errors.js";
import { ExitCode } from "../core/exit-codes.js";
import { say } from "./emit.js";

// A failed sign-in stops scan and remove in one line that says what to do, for the credential chosen.

const HINTS: Record<AuthKind, string> = {
  default:
    "sign in with `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, " +
    "or pick a credential with --auth cli|managed-identity|env",
  cli: "run `az login` (and `az account set --subscription …` for another tenant's subscriptions)",
  "managed-identity": "run it on an Azure machine that has a managed identity, or pick another --auth",
  env: "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH)",
};

function signInFailure(error: unknown): string | undefined {
  if (error instanceof SignInFailed) return error.message;
  if (isAuthenticationFailure(error)) return firstLine(error);
  return undefined;
}

/** Runs `work`; a failed sign-in is said with its hint and gives undefined, the run ending in exit 2. */
export async function unlessSignInFails<T>(auth: AuthKind, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    const reason = signInFailure(error);
    if (reason === undefined) throw error;
    say(`authentication failed (--auth ${auth}): ${reason}`);
    say(`to sign in: ${HINTS[auth]}`);
    process.exitCode = ExitCode.Failure;
    return undefined;
  }
}
