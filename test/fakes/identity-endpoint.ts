// Fake token endpoints for tests: the deprecated Managed Identity VM extension and IMDS, each as strict as the
// real service (../shared/docs/domain.md §2 and §3), on a loopback port. Every request is recorded, accepted or
// not, so a test can assert what a client really sent.
//
//   const imds = await startFakeIdentityEndpoint({ kind: "imds" });
//   process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = imds.url;   // @azure/identity's ManagedIdentityCredential
//   … imds.requests[0].tokenRequest?.resource …
//   await imds.close();
//
// Tokens are minted deterministically from (kind, resource, identity selector): a test computes the token it
// expects with `mintedToken` instead of trusting whatever came back.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  API_VERSION_PARAM,
  EXTENSION_TOKEN_PATH,
  FORBIDDEN_IMDS_HEADER,
  IDENTITY_SELECTOR_PARAMS,
  IMDS_IDENTITY_API_VERSIONS,
  IMDS_TOKEN_PATH,
  METADATA_HEADER_NAME,
  METADATA_HEADER_VALUE,
  RESOURCE_PARAM,
  isImdsIdentityApiVersion,
} from "../../src/imds.js";

export type IdentityEndpointKind = "imds" | "extension";

export interface IdentitySelector {
  /** client_id, object_id, msi_res_id or mi_res_id, as the client spelled it. */
  name: string;
  value: string;
}

/** What an accepted request asked for. */
export interface TokenRequest {
  resource: string;
  selector?: IdentitySelector;
}

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** Decoded query parameters in the order sent (duplicates kept). */
  query: [name: string, value: string][];
  /** Header names lower-cased, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The status the fake answered with. */
  status: number;
  /** The `error` code of a rejection; absent when a token was issued. */
  error?: string;
  /** Present when a token was issued. */
  tokenRequest?: TokenRequest;
}

export interface FakeIdentityEndpointOptions {
  kind: IdentityEndpointKind;
  /** Loopback address to listen on; 127.0.0.1 by default. */
  host?: string;
  /** 0 (a free port) by default. */
  port?: number;
}

export interface FakeIdentityEndpoint {
  kind: IdentityEndpointKind;
  /** Origin without a trailing slash, e.g. http://127.0.0.1:41234. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const FAKE_EXPIRES_IN_SECONDS = 3599;

/** The newest versions the real IMDS lists when api-version is missing or unknown. */
const NEWEST_VERSIONS = IMDS_IDENTITY_API_VERSIONS.slice(-3).reverse();

/** IMDS treats msi_res_id and mi_res_id as the same selector (domain.md §3), so tokens do too. */
export function canonicalSelectorName(name: string): string {
  return name === "mi_res_id" ? "msi_res_id" : name;
}

/** The token the fake issues for this kind, resource and identity. */
export function mintedToken(kind: IdentityEndpointKind, resource: string, selector?: IdentitySelector): string {
  const identity = selector ? `${canonicalSelectorName(selector.name)}=${selector.value}` : "system-assigned";
  const digest = createHash("sha256").update(`${kind}\n${resource}\n${identity}`).digest("hex");
  return `fake-${kind}-${digest.slice(0, 24)}`;
}

/** A refusal the real service would make: status, OAuth-style error code, description, extra body fields. */
class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    description: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(description);
  }
}

function header(headers: IncomingMessage["headers"], name: string): string | string[] | undefined {
  return headers[name.toLowerCase()];
}

function parseParams(encoded: string): [string, string][] {
  return [...new URLSearchParams(encoded)];
}

function rejectDuplicates(params: readonly [string, string][]): void {
  const seen = new Set<string>();
  for (const [name] of params) {
    if (seen.has(name)) throw new Rejection(400, "bad_request", `Duplicate query parameter '${name}'`);
    seen.add(name);
  }
}

function requireMetadataHeader(headers: IncomingMessage["headers"], errorCode: string): void {
  // Exactly one header with exactly the lower-case value: `True` or `true, true` is refused like the real one.
  if (header(headers, METADATA_HEADER_NAME) !== METADATA_HEADER_VALUE) {
    throw new Rejection(400, errorCode, "Required metadata header not specified or not 'true'");
  }
}

