import { AzureCliCredential, DefaultAzureCredential, EnvironmentCredential, ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import { UsageError } from "../core/exit-codes.js";

// Credential and ARM endpoint from the flags `scan` and `remove` share.
// (Stand-in until src/scan/ exposes its own factory; keep the two in step.)

const ARM_ENDPOINTS: Record<string, string> = {
  AzureCloud: "https://management.azure.com",
  AzureChinaCloud: "https://management.chinacloudapi.cn",
  AzureUSGovernment: "https://management.usgovcloudapi.net",
};

export interface ArmTarget {
  endpoint: string;
  /** The cloud's ARM audience: kept even when --arm-endpoint points elsewhere. */
  scopes: string[];
}

export function armTarget(cloud: string, armEndpoint: string | undefined): ArmTarget {
  const audience = ARM_ENDPOINTS[cloud];
  if (!audience) throw new UsageError(`unknown cloud ${cloud}`);
  if (armEndpoint !== undefined && !/^https:\/\//i.test(armEndpoint)) throw new UsageError("--arm-endpoint must be an https:// URL (the SDK sends bearer tokens over TLS only)");
  return { endpoint: (armEndpoint ?? audience).replace(/\/+$/, ""), scopes: [`${audience}/.default`] };
}

export function createCredential(auth: string, tenantId: string | undefined): TokenCredential {
  switch (auth) {
    case "cli": return new AzureCliCredential(tenantId ? { tenantId } : {});
    case "managed-identity": return new ManagedIdentityCredential();
    case "env": return new EnvironmentCredential();
    case "default": return new DefaultAzureCredential(tenantId ? { tenantId } : {});
    default: throw new UsageError(`unknown --auth ${auth}`);
  }
}

/** Credential failures end the run with exit 2 instead of being reported per machine. */
export function isAuthError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return name === "CredentialUnavailableError" || name === "AuthenticationError" || name === "AggregateAuthenticationError" || status === 401;
}
