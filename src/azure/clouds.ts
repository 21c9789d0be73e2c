import { AzureAuthorityHosts } from "@azure/identity";

// ARM endpoints, token scopes and sign-in authorities of the public and sovereign clouds.

export const CLOUD_NAMES = ["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface Cloud {
  name: CloudName;
  armEndpoint: string;
  /** Always requested explicitly: a client pointed at a custom endpoint must still ask for ARM's audience. */
  armScope: string;
  authorityHost: string;
}

const CLOUDS: Record<CloudName, Omit<Cloud, "name">> = {
  AzureCloud: { armEndpoint: "https://management.azure.com", armScope: "https://management.azure.com/.default", authorityHost: AzureAuthorityHosts.AzurePublicCloud },
  AzureChinaCloud: { armEndpoint: "https://management.chinacloudapi.cn", armScope: "https://management.chinacloudapi.cn/.default", authorityHost: AzureAuthorityHosts.AzureChina },
  AzureUSGovernment: { armEndpoint: "https://management.usgovcloudapi.net", armScope: "https://management.usgovcloudapi.net/.default", authorityHost: AzureAuthorityHosts.AzureGovernment },
};

/** The cloud, with its ARM endpoint replaced by `armEndpoint` (a sovereign endpoint, the emulator) when given. */
export function resolveCloud(name: CloudName, armEndpoint?: string): Cloud {
  const cloud = { name, ...CLOUDS[name] };
  return armEndpoint ? { ...cloud, armEndpoint: armEndpoint.replace(/\/+$/, "") } : cloud;
}
