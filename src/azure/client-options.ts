import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { Cloud } from "./clouds.js";

// Options for every SDK client scan and remove build. The modular clients read `endpoint` and
// `credentials.scopes`, the core-client ("track 2") ones `endpoint`, `$host` and `credentialScopes`. The
// SDK's own retries are off: the pacing policy retries, with bounds the SDK lacks (it sleeps for any
// Retry-After, however long, and does not retry a 429 without one).

export interface ArmAccess {
  cloud: Cloud;
  /** Runs first: refuses other hosts and nextLink loops before a request is paced or signed. */
  guard: PipelinePolicy;
  pacing: PipelinePolicy;
}

export function armClientOptions({ cloud, guard, pacing }: ArmAccess) {
  return {
    endpoint: cloud.armEndpoint,
    $host: cloud.armEndpoint,
    credentialScopes: [cloud.armScope],
    credentials: { scopes: [cloud.armScope] },
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [
      { policy: guard, position: "perCall" as const },
      { policy: pacing, position: "perCall" as const },
    ],
  };
}
