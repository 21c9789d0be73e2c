import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { setTimeout as sleep } from "node:timers/promises";
import { Semaphore } from "./concurrency.js";
import { DeadlineExceeded, RequestTimedOut } from "./errors.js";
import { TokenBucket, type BucketLimits } from "./token-bucket.js";

// One pipeline policy for every SDK client of a scan or a removal. It replaces the SDK's retry policy
// (turned off with maxRetries: 0) because that one sleeps for any Retry-After, however long, and does not
// retry a 429 without one. Here: a read bucket per subscription paces requests before ARM has to throttle,
// at most `concurrency` requests are in flight, and 429/408/5xx, socket errors and requests that get no
// answer within `requestTimeoutMs` are retried a bounded number of times, honouring Retry-After up to a cap
// and backing off exponentially without it. A failed status arrives either as a response (the modular
// clients) or thrown by the deserializer that core-client places after this policy (subscriptions,
// Resource Graph): both are retried alike. Once `deadline` aborts, nothing is sent, waits end and requests
// in flight are abandoned, each failing with a DeadlineExceeded.

export interface PacingOptions {
  readBucket: BucketLimits;
  concurrency: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff delay; doubles per attempt (with jitter). Tests lower it. */
  retryDelayMs: number;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  maxRetryAfterMs: number;
  /** An attempt with no whole answer by then is abandoned and counts as failed. */
  requestTimeoutMs: number;
  /** The run's overall deadline (--timeout), when it has one. */
  deadline?: AbortSignal | undefined;
}

export interface RequestStats {
  requests: number;
  retries: number;
}

const RETRIED_SOCKET_ERRORS = new Set([
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT",
  "ENOTFOUND",
  "EPIPE",
]);

function isRetriedStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

function isRetriedError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && RETRIED_SOCKET_ERRORS.has(code);
}

/** The response a core-client deserializer threw about, when it threw about one. */
function responseOf(error: unknown): PipelineResponse | undefined {
  const response = (error as { response?: PipelineResponse } | null)?.response;
  return typeof response?.status === "number" && typeof response.headers?.get === "function" ? response : undefined;
}

/** Retry-After in seconds or as an HTTP date, or the millisecond variants Azure services send. */
export function retryAfterMs(response: PipelineResponse, now = Date.now()): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = Number(response.headers.get(name));
    if (response.headers.get(name) !== undefined && Number.isFinite(value) && value >= 0) return value;
  }
  const header = response.headers.get("retry-after");
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function subscriptionKey(url: string): string {
  return /\/subscriptions\/([^/?]+)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? "tenant";
}

export function createPacingPolicy(options: PacingOptions, stats: RequestStats): PipelinePolicy {
  const buckets = new Map<string, TokenBucket>();
  const inFlight = new Semaphore(options.concurrency);

  async function takeReadToken(key: string): Promise<TokenBucket> {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(options.readBucket);
      buckets.set(key, bucket);
    }
    // Bounded: each wait is at most one refill interval, and the bucket refills while we wait.
    for (let waited = 0; !bucket.tryTake() && waited < 1000; waited++) await pause(Math.max(1, bucket.waitMs()));
    return bucket;
  }

  function backoffMs(attempt: number): number {
    const ceiling = Math.min(options.maxRetryAfterMs, options.retryDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** Sends once, under the attempt's own timeout and the deadline; what came back, or what failed. */
  async function attempt(request: PipelineRequest, next: SendRequest): Promise<Attempt> {
    const callers = request.abortSignal;
    const abandon = new AbortController();
    const timer = setTimeout(() => abandon.abort(TIMED_OUT), options.requestTimeoutMs);
    const stop = () => abandon.abort(STOPPED);
    callers?.addEventListener("abort", stop);
    options.deadline?.addEventListener("abort", stop);
    if (callers?.aborted || options.deadline?.aborted) stop();
    request.abortSignal = abandon.signal;
    await inFlight.acquire();
    try {
      stats.requests += 1;
      const response = await next(request);
      return { response, retried: isRetriedStatus(response.status) };
    } catch (error) {
      if (options.deadline?.aborted) return { failure: new DeadlineExceeded(), retried: false };
      if (abandon.signal.reason === TIMED_OUT)
        return { failure: new RequestTimedOut(options.requestTimeoutMs), retried: true };
      const response = responseOf(error);
      if (response) return { failure: error, response, retried: isRetriedStatus(response.status) };
      return { failure: error, retried: isRetriedError(error) };
    } finally {
      inFlight.release();
      clearTimeout(timer);
      callers?.removeEventListener("abort", stop);
      options.deadline?.removeEventListener("abort", stop);
      request.abortSignal = callers;
    }
  }

  /** A pause that the deadline ends early, as a DeadlineExceeded. */
  async function pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, options.deadline ? { signal: options.deadline } : {});
    } catch {
      throw new DeadlineExceeded();
    }
  }

  return {
    name: "msi2imdsPacingPolicy",
    async sendRequest(request, next) {
      const key = subscriptionKey(request.url);
      for (let attemptNumber = 1; ; attemptNumber++) {
        if (options.deadline?.aborted) throw new DeadlineExceeded();
        const bucket = await takeReadToken(key);
        const outcome = await attempt(request, next);
        if (outcome.response) limitToRemainingReads(bucket, outcome.response);
        if (!outcome.retried || attemptNumber >= options.maxAttempts) {
          if ("failure" in outcome) throw outcome.failure;
          return outcome.response!;
        }
        const hinted = outcome.response ? retryAfterMs(outcome.response) : undefined;
        stats.retries += 1;
        await pause(hinted === undefined ? backoffMs(attemptNumber) : Math.min(hinted, options.maxRetryAfterMs));
      }
    },
  };
}

/**
 * One try: a response (a failed status included, from the modular clients), or a failure (thrown with the
 * response it is about, by core-client's deserializer). `retried`: worth another try.
 */
type Attempt =
  | { response: PipelineResponse; retried: boolean }
  | { failure: unknown; response?: PipelineResponse; retried: boolean };

function limitToRemainingReads(bucket: TokenBucket, response: PipelineResponse): void {
  const header = response.headers.get("x-ms-ratelimit-remaining-subscription-reads");
  const remaining = Number(header);
  if (header !== undefined && Number.isFinite(remaining)) bucket.limitTo(remaining);
}

const TIMED_OUT = Symbol("no answer in time");
const STOPPED = Symbol("stopped by the caller or the deadline");
