import type { IdentityDetails } from "../core/finding.js";

// A machine's managed identity as ARM, Resource Graph or a saved report show it, in one shape: type "None"
// when there is none (absent, null or empty), user-assigned identities as sorted ids (ARM sends a map
// keyed by id; a saved report, a list).

export interface RawIdentity {
  type?: unknown;
  userAssignedIdentities?: unknown;
}

export function normalizeIdentity(identity: RawIdentity | null | undefined): IdentityDetails {
  const type = typeof identity?.type === "string" && identity.type.trim() !== "" ? identity.type : "None";
  const assigned = identity?.userAssignedIdentities;
  const ids = Array.isArray(assigned)
    ? assigned.map(String)
    : typeof assigned === "object" && assigned !== null
      ? Object.keys(assigned)
      : [];
  return { type, userAssignedIdentities: ids.sort() };
}

/** IMDS serves tokens only to a machine with a system- or user-assigned identity. */
export function hasManagedIdentity(identity: IdentityDetails | undefined): boolean {
  return identity !== undefined && identity.type.toLowerCase() !== "none";
}
