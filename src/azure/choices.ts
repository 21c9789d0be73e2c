// What a user chooses on the command line for Azure access: kept apart from the SDKs, so the command
// line can list the choices without loading them.

export const CLOUD_NAMES = ["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

/** default: DefaultAzureCredential; the others name one credential, for a deterministic choice. */
export const AUTH_KINDS = ["default", "cli", "managed-identity", "env"] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];
