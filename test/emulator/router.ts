import type { Fleet } from "./fleet.js";

// The emulator's route table. Routes are data: another module (e.g. the remove job's DELETE and
// long-running-operation routes) adds its own with `emulator.addRoute(...)`.

export interface EmulatorContext {
  fleet: Fleet;
  /** https://127.0.0.1:PORT, for absolute nextLinks and polling URLs. */
  origin: string;
  pageSize: number;
}

export interface EmulatorRequest {
  method: string;
  url: URL;
  /** The route pattern's capture groups, decoded. */
  params: string[];
  /** Parsed JSON body, undefined when empty. */
  body: unknown;
  context: EmulatorContext;
}

export interface EmulatorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  /** For the request log and error messages. */
  name: string;
  method: string;
  /** Matched against the decoded path, case-insensitively by convention (ARM paths are). */
  pattern: RegExp;
  /** api-version values accepted; anything else is answered 400 so SDK drift is caught. */
  apiVersions: readonly string[];
  handle(request: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse>;
}

export interface RouteMatch {
  route: Route;
  params: string[];
}

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map((p) => decodeURIComponent(p ?? "")) };
  }
  return undefined;
}

export function armError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): EmulatorResponse {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

/** One page of `items` and an absolute https nextLink on the emulator's own host while more remain. */
export function pageOf<T>(
  request: EmulatorRequest,
  items: readonly T[],
  pageSize = request.context.pageSize,
): EmulatorResponse {
  const offset = Number(request.url.searchParams.get("$skiptoken") ?? "0");
  if (!Number.isInteger(offset) || offset < 0) return armError(400, "InvalidSkipToken", "The $skiptoken is not valid.");
  const value = items.slice(offset, offset + pageSize);
  const body: { value: T[]; nextLink?: string } = { value };
  if (offset + pageSize < items.length) {
    const next = new URL(request.url.pathname + request.url.search, request.context.origin);
    next.searchParams.set("$skiptoken", String(offset + pageSize));
    body.nextLink = next.href;
  }
  return { status: 200, body };
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
