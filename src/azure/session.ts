import type { TokenCredential } from "@azure/identity";
import { rememberSecret } from "../core/redact.js";
import type { AuthKind, CloudName } from "./choices.js";
import { armClientOptions } from "./client-options.js";
import { resolveCloud, type Cloud } from "./clouds.js";
import { createCredential } from "./credentials.js";
import { createPacingPolicy, type RequestStats } from "./pacing-policy.js";
import { createRequestGuard } from "./request-guard.js";
import { armCompute, armResourceGraph, armSubscriptions } from "./sdk.js";
import { ARM_READ_BUCKET } from "./token-bucket.js";

// Everything scan and remove need to talk to ARM, made once from the user's choices: who signs, which
// cloud, one request guard (the ARM host only, no nextLink loops) and one pacing policy (read bucket,
// in-flight bound, bounded retries, per-request timeout, the run's deadline) shared by every client.

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
  /** An attempt with no whole answer by then is abandoned and retried. */
  requestTimeoutMs?: number | undefined;
  /** Aborts at the run's overall deadline (--timeout): nothing more is sent. */
  deadline?: AbortSignal | undefined;
}

/** Attempts per request, the first included. */
export const MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_DELAY_MS = 1000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** ARM's own gateway gives up on a request after about a minute; a little more is allowed here. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 100_000;

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
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      deadline: options.deadline,
    },
    stats,
  );
  rememberSecret(process.env.AZURE_CLIENT_SECRET);
  return {
    credential: rememberingTokens(createCredential(options.auth, cloud, options.tenant)),
    cloud,
    stats,
    clientOptions: armClientOptions({ cloud, guard: createRequestGuard(cloud.armEndpoint), pacing }),
  };
}

/** Every token the credential issues is remembered, so that no echo of it can reach an output. */
function rememberingTokens(credential: TokenCredential): TokenCredential {
  return {
    async getToken(scopes, options) {
      const token = await credential.getToken(scopes, options);
      rememberSecret(token?.token);
      return token;
    },
  };
}

/** The SDK clients scan and remove use, each signed and paced by the session. */
export function computeClient(azure: AzureSession, subscriptionId: string) {
  return new (armCompute().ComputeManagementClient)(azure.credential, subscriptionId, azure.clientOptions);
}

export function resourceGraphClient(azure: AzureSession) {
  return new (armResourceGraph().ResourceGraphClient)(azure.credential, azure.clientOptions);
}

export function subscriptionClient(azure: AzureSession) {
  return new (armSubscriptions().SubscriptionClient)(azure.credential, azure.clientOptions);
}
