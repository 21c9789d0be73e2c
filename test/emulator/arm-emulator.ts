import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ARM_READ_BUCKET, TokenBucket, type BucketLimits } from "../../src/azure/token-bucket.js";
import { emulatorCertificates } from "./certificates.js";
import { computeRoutes } from "./compute-routes.js";
import type { Fleet } from "./fleet.js";
import { graphRoute } from "./graph-route.js";
import { armError, matchRoute, type EmulatorContext, type EmulatorResponse, type Route } from "./router.js";
import { subscriptionRoutes } from "./subscription-routes.js";

// An HTTPS stand-in for ARM and Resource Graph on 127.0.0.1, good enough for the real Azure SDK clients:
// bearer token required, api-versions checked, absolute https nextLinks, a read token bucket per
// subscription, scripted faults, optional latency, and a request log for tests to assert on.
//
//   const arm = await startArmEmulator({ fleet: loadFleet("sample") });
//   spawn(node, [cli, "scan", "--arm-endpoint", arm.url], { env: { NODE_EXTRA_CA_CERTS: arm.caPath } })
//   … arm.requests …
//   await arm.close();

export type ScriptedFault = FaultTarget & (FaultStatus | FaultDrop);

interface FaultTarget {
  /** Matched against the request path: a case-insensitive substring, or a regular expression. */
  path: string | RegExp;
  method?: string;
  /** Query parameters that must all be present with these values (e.g. one page: { $skiptoken: "4" }). */
  query?: Record<string, string>;
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
}

/** An ARM error answer. */
interface FaultStatus {
  status: number;
  code?: string;
  message?: string;
  /** Sent as Retry-After (seconds) when given. */
  retryAfterSeconds?: number;
  /** The message repeats the request's Authorization header, as a careless gateway's error page would. */
  echoAuthorization?: boolean;
}

/** No answer: the connection is dropped ("reset"), or held open and never answered ("hang"). */
interface FaultDrop {
  drop: "reset" | "hang";
}

export interface ArmEmulatorOptions {
  fleet: Fleet;
  /** Items per page of every paged list (default 100). */
  pageSize?: number;
  /** Delay added before answering each request. */
  latencyMs?: number;
  /** Per-subscription read bucket (default ARM's 250 tokens, 25/s); null turns throttling off. */
  readBucket?: BucketLimits | null;
  faults?: ScriptedFault[];
  /** Which bearer tokens are valid (default: any non-empty one). */
  acceptToken?: (token: string) => boolean;
  /** Extra routes, consulted before the built-in ones. */
  routes?: Route[];
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The matched route's name, when one matched. */
  route?: string;
  subscriptionId?: string;
  authorized: boolean;
  status: number;
  /** Set when a scripted fault or the token bucket answered instead of the route. */
  injected?: "fault" | "throttle";
  /** The Host header: which name the client used for the emulator. */
  host: string;
  body?: unknown;
}

export interface ArmEmulator {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  /** For NODE_EXTRA_CA_CERTS in spawned processes. */
  caPath: string;
  /** For tlsOptions: { ca } in process. */
  caPem: string;
  /** Live state: edit it and later reads see the change. */
  fleet: Fleet;
  requests: LoggedRequest[];
  addRoute(route: Route): void;
  addFault(fault: ScriptedFault): void;
  close(): Promise<void>;
}

const BUILT_IN_ROUTES: readonly Route[] = [...subscriptionRoutes, ...computeRoutes, graphRoute];

function subscriptionOf(path: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(path)?.[1]?.toLowerCase();
}

function faultMatches(fault: ScriptedFault, method: string, url: URL): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (fault.query && Object.entries(fault.query).some(([name, value]) => url.searchParams.get(name) !== value))
    return false;
  const path = url.pathname;
  return typeof fault.path === "string" ? path.toLowerCase().includes(fault.path.toLowerCase()) : fault.path.test(path);
}

function faultResponse(fault: FaultStatus, authorization: string): EmulatorResponse {
  const headers =
    fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : undefined;
  const message = fault.message ?? `Scripted fault ${fault.status}.`;
  return armError(
    fault.status,
    fault.code ?? "InjectedFault",
    fault.echoAuthorization ? `${message} ${echoOf(authorization)}` : message,
    headers,
  );
}

/** The header as sent, and the token alone: a redaction must catch both. */
function echoOf(authorization: string): string {
  const token = authorization.replace(/^Bearer\s+/i, "");
  return `The request had Authorization: ${authorization}; the token ${token} is not valid for this scope.`;
}

/** What a dropping fault asks of the server: no answer at all. */
type Drop = { drop: FaultDrop["drop"] };

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  const body = response.body === undefined ? "" : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...(body ? { "content-type": "application/json; charset=utf-8" } : {}),
    "x-ms-request-id": crypto.randomUUID(),
    ...response.headers,
  });
  res.end(body);
}

