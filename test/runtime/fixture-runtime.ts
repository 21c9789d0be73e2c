// Runs a codemod fixture pair for real: the input against a fake extension, the output against a fake IMDS, each
// on its own worker thread (a fresh isolate: nothing one run loads or sets is seen by another) with
// 169.254.169.254 and the extension ports redirected to the fakes. `checkPair`
// returns every way the pair falls short; [] means the migration provably kept its meaning.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  API_VERSION_PARAM,
  FORBIDDEN_IMDS_HEADER,
  METADATA_HEADER_NAME,
  METADATA_HEADER_VALUE,
} from "../../src/imds.js";
import { compiledEntry, compiledModule } from "../fakes/compiled.js";
import {
  readConnectionLog,
  REDIRECT_IMDS_PRELOAD,
  redirectedChildEnv,
  type ConnectionLogEntry,
} from "../fakes/connection-policy.js";
import {
  canonicalSelectorName,
  mintedToken,
  startFakeIdentityEndpoint,
  type IdentityEndpointKind,
  type RecordedRequest,
  type TokenRequest,
} from "../fakes/identity-endpoint.js";
import { CHILD_TIMEOUT_MS, type ChildOutcome } from "../fakes/redirected-child.js";
import { runRedirectedWorker } from "../fakes/redirected-worker.js";

const RUNNER = fileURLToPath(new URL("./run-fixture.ts", import.meta.url));

const PAIR_PATTERN = /^(.+)\.input\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export interface FixturePair {
  name: string;
  input: string;
  output: string;
}

/** Every `<case>.input.<ext>` in `dir` with its `<case>.output.<ext>`; a missing output is an error, not a skip. */
export function findFixturePairs(dir: string): FixturePair[] {
  const names = new Set(readdirSync(dir));
  const pairs: FixturePair[] = [];
  for (const name of [...names].sort()) {
    const match = PAIR_PATTERN.exec(name);
    if (!match) continue;
    const [, base, ext] = match;
    const output = `${base}.output.${ext}`;
    if (!names.has(output)) throw new Error(`${name} has no ${output} beside it`);
    pairs.push({ name: `${base}.${ext}`, input: join(dir, name), output: join(dir, output) });
  }
  return pairs;
}

/** A pair whose output is its input byte for byte is a negative or review case: nothing to run. */
export function isMigration(pair: FixturePair): boolean {
  return !readFileSync(pair.input).equals(readFileSync(pair.output));
}

export interface ModuleRun {
  outcome: ChildOutcome;
  /** What getToken() returned, when the child succeeded and printed JSON. */
  result?: unknown;
  extensionRequests: RecordedRequest[];
  imdsRequests: RecordedRequest[];
  connections: ConnectionLogEntry[];
}

/**
 * Runs one module's getToken() (getToken(clientId) when given) on a worker thread with a fresh fake extension and
 * fake IMDS behind the redirect.
 */
/**
 * A proxy the output runs under, where nothing listens: a client that takes the environment's proxy (axios,
 * request) fails there, and IMDS is reached only by one that goes direct, as it must be.
 */
export const DEAD_PROXY = "http://127.0.0.1:9";

