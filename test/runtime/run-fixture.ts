// Entry of a fixture run (compiled by test/fakes/compiled.ts, behind the redirect-imds preload, on a worker
// thread or in a child): `run-fixture <module> [clientId]` loads a fixture module, calls its `getToken()` (or
// `getToken(clientId)`: a user-assigned identity) and prints the JSON of what it returned on stdout. TypeScript
// fixtures arrive compiled; JavaScript loads as it is. Failures go to stderr with exit code 1.
import { Console } from "node:console";
import { pathToFileURL } from "node:url";

type GetToken = (clientId?: string) => Promise<unknown>;

function getTokenOf(module: Record<string, unknown>): GetToken | undefined {
  const candidates = [module.getToken, (module.default as Record<string, unknown> | undefined)?.getToken];
  return candidates.find((candidate): candidate is GetToken => typeof candidate === "function");
}

/** What a client's error carries, without the stack: the cause of a fetch error and the HTTP answer of axios/got. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = error as Error & {
    code?: string;
    cause?: unknown;
    response?: { status?: number; statusCode?: number; data?: unknown; body?: unknown };
  };
  const parts = [`${error.name}: ${error.message}`];
  if (details.code) parts.push(`code ${details.code}`);
  if (details.cause) parts.push(`cause ${describeError(details.cause)}`);
  const response = details.response;
  if (response)
    parts.push(`HTTP ${response.status ?? response.statusCode} ${JSON.stringify(response.data ?? response.body)}`);
  return parts.join("; ");
}

async function main(file: string, clientId: string | undefined): Promise<void> {
  // stdout carries only the result: what the module logs goes to stderr.
  globalThis.console = new Console(process.stderr, process.stderr);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const getToken = getTokenOf(module);
  if (!getToken) throw new Error(`${file} exports no getToken function`);
  const result = await (clientId === undefined ? getToken() : getToken(clientId));
  // Exit right away so a client's keep-alive socket cannot keep the child alive.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

const [file, clientId] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: run-fixture.ts <module> [clientId]\n");
  process.exit(2);
}
main(file, clientId).catch((error: unknown) => {
  process.stderr.write(`getToken failed: ${describeError(error)}\n`);
  process.exit(1);
});
