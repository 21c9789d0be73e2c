import { escapeRegExp, standaloneNumber, standaloneWord } from "../../src/core/patterns.js";
import { EXTENSION_TOKEN_PATH, IMDS_TOKEN_PATH } from "../../src/imds.js";

// The cheap text test run on raw bytes before a file is parsed, shared by fix and lint's
// no-extension-endpoint. It must never miss a file the analysis would flag: every extension URL spells
// its port (a port constant such as `port: 50342` included) or its path somewhere in the file: whole,
// with its "/" escaped, or cut into two literals joined with +; and the old SDK entry points are named.
// The token path counts only when it is not IMDS's own (/metadata/identity/oauth2/token): files of IMDS
// clients (the Azure SDKs, MSAL) are then never parsed.
// Not caught: a port that is not a number in the file together with a path split across two constants
// (`BASE = \`…:${port}/oauth2\``, later `BASE + "/token"`). Any literal ending in "/oauth2" would catch it,
// and would send MSAL's 1.3 MB bundles to the parser: lint and fix would take 2.5 times as long.

/** The old SDK entry points (codemod/legacy-sdk.ts judges them by the version the project pins). */
export const OLD_SDK_NAMES: readonly string[] = [
  "MSIVmTokenCredentials",
  "MSITokenCredentials",
  "loginWithVmMSI",
  "loginWithMSI",
];

/** Any of them named: what a document's JS block may call without the URL. */
export const OLD_SDK_CALL = new RegExp(OLD_SDK_NAMES.map(standaloneWord).join("|"));

// Without its leading "/": a relative path ("oauth2/token", resolved against a base URL) counts too.
const TOKEN_PATH = EXTENSION_TOKEN_PATH.slice(1);
const IMDS_PATH_PREFIX = IMDS_TOKEN_PATH.slice(0, -TOKEN_PATH.length);

/** The URL path in any case, as the analysis reads it; the SDK names in theirs, as JavaScript does. */
export function codemodPrefilter(ports: readonly number[]): RegExp[] {
  const [first, second] = TOKEN_PATH.split("/") as [string, string];
  return [
    new RegExp(`(?<!${escapeRegExp(IMDS_PATH_PREFIX)})${escapeRegExp(TOKEN_PATH)}`, "i"),
    // The path with its "/" escaped in a string (`\/`, `\u002F`, `\x2F`, `\u{2F}`) …
    new RegExp(`${escapeRegExp(first)}\\\\(?:/|u002f|x2f|u\\{0*2f\\})${escapeRegExp(second)}`, "i"),
    // … or cut in two literals joined right there ("/oauth2/" + "token"), as written, in its own case.
    new RegExp(`/${escapeRegExp(first)}/?["'\`]\\s*\\+\\s*["'\`]/?${escapeRegExp(second)}`),
    ...ports.map((port) => new RegExp(standaloneNumber(port))),
    ...OLD_SDK_NAMES.map((name) => new RegExp(standaloneWord(name))),
  ];
}
