import { redactSecrets } from "../core/redact.js";
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

/** The first line of the error's message, never its headers, with any secret it echoes redacted. */
export function firstLine(error: unknown): string {
  const message = (error as RestErrorLike | null)?.message;
  return redactSecrets(typeof message === "string" ? message.split("\n")[0]! : String(error));
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
    code:
      typeof code === "string" && code !== ""
        ? redactSecrets(code)
        : status === null
          ? "RequestFailed"
          : `Http${status}`,
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

/** Failures msi2imds itself declares about a request; `code` names them in reports as ARM's codes do. */
abstract class RequestRefused extends Error {
  abstract readonly code: string;
}

/** The run's overall deadline (--timeout) passed before the request could be answered. */
export class DeadlineExceeded extends RequestRefused {
  override name = "DeadlineExceeded";
  readonly code = "Timeout";
  constructor() {
    super("not read: the run's --timeout deadline passed");
  }
}

/** No whole answer within the per-request timeout, on every attempt. */
export class RequestTimedOut extends RequestRefused {
  override name = "RequestTimedOut";
  readonly code = "RequestTimeout";
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
  }
}

/** A link in a response (nextLink, a polling URL) to another host than the ARM endpoint: never sent the token. */
export class LinkToOtherHost extends RequestRefused {
  override name = "LinkToOtherHost";
  readonly code = "LinkToOtherHost";
  constructor(url: URL, armOrigin: string) {
    super(`refused to follow a link to ${url.origin}, which is not the ARM endpoint ${armOrigin}`);
  }
}

/** A nextLink back to a page already read: following it would never end. */
export class NextLinkLoop extends RequestRefused {
  override name = "NextLinkLoop";
  readonly code = "NextLinkLoop";
  constructor(url: string) {
    super(`the list's nextLink leads back to a page already read (${url}); the rest of the list was not read`);
  }
}

export function isDeadlineExceeded(error: unknown): boolean {
  return error instanceof DeadlineExceeded;
}