export async function runModule(module: string, clientId?: string, proxy?: string): Promise<ModuleRun> {
  const extension = await startFakeIdentityEndpoint({ kind: "extension" });
  const imds = await startFakeIdentityEndpoint({ kind: "imds" });
  const logDir = mkdtempSync(join(tmpdir(), "msi2imds-runtime-"));
  const logFile = join(logDir, "connections.jsonl");
  try {
    const outcome = await runRedirectedWorker(
      compiledEntry(RUNNER),
      clientId === undefined ? [compiledModule(module)] : [compiledModule(module), clientId],
      {
        ...redirectedChildEnv({ imdsPort: imds.port, extensionPort: extension.port, logFile }),
        ...(proxy ? { HTTP_PROXY: proxy, HTTPS_PROXY: proxy, http_proxy: proxy, https_proxy: proxy } : {}),
      },
      pathToFileURL(compiledEntry(fileURLToPath(REDIRECT_IMDS_PRELOAD))).href,
    );
    let result: unknown;
    if (outcome.exitCode === 0) {
      try {
        result = JSON.parse(outcome.stdout);
      } catch {
        result = undefined;
      }
    }
    return {
      outcome,
      result,
      extensionRequests: extension.requests,
      imdsRequests: imds.requests,
      connections: readConnectionLog(logFile),
    };
  } finally {
    await Promise.all([extension.close(), imds.close()]);
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** The access token in what getToken() returned: the parsed token JSON or the token string itself. */
export function returnedToken(result: unknown): string | undefined {
  if (typeof result === "string") return result;
  if (
    typeof result === "object" &&
    result !== null &&
    typeof (result as { access_token?: unknown }).access_token === "string"
  ) {
    return (result as { access_token: string }).access_token;
  }
  return undefined;
}

function describeRun(label: string, run: ModuleRun): string {
  const { exitCode, timedOut, stderr } = run.outcome;
  if (timedOut) return `${label} hung: killed after ${CHILD_TIMEOUT_MS} ms`;
  if (exitCode !== 0) return `${label} failed (exit ${exitCode}): ${stderr.trim()}`;
  return `${label} printed no JSON: ${run.outcome.stdout.trim()}`;
}

function describeRejections(label: string, requests: readonly RecordedRequest[]): string[] {
  return requests
    .filter((request) => request.status !== 200)
    .map(
      (request) =>
        `${label} answered ${request.status} ${request.error} ` +
        `to ${request.method} ${request.path}?${new URLSearchParams(request.query)}`,
    );
}

function connectionProblems(label: string, connections: readonly ConnectionLogEntry[]): string[] {
  return connections
    .filter((connection) => connection.action === "refuse")
    .map((connection) => `${label} tried to leave loopback: ${connection.host}:${connection.port}`);
}

/** The meaning of a token request: resource and selector, mi_res_id and msi_res_id being one selector. */
function meaning(request: TokenRequest): string {
  const selector = request.selector
    ? `${canonicalSelectorName(request.selector.name)}=${request.selector.value}`
    : "system-assigned";
  return `resource=${request.resource} ${selector}`;
}

function acceptedTokenRequests(requests: readonly RecordedRequest[]): TokenRequest[] {
  return requests.flatMap((request) => (request.tokenRequest ? [request.tokenRequest] : []));
}

function tokenProblems(
  label: string,
  run: ModuleRun,
  kind: IdentityEndpointKind,
  expectedFrom: TokenRequest | undefined,
): string[] {
  if (run.result === undefined) return [describeRun(label, run)];
  const token = returnedToken(run.result);
  if (token === undefined)
    return [`${label} returned neither a token string nor an object with access_token: ${JSON.stringify(run.result)}`];
  if (!expectedFrom) return [];
  const expected = mintedToken(kind, expectedFrom.resource, expectedFrom.selector);
  return token === expected
    ? []
    : [`${label} returned a token that is not the fake ${kind}'s for ${meaning(expectedFrom)}`];
}

/** What the rules demand of every request the migrated code sends to IMDS, beyond the fake's own checks. */
function imdsRequestProblems(requests: readonly RecordedRequest[]): string[] {
  return requests.flatMap((request) => {
    const problems: string[] = [];
    const where = `output's ${request.method} ${request.path}`;
    if (request.method !== "GET") problems.push(`${where}: method is not GET`);
    const apiVersions = request.query.filter(([name]) => name === API_VERSION_PARAM).length;
    if (apiVersions !== 1) problems.push(`${where}: ${API_VERSION_PARAM} appears ${apiVersions} times`);
    if (request.headers[METADATA_HEADER_NAME.toLowerCase()] !== METADATA_HEADER_VALUE)
      problems.push(`${where}: no ${METADATA_HEADER_NAME}: ${METADATA_HEADER_VALUE}`);
    if (request.headers[FORBIDDEN_IMDS_HEADER.toLowerCase()] !== undefined)
      problems.push(`${where}: sends ${FORBIDDEN_IMDS_HEADER}`);
    // IMDS tolerates it, but the issue asks that a Content-Type which only served the form body goes with it.
    if (/^application\/x-www-form-urlencoded/i.test(String(request.headers["content-type"] ?? "")))
      problems.push(`${where}: keeps the form Content-Type`);
    return problems;
  });
}

export interface PairVerdict {
  problems: string[];
  input: ModuleRun;
  output: ModuleRun;
}

/** A module that takes a client id (`getToken(clientId?)`) is run for a user-assigned identity too. */
export function takesClientId(pair: FixturePair): boolean {
  return /\bgetToken\s*\(\s*clientId\b/.test(readFileSync(pair.input, "utf8"));
}

export const USER_ASSIGNED_CLIENT_ID = "5e1f0c3a-7b2d-4c8e-9f61-0a2b3c4d5e6f";

/**
 * Runs both halves of a pair and lists every way the migration failed to keep working or keep its meaning.
 * With a client id, both halves get it and must ask for that user-assigned identity.
 */
export async function checkPair(pair: FixturePair, clientId?: string): Promise<PairVerdict> {
  // Each half has fakes of its own, so both run at once.
  const [input, output] = await Promise.all([
    runModule(pair.input, clientId),
    runModule(pair.output, clientId, DEAD_PROXY),
  ]);
  const inputAsked = acceptedTokenRequests(input.extensionRequests);
  const outputAsked = acceptedTokenRequests(output.imdsRequests);
  const problems: string[] = [];
  // A user-assigned run proves nothing if the input never sent the id.
  if (clientId !== undefined && !inputAsked.some((request) => request.selector?.value === clientId))
    problems.push(`input never asked the extension for client_id ${clientId}`);

  // The input must have worked against the extension: a fixture that never worked proves nothing.
  if (input.extensionRequests.length === 0) problems.push("input never called the extension");
  if (input.imdsRequests.length > 0) problems.push("input called IMDS, so it is no extension fixture");
  problems.push(...describeRejections("extension", input.extensionRequests));
  problems.push(...tokenProblems("input", input, "extension", inputAsked.at(-1)));

  // The output must work against IMDS, asking for the same resource and identity.
  if (output.imdsRequests.length === 0) problems.push("output never called IMDS");
  if (output.extensionRequests.length > 0) problems.push("output still calls the extension");
  problems.push(...describeRejections("IMDS", output.imdsRequests));
  problems.push(...imdsRequestProblems(output.imdsRequests));
  problems.push(...tokenProblems("output", output, "imds", inputAsked.at(-1)));
  const inputMeaning = inputAsked.map(meaning);
  const outputMeaning = outputAsked.map(meaning);
  if (inputAsked.length > 0 && JSON.stringify(inputMeaning) !== JSON.stringify(outputMeaning)) {
    problems.push(
      `input asked the extension for [${inputMeaning.join("; ")}] ` +
        `but output asked IMDS for [${outputMeaning.join("; ")}]`,
    );
  }

  problems.push(...connectionProblems("input", input.connections), ...connectionProblems("output", output.connections));
  return { problems, input, output };
}
