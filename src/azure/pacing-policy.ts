import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { setTimeout as sleep } from "node:timers/promises";
import { Semaphore } from "./concurrency.js";
import { TokenBucket, type BucketLimits } from "./token-bucket.js";

// One pipeline policy for every SDK client of a scan. It replaces the SDK's retry policy (turned off with
// maxRetries: 0) because that one sleeps for any Retry-After, however long, and does not retry a 429
// without one. Here: a read bucket per subscription paces requests before ARM has to throttle, at most
// `concurrency` requests are in flight, and 429/408/5xx/socket errors are retried a bounded number of
// times, honouring Retry-After up to a cap and backing off exponentially without it.

export interface PacingOptions {
  readBucket: BucketLimits;
  concurrency: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff delay; doubles per attempt (with jitter). Tests lower it. */
  retryDelayMs: number;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  maxRetryAfterMs: number;
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
    for (let waited = 0; !bucket.tryTake() && waited < 1000; waited++) await sleep(Math.max(1, bucket.waitMs()));
    return bucket;
  }

  function backoffMs(attempt: number): number {
    const ceiling = Math.min(options.maxRetryAfterMs, options.retryDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  return {
    name: "msi2imdsPacingPolicy",
    async sendRequest(request, next) {
      const key = subscriptionKey(request.url);
      for (let attempt = 1; ; attempt++) {
        const bucket = await takeReadToken(key);
        let response: PipelineResponse | undefined;
        await inFlight.acquire();
        try {
          stats.requests += 1;
          response = await next(request);
        } catch (error) {
          if (attempt >= options.maxAttempts || !isRetriedError(error)) throw error;
        } finally {
          inFlight.release();
        }
        if (response) {
          const remaining = Number(response.headers.get("x-ms-ratelimit-remaining-subscription-reads"));
          if (
            response.headers.get("x-ms-ratelimit-remaining-subscription-reads") !== undefined &&
            Number.isFinite(remaining)
          )
            bucket.limitTo(remaining);
          if (!isRetriedStatus(response.status) || attempt >= options.maxAttempts) return response;
        }
        const hinted = response ? retryAfterMs(response) : undefined;
        stats.retries += 1;
        await sleep(hinted === undefined ? backoffMs(attempt) : Math.min(hinted, options.maxRetryAfterMs));
      }
    },
  };
}
