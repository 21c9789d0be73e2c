import type { ScanError } from "../core/report.js";

// An SDK failure as a report entry. A failed page surfaces only as "Pagination failed with unexpected
// statusCode N" (the body's message is lost), so the scope and status are stated here, by us.

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
}

export function toScanError(scope: string, error: unknown): ScanError {
  const e = (typeof error === "object" && error !== null ? error : {}) as RestErrorLike;
  const status = typeof e.statusCode === "number" ? e.statusCode : null;
  const code = typeof e.code === "string" && e.code !== "" ? e.code : status === null ? "RequestFailed" : `Http${status}`;
  const message = (typeof e.message === "string" ? e.message : String(error)).split("\n")[0]!.slice(0, 500);
  return { scope, status, code, message };
}

/** Not allowed to read the scope at all: no point asking for anything else in it. */
export function isScopeForbidden(error: ScanError): boolean {
  return error.status === 401 || error.status === 403;
}
