import { isAuthenticationFailure, SignInFailed } from "../azure/errors.js";

// A failed sign-in, in one line: the reason, or undefined when the error is something else.

export function signInFailure(error: unknown): string | undefined {
  if (error instanceof SignInFailed) return error.message;
  if (isAuthenticationFailure(error)) return (error as Error).message.split("\n")[0];
  return undefined;
}
