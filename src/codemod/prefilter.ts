import { escapeRegExp, standaloneNumber, standaloneWord } from "../files/prefilter.js";
import { EXTENSION_TOKEN_PATH, IMDS_TOKEN_PATH } from "../imds.js";

// The cheap text test run on raw bytes before a file is parsed, shared by fix and lint's
// no-extension-endpoint. It must never miss a file the analysis would flag: every extension URL spells
// its path or its port somewhere in the file (a port constant such as `port: 50342` included), and the
// old SDK entry points are named. The token path counts only when it is not IMDS's own
// (/metadata/identity/oauth2/token): files of IMDS clients (the Azure SDKs, MSAL) are then never parsed.

export const OLD_SDK_NAMES: readonly string[] = ["MSIVmTokenCredentials", "loginWithVmMSI"];

// Without its leading "/": a relative path ("oauth2/token", resolved against a base URL) counts too.
const TOKEN_PATH = EXTENSION_TOKEN_PATH.slice(1);
const IMDS_PATH_PREFIX = IMDS_TOKEN_PATH.slice(0, -TOKEN_PATH.length);

/** The URL path in any case, as the analysis reads it; the SDK names in theirs, as JavaScript does. */
export function codemodPrefilter(ports: readonly number[]): RegExp[] {
  return [
    new RegExp(`(?<!${escapeRegExp(IMDS_PATH_PREFIX)})${escapeRegExp(TOKEN_PATH)}`, "i"),
    ...ports.map((port) => new RegExp(standaloneNumber(port))),
    ...OLD_SDK_NAMES.map((name) => new RegExp(standaloneWord(name))),
  ];
}