function tokenRequestFrom(params: readonly [string, string][]): TokenRequest {
  const resource = params.find(([name]) => name === RESOURCE_PARAM)?.[1];
  if (!resource) throw new Rejection(400, "invalid_request", "Required query variable 'resource' is missing");
  const selectors = params.filter(([name]) => IDENTITY_SELECTOR_PARAMS.includes(name));
  if (selectors.length > 1) {
    throw new Rejection(
      400,
      "invalid_request",
      `At most one identity selector may be given, got ${selectors.map(([n]) => n).join(", ")}`,
    );
  }
  const [selector] = selectors;
  return selector ? { resource, selector: { name: selector[0], value: selector[1] } } : { resource };
}

function isPath(actual: string, expected: string): boolean {
  return actual === expected || actual === `${expected}/`;
}

function validateImds(
  method: string,
  path: string,
  query: [string, string][],
  headers: IncomingMessage["headers"],
  body: string,
): TokenRequest {
  if (!isPath(path, IMDS_TOKEN_PATH)) throw new Rejection(404, "not_found", `No such endpoint: ${path}`);
  if (method !== "GET")
    throw new Rejection(405, "method_not_allowed", "The HTTP method (verb) isn't supported on the endpoint");
  if (header(headers, FORBIDDEN_IMDS_HEADER) !== undefined) {
    throw new Rejection(400, "bad_request", `Requests carrying ${FORBIDDEN_IMDS_HEADER} are rejected`);
  }
  requireMetadataHeader(headers, "bad_request");
  rejectDuplicates(query);
  const apiVersion = query.find(([name]) => name === API_VERSION_PARAM)?.[1];
  if (apiVersion === undefined) {
    throw new Rejection(400, "bad_request", "api-version was not specified in the request", {
      "newest-versions": NEWEST_VERSIONS,
    });
  }
  if (!isImdsIdentityApiVersion(apiVersion)) {
    throw new Rejection(400, "bad_request", `Invalid api-version '${apiVersion}'`, {
      "newest-versions": NEWEST_VERSIONS,
    });
  }
  if (body.length > 0) throw new Rejection(400, "bad_request", "A token request carries no body");
  return tokenRequestFrom(query);
}

function validateExtension(
  method: string,
  path: string,
  query: [string, string][],
  headers: IncomingMessage["headers"],
  body: string,
): TokenRequest {
  if (!isPath(path, EXTENSION_TOKEN_PATH)) throw new Rejection(404, "not_found", `No such endpoint: ${path}`);
  if (method !== "GET" && method !== "POST")
    throw new Rejection(405, "method_not_allowed", `${method} is not supported`);
  requireMetadataHeader(headers, "bad_request_102");
  let params = query;
  if (method === "POST" && body.length > 0) {
    const contentType = String(header(headers, "content-type") ?? "");
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      throw new Rejection(
        400,
        "invalid_request",
        `A POST body must be application/x-www-form-urlencoded, got '${contentType}'`,
      );
    }
    params = [...query, ...parseParams(body)];
  }
  rejectDuplicates(params);
  return tokenRequestFrom(params);
}

function tokenResponse(kind: IdentityEndpointKind, request: TokenRequest): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const echoedSelector = kind === "imds" && request.selector ? { [request.selector.name]: request.selector.value } : {};
  return {
    access_token: mintedToken(kind, request.resource, request.selector),
    ...(kind === "extension" ? { refresh_token: "" } : {}),
    expires_in: String(FAKE_EXPIRES_IN_SECONDS),
    expires_on: String(now + FAKE_EXPIRES_IN_SECONDS),
    not_before: String(now),
    resource: request.resource,
    token_type: "Bearer",
    ...echoedSelector,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function answer(res: ServerResponse, status: number, payload: Record<string, unknown>): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

export async function startFakeIdentityEndpoint(options: FakeIdentityEndpointOptions): Promise<FakeIdentityEndpoint> {
  const { kind } = options;
  const requests: RecordedRequest[] = [];
  const validate = kind === "imds" ? validateImds : validateExtension;

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? "/", "http://fake.invalid");
      const method = req.method ?? "";
      const query = parseParams(url.search);
      const record: RecordedRequest = {
        method,
        path: url.pathname,
        query,
        headers: { ...req.headers },
        body,
        status: 200,
      };
      requests.push(record);
      try {
        record.tokenRequest = validate(method, url.pathname, query, req.headers, body);
        answer(res, 200, tokenResponse(kind, record.tokenRequest));
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        record.status = error.status;
        record.error = error.errorCode;
        answer(res, error.status, { error: error.errorCode, error_description: error.message, ...error.extra });
      }
    })().catch((error: unknown) => {
      // A bug in the fake must fail the test that hit it, not hang it.
      if (!res.headersSent) answer(res, 500, { error: "server_error", error_description: String(error) });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    kind,
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
