import type { CloudName } from "./choices.js";

// ARM endpoints, token scopes and sign-in authorities of the public and sovereign clouds (the authorities
// are @azure/identity's AzureAuthorityHosts, written out so that this table loads without the SDK).

export interface Cloud {
  name: CloudName;
  armEndpoint: string;
  /** Always requested explicitly: a client pointed at a custom endpoint must still ask for ARM's audience. */
  armScope: string;
  authorityHost: string;
}

const CLOUDS: Record<CloudName, Omit<Cloud, "name">> = {
  AzureCloud: {
    armEndpoint: "https://management.azure.com",
    armScope: "https://management.azure.com/.default",
    authorityHost: "https://login.microsoftonline.com",
  },
  AzureChinaCloud: {
    armEndpoint: "https://management.chinacloudapi.cn",
    armScope: "https://management.chinacloudapi.cn/.default",
    authorityHost: "https://login.chinacloudapi.cn",
  },
  AzureUSGovernment: {
    armEndpoint: "https://management.usgovcloudapi.net",
    armScope: "https://management.usgovcloudapi.net/.default",
    authorityHost: "https://login.microsoftonline.us",
  },
};

/** The cloud, with its ARM endpoint replaced by `armEndpoint` (a sovereign endpoint, the emulator) when given. */
export function resolveCloud(name: CloudName, armEndpoint?: string): Cloud {
  const cloud = { name, ...CLOUDS[name] };
  return armEndpoint ? { ...cloud, armEndpoint: armEndpoint.replace(/\/+$/, "") } : cloud;
}
