// Where a test child may connect. The preload `redirect-imds.ts` applies this policy to every TCP connection;
// a parent test uses `redirectedChildEnv` and `REDIRECT_IMDS_PRELOAD` to spawn such a child and
// `readConnectionLog` to prove afterwards that nothing left loopback.
//
//   spawn(process.execPath, ["--import", "tsx", "--import", REDIRECT_IMDS_PRELOAD, "child.ts"],
//         { env: redirectedChildEnv({ imdsPort: imds.port, extensionPort: extension.port, logFile }) });
import { readFileSync } from "node:fs";
import { isIPv4 } from "node:net";
import { EXTENSION_COMMON_PORTS, IMDS_HOST } from "../../src/imds.js";

/** Environment variables the preload reads. */
export const REDIRECT_ENV = {
  /** 169.254.169.254:80 goes to 127.0.0.1:<this>; without it IMDS is refused. */
  imdsPort: "FAKE_IMDS_PORT",
  /** localhost / 127.0.0.1 / ::1 on the extension ports (50342, 50343) go to 127.0.0.1:<this>. */
  extensionPort: "FAKE_EXTENSION_PORT",
  /** File that receives one JSON line per connection attempt. */
  logFile: "REDIRECT_IMDS_LOG",
} as const;

/** The preload module, for `node --import tsx --import <this>` (tsx first: the preload is TypeScript). */
export const REDIRECT_IMDS_PRELOAD = new URL("./redirect-imds.ts", import.meta.url).href;

const IMDS_PORT = 80;
/** Where redirected connections go: the fakes listen on IPv4 loopback. */
export const REDIRECT_TARGET_HOST = "127.0.0.1";
const PROXY_VARIABLES = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "ALL_PROXY",
  "NO_PROXY",
  "npm_config_proxy",
  "npm_config_https_proxy",
];

export type ConnectionDecision =
  | { action: "loopback" }
  | { action: "redirect"; port: number }
  | { action: "refuse"; reason: string };

export interface ConnectionLogEntry {
  host: string;
  port: number;
  action: ConnectionDecision["action"];
  /** The loopback port a redirected connection went to. */
  to?: number;
}

function isLoopback(host: string): boolean {
  return (
    host === "localhost" || host === "::1" || (isIPv4(host) && host.startsWith("127.")) || /^::ffff:127\./i.test(host)
  );
}

function portFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = Number(env[name]);
  return Number.isInteger(value) && value > 0 && value < 65536 ? value : undefined;
}

/** Decides a connection to host:port before a single packet is sent. */
export function decideConnection(rawHost: string, port: number, env: NodeJS.ProcessEnv): ConnectionDecision {
  const host = rawHost.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (host === IMDS_HOST) {
    const imdsPort = portFrom(env, REDIRECT_ENV.imdsPort);
    if (port !== IMDS_PORT) return { action: "refuse", reason: `IMDS listens on port ${IMDS_PORT} only` };
    if (imdsPort === undefined)
      return { action: "refuse", reason: `${REDIRECT_ENV.imdsPort} is not set, so there is no fake IMDS` };
    return { action: "redirect", port: imdsPort };
  }
  if (!isLoopback(host)) return { action: "refuse", reason: "tests may reach loopback only" };
  const extensionPort = portFrom(env, REDIRECT_ENV.extensionPort);
  if (extensionPort !== undefined && EXTENSION_COMMON_PORTS.includes(port))
    return { action: "redirect", port: extensionPort };
  return { action: "loopback" };
}

export interface RedirectTargets {
  imdsPort?: number;
  extensionPort?: number;
  logFile?: string;
}

/** A child environment with the redirect targets set and every proxy variable removed (IMDS must not be proxied). */
export function redirectedChildEnv(targets: RedirectTargets, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    const isProxy = PROXY_VARIABLES.some((proxy) => proxy.toLowerCase() === name.toLowerCase());
    // NODE_TEST_CONTEXT would make a child node process talk the test runner's protocol.
    if (!isProxy && name !== "NODE_TEST_CONTEXT" && !Object.values(REDIRECT_ENV).includes(name as never))
      env[name] = value;
  }
  if (targets.imdsPort !== undefined) env[REDIRECT_ENV.imdsPort] = String(targets.imdsPort);
  if (targets.extensionPort !== undefined) env[REDIRECT_ENV.extensionPort] = String(targets.extensionPort);
  if (targets.logFile !== undefined) env[REDIRECT_ENV.logFile] = targets.logFile;
  return env;
}

/** The connection attempts a child logged; [] when it made none. */
export function readConnectionLog(file: string): ConnectionLogEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as ConnectionLogEntry);
}
