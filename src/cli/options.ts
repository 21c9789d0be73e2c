import { type Command, InvalidArgumentError, Option } from "commander";
import { UsageError } from "../core/exit-codes.js";
import { AUTH_KINDS, type AuthKind, CLOUD_NAMES, type CloudName } from "../azure/choices.js";
import { EXTENSION_COMMON_PORTS } from "../imds.js";

// Option values more than one command takes, checked as commander parses them: a bad value is a usage
// error (exit 2) worded the same way by every command.

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max?: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(
        max === undefined ? `expected a whole number ≥ ${min}` : `expected a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

/** Requests or operations in flight at once: scan and remove pace themselves to the same ARM limits. */
export const concurrency = wholeNumber(1, 256);

/** A repeatable `--port`: another port the extension listened on. */
function collectPort(value: string, previous: number[]): number[] {
  return [...previous, tcpPort(value)];
}

/** `--port`, with one meaning for fix and lint: a port besides the ones both check by default. */
export function withPortOption(command: Command): Command {
  return command.option(
    "--port <n>",
    `another port the extension listened on, besides ${EXTENSION_COMMON_PORTS.join(" and ")} (repeatable)`,
    collectPort,
    [] as number[],
  );
}

const tcpPort = wholeNumber(1, 65535);

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What chooses a fleet and how to reach it, the same for `scan` and for the scan `remove` runs itself. */
export function withFleetOptions(command: Command, defaults: { concurrency: number; engine: string }): Command {
  return command
    .addOption(new Option("--auth <kind>", "credential to use").choices(AUTH_KINDS).default("default"))
    .option("--tenant <id>", "tenant to sign in to (--auth default and cli)")
    .addOption(new Option("--cloud <name>", "Azure cloud").choices(CLOUD_NAMES).default("AzureCloud"))
    .option(
      "--arm-endpoint <url>",
      "ARM endpoint instead of the cloud's (sovereign clouds, the emulator); https only",
      httpsOrigin,
    )
    .option(
      "--subscription <id>",
      "subscription to scan (repeatable; default: every one the identity can see)",
      collectSubscription,
      [] as string[],
    )
    .option("--resource-group <name>", "only this resource group")
    .addOption(new Option("--engine <engine>", defaults.engine).choices(["arm", "graph"]).default("arm"))
    .option("--concurrency <n>", "ARM requests in flight at most (1-256)", concurrency, defaults.concurrency)
    .option(
      "--timeout <seconds>",
      "stop at this deadline, report what was done so far and exit 2 (0: no deadline)",
      wholeNumber(0),
      0,
    )
    .option(
      "--request-timeout <seconds>",
      "an ARM request with no answer by then is abandoned and retried",
      wholeNumber(1, 3600),
      100,
    )
    .option("--retry-delay-ms <ms>", "first backoff delay for retries (tests lower it)", wholeNumber(0, 60_000), 1000)
    .option("--max-retry-after <seconds>", "longest Retry-After honoured", wholeNumber(0, 3600), 60);
}

/** The fleet options' times as the Azure session takes them, in milliseconds. */
export interface FleetTimings {
  timeout: number;
  requestTimeout: number;
  retryDelayMs: number;
  maxRetryAfter: number;
}

/** What withFleetOptions gives both scan and remove, as commander hands it over. */
export interface FleetCommandOptions extends FleetTimings {
  auth: AuthKind;
  tenant?: string;
  cloud: CloudName;
  armEndpoint?: string;
  subscription: string[];
  resourceGroup?: string;
  engine: "arm" | "graph";
  concurrency: number;
  output?: string;
  color: boolean;
}

export function timingsInMs(options: FleetTimings) {
  return {
    timeoutMs: options.timeout * 1000,
    requestTimeoutMs: options.requestTimeout * 1000,
    retryDelayMs: options.retryDelayMs,
    maxRetryAfterMs: options.maxRetryAfter * 1000,
  };
}

/** --tenant chooses where to sign in only for credentials that sign in; the others read the environment. */
export function checkTenant(options: { tenant?: string; auth: string }): void {
  if (options.tenant && (options.auth === "managed-identity" || options.auth === "env")) {
    throw new UsageError(
      `--tenant applies to --auth default and cli; ${options.auth} takes its tenant from the environment`,
    );
  }
}

function collectSubscription(value: string, previous: string[]): string[] {
  if (!SUBSCRIPTION_ID.test(value)) throw new InvalidArgumentError("expected a subscription id (a GUID)");
  return [...previous, value];
}

/** The SDK sends bearer tokens over TLS only, so anything but https could never work. */
function httpsOrigin(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== "https:") throw new InvalidArgumentError("expected an https:// URL");
  return url.origin;
}

/** -c/--config, the same for fix and lint (fix takes its ports and ignored paths). */
export function withConfigOption(command: Command): Command {
  return command.option(
    "-c, --config <file>",
    "config file (default: msi2imds.config.json found upwards from the first path)",
  );
}

/** -f/--format, -o/--output and --no-color, the same on every command. */
export function withOutputOptions(command: Command, formats: readonly string[], defaultFormat: string): Command {
  return command
    .addOption(new Option("-f, --format <format>", "output format").choices(formats).default(defaultFormat))
    .option(
      "-o, --output <file>",
      "write the report to a file (atomically; parent folders are created) instead of stdout",
    )
    .option("--no-color", "plain text output");
}

/**
 * Colour for a human-readable report on stdout: never into a file or with --no-color; FORCE_COLOR turns it
 * on and NO_COLOR off, as every tool reads them; else only on a terminal.
 */
export function useColor(options: { color?: boolean; output?: string | undefined }): boolean {
  if (options.color === false || options.output !== undefined) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== "" && force !== "0" && force !== "false") return true;
  if (process.env.NO_COLOR) return false;
  return process.stdout.isTTY === true && process.env.TERM !== "dumb";
}