export async function startArmEmulator(options: ArmEmulatorOptions): Promise<ArmEmulator> {
  const certificates = emulatorCertificates();
  const routes: Route[] = [...(options.routes ?? []), ...BUILT_IN_ROUTES];
  const faults = (options.faults ?? []).map((f) => ({ ...f, left: f.times ?? 1 }));
  const buckets = new Map<string, TokenBucket>();
  const bucketLimits = options.readBucket === undefined ? ARM_READ_BUCKET : options.readBucket;
  const acceptToken = options.acceptToken ?? ((token: string) => token.length > 0);
  const requests: LoggedRequest[] = [];
  const context: EmulatorContext = { fleet: options.fleet, origin: "", pageSize: options.pageSize ?? 100 };

  function throttle(
    method: string,
    subscriptionId: string | undefined,
  ): { response?: EmulatorResponse; headers: Record<string, string> } {
    if (!bucketLimits || !subscriptionId || method !== "GET") return { headers: {} };
    let bucket = buckets.get(subscriptionId);
    if (!bucket) {
      bucket = new TokenBucket(bucketLimits);
      buckets.set(subscriptionId, bucket);
    }
    if (!bucket.tryTake()) {
      const retryAfter = String(Math.max(1, Math.ceil(bucket.waitMs() / 1000)));
      const headers = { "retry-after": retryAfter, "x-ms-ratelimit-remaining-subscription-reads": "0" };
      return {
        response: armError(
          429,
          "TooManyRequests",
          "The request is being throttled as the limit has been reached for operation type - Read.",
          headers,
        ),
        headers,
      };
    }
    return { headers: { "x-ms-ratelimit-remaining-subscription-reads": String(bucket.remaining()) } };
  }

  async function answer(req: IncomingMessage, log: LoggedRequest, url: URL): Promise<EmulatorResponse | Drop> {
    const raw = await readBody(req);
    if (options.latencyMs) await sleep(options.latencyMs);
    const authorization = req.headers.authorization ?? "";
    const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
    log.authorized = token !== undefined && acceptToken(token);
    if (!log.authorized) return armError(401, "InvalidAuthenticationToken", "The access token is missing or invalid.");
    let body: unknown;
    try {
      body = raw === "" ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      return armError(400, "InvalidRequestContent", "The request content is not valid JSON.");
    }
    log.body = body;
    const match = matchRoute(routes, log.method, url.pathname);
    if (!match) return armError(404, "InvalidResourceType", `No route for ${log.method} ${url.pathname}.`);
    log.route = match.route.name;
    const apiVersion = url.searchParams.get("api-version") ?? "";
    if (!match.route.apiVersions.includes(apiVersion)) {
      return armError(
        400,
        "InvalidApiVersionParameter",
        `The api-version '${apiVersion}' is invalid. ` +
          `The supported versions are '${match.route.apiVersions.join(",")}'.`,
      );
    }
    const fault = faults.find((f) => f.left > 0 && faultMatches(f, log.method, url));
    if (fault) {
      fault.left -= 1;
      log.injected = "fault";
      return "drop" in fault ? { drop: fault.drop } : faultResponse(fault, authorization);
    }
    const throttled = throttle(log.method, log.subscriptionId);
    if (throttled.response) {
      log.injected = "throttle";
      return throttled.response;
    }
    const response = await match.route.handle({ method: log.method, url, params: match.params, body, context });
    return { ...response, headers: { ...throttled.headers, ...response.headers } };
  }

  const server = createServer({ key: certificates.key, cert: certificates.cert }, (req, res) => {
    const url = new URL(req.url ?? "/", context.origin);
    const subscriptionId = subscriptionOf(url.pathname);
    const log: LoggedRequest = {
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorized: false,
      status: 0,
      host: req.headers.host ?? "",
      ...(subscriptionId ? { subscriptionId } : {}),
    };
    requests.push(log);
    answer(req, log, url)
      .then((response) => {
        if ("drop" in response) {
          // A hung request stays open until the client gives up or the emulator closes.
          if (response.drop === "reset") req.socket.destroy();
          return;
        }
        log.status = response.status;
        send(res, response);
      })
      .catch((error: unknown) => {
        // A bug in the emulator must fail the test that hit it, visibly.
        log.status = 500;
        send(res, armError(500, "EmulatorBug", String(error)));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  context.origin = `https://127.0.0.1:${port}`;

  return {
    url: context.origin,
    port,
    caPath: certificates.caPath,
    caPem: certificates.caPem,
    fleet: options.fleet,
    requests,
    addRoute: (route) => routes.unshift(route),
    addFault: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
