import type { TokenCredential } from "@azure/identity";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { Cloud } from "../azure/clouds.js";
import type { ScanCollector } from "./collector.js";

// Everything the engines share: who signs, where ARM is, how requests are paced, where results go.

export interface ScanContext {
  credential: TokenCredential;
  cloud: Cloud;
  pacing: PipelinePolicy;
  concurrency: number;
  resourceGroup?: string | undefined;
  collector: ScanCollector;
}

/**
 * Options for every SDK client of the scan: the modular clients read `endpoint` and `credentials.scopes`,
 * the core-client ("track 2") ones `endpoint`, `$host` and `credentialScopes`. The SDK's own retries are
 * off: the pacing policy retries, with bounds the SDK lacks.
 */
export function clientOptions(context: ScanContext) {
  return {
    endpoint: context.cloud.armEndpoint,
    $host: context.cloud.armEndpoint,
    credentialScopes: [context.cloud.armScope],
    credentials: { scopes: [context.cloud.armScope] },
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: context.pacing, position: "perCall" as const }],
  };
}
