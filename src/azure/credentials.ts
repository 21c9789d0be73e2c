import type { TokenCredential } from "@azure/identity";
import type { AuthKind } from "./choices.js";
import type { Cloud } from "./clouds.js";
import { identity } from "./sdk.js";

// Which @azure/identity credential signs the requests of scan and remove. `default` is the usual chain; the
// others make the choice deterministic (CI with a managed identity, a dev box with az login, a service
// principal in the environment).

export function createCredential(kind: AuthKind, cloud: Cloud, tenantId?: string): TokenCredential {
  const tenant = tenantId ? { tenantId } : {};
  const { AzureCliCredential, DefaultAzureCredential, EnvironmentCredential, ManagedIdentityCredential } = identity();
  switch (kind) {
    case "default":
      return new DefaultAzureCredential({ ...tenant, authorityHost: cloud.authorityHost });
    case "cli":
      return new AzureCliCredential(tenant);
    case "managed-identity":
      return new ManagedIdentityCredential();
    case "env":
      // Reads AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET (or a certificate) itself.
      return new EnvironmentCredential({ authorityHost: cloud.authorityHost });
  }
}
