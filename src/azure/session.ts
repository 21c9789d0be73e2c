import type { TokenCredential } from "@azure/identity";
import type { AuthKind, CloudName } from "./choices.js";
import { armClientOptions } from "./client-options.js";
import { resolveCloud, type Cloud } from "./clouds.js";
import { createCredential } from "./credentials.js";
import { createPacingPolicy, type RequestStats } from "./pacing-policy.js";
import { ARM_READ_BUCKET } from "./token-bucket.js";

// Everything scan and remove need to talk to ARM, made once from the user's choices: who signs, which
// cloud, and one pacing policy (read bucket, in-flight bound, bounded retries) shared by every client.

export interface AzureAccessOptions {
  auth: AuthKind;
  tenant?: string | undefined;
  cloud: CloudName;
  armEndpoint?: string | undefined;
  concurrency: number;
  /** First backoff delay; tests lower it. */
  retryDelayMs?: number | undefined;
  /** The longest Retry-After honoured. */
  maxRetryAfterMs?: number | undefined;
}

/** Attempts per request, the first included. */
export const MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_DELAY_MS = 1000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

export interface AzureSession {
  credential: TokenCredential;
  cloud: Cloud;
  stats: RequestStats;
  /** Options for every SDK client: endpoint, scope, the pacing policy, the SDK's own retries off. */
  clientOptions: ReturnType<typeof armClientOptions>;
}

export function openAzureSession(
  options: AzureAccessOptions,
  stats: RequestStats = { requests: 0, retries: 0 },
): AzureSession {
  const cloud = resolveCloud(options.cloud, options.armEndpoint);
  const pacing = createPacingPolicy(
    {
      readBucket: ARM_READ_BUCKET,
      concurrency: options.concurrency,
      maxAttempts: MAX_ATTEMPTS,
      retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
    },
    stats,
  );
  return {
    credential: createCredential(options.auth, cloud, options.tenant),
    cloud,
    stats,
    clientOptions: armClientOptions({ cloud, pacing }),
  };
}
