import { CONNECTION_PREFILTER, EXTENSION_URL_PREFILTER } from "../../../rules/support/endpoint-patterns.js";

// The raw-byte test a script passes before it is parsed: a loopback host and the token path, as lint's
// no-extension-endpoint-text asks (a port spliced in at run time included, so those reach a person), or
// the Azure CLI's --msi switches, as its no-legacy-msi-sdk does; or Python's http.client connected to the
// extension's host.

export function scriptPrefilter(_ports: readonly number[]): RegExp[] {
  return [new RegExp(EXTENSION_URL_PREFILTER, "i"), new RegExp(CONNECTION_PREFILTER), /--msi\b/];
}
