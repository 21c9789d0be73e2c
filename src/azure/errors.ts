import type { ScanError } from "../core/report.js";

// What an Azure SDK failure means, in one place for scan and remove: its status, whether it is a sign-in
// failure, and one line for a person. A failed page surfaces only as "Pagination failed with unexpected
// statusCode N" (the body's message is lost), so the scope and status are stated here, by us.

interface RestErrorLike {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
}

const AUTHENTICATION_ERRORS = [
  "CredentialUnavailableError",
  "AuthenticationError",
  "AggregateAuthenticationError",
  "AuthenticationRequiredError",
];

export function statusOf(error: unknown): number | undefined {
  const status = (error as RestErrorLike | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** No token could be had: nothing can be read, whatever the scope. */
export function isAuthenticationFailure(error: unknown): boolean {
  return error instanceof Error && AUTHENTICATION_ERRORS.includes(error.name);
}

/** No token, or ARM refused it: a run that acts on machines stops instead of failing each one. */
export function isAuthFailure(error: unknown): boolean {
  return isAuthenticationFailure(error) || statusOf(error) === 401;
}

/** The first line of the error's message, never its headers. */
function firstLine(error: unknown): string {
  const message = (error as RestErrorLike | null)?.message;
  return typeof message === "string" ? message.split("\n")[0]! : String(error);
}

/** One line for a person: the HTTP status when there is one, and the first line of the message. */
export function describeError(error: unknown): string {
  const status = statusOf(error);
  return status === undefined ? firstLine(error) : `HTTP ${status}: ${firstLine(error)}`;
}

export function toScanError(scope: string, error: unknown): ScanError {
  const status = statusOf(error) ?? null;
  const code = (error as RestErrorLike | null)?.code;
  return {
    scope,
    status,
    code: typeof code === "string" && code !== "" ? code : status === null ? "RequestFailed" : `Http${status}`,
    message: firstLine(error).slice(0, 500),
  };
}

/** Not allowed to read the scope at all: no point asking for anything else in it. */
export function isScopeForbidden(error: ScanError): boolean {
  return error.status === 401 || error.status === 403;
}

/** No token could be had, or ARM refused it: the run stops at once with exit 2 and this reason. */
export class SignInFailed extends Error {
  override name = "SignInFailed";
}
