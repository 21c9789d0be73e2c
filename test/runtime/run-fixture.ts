// Child entry: `node --import tsx --import <redirect-imds> run-fixture.ts <module> <clientId|-> [<module> <clientId|->…]`
// calls each fixture module's `getToken()` (or `getToken(clientId)`: a user-assigned identity) in turn and prints one
// JSON line per module on stdout: `{"result": …}` or `{"error": "…"}`. Between two modules it waits for a line on
// stdin, so the parent can tell which requests each one made. TypeScript and JSX modules load through tsx; tsx
// leaves .js/.mjs/.cjs to Node's own loader. What the modules log goes to stderr.
import { Console } from "node:console";
import { createInterface } from "node:readline";
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

async function run(file: string, clientId: string | undefined): Promise<{ result: unknown } | { error: string }> {
  try {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const getToken = getTokenOf(module);
    if (!getToken) return { error: `${file} exports no getToken function` };
    return { result: await (clientId === undefined ? getToken() : getToken(clientId)) };
  } catch (error) {
    return { error: `getToken failed: ${describeError(error)}` };
  }
}

async function main(steps: readonly string[]): Promise<void> {
  // stdout carries only the results: what the modules log goes to stderr.
  globalThis.console = new Console(process.stderr, process.stderr);
  const parent = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  for (let i = 0; i < steps.length; i += 2) {
    if (i > 0) await parent.next();
    const clientId = steps[i + 1] === "-" ? undefined : steps[i + 1];
    process.stdout.write(`${JSON.stringify(await run(steps[i]!, clientId))}\n`);
  }
  // Exit right away so a client's keep-alive socket cannot keep the child alive.
  process.stdout.write("", () => process.exit(0));
}

const steps = process.argv.slice(2);
if (steps.length === 0 || steps.length % 2 !== 0) {
  process.stderr.write("usage: run-fixture.ts <module> <clientId|-> [<module> <clientId|->…]\n");
  process.exit(2);
}
main(steps).catch((error: unknown) => {
  process.stderr.write(`run-fixture failed: ${describeError(error)}\n`);
  process.exit(1);
});
