import { standaloneNumber, standaloneWord } from "../files/prefilter.js";
import { EXTENSION_TOKEN_PATH } from "../imds.js";

// The cheap text test run on raw bytes before a file is parsed. It must never miss a file the analysis
// would flag: every extension URL spells its path or its port somewhere in the file (a port constant
// such as `port: 50342` included), and the old SDK entry points are named.

export const OLD_SDK_NAMES: readonly string[] = ["MSIVmTokenCredentials", "loginWithVmMSI"];

export function codemodPrefilterSources(ports: readonly number[]): string[] {
  return [
    EXTENSION_TOKEN_PATH.slice(1).replace("/", "\\/"),
    ...ports.map((port) => standaloneNumber(port)),
    ...OLD_SDK_NAMES.map((name) => standaloneWord(name)),
  ];
}
