import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { makeRepo } from "../lint/helpers.js";

// With many files left to read at the first candidate, the built CLI analyses on a second thread; a run
// through tsx (and any small run) analyses in process. Both must give the same report, in file order.

const FILLERS = 700;
/** Enough files that the built CLI screens on its second thread from the start (SCREENING_WORTHWHILE_FILES). */
const MANY_FILLERS = 4500;
const EXTENSION_CALL = 'export const token = fetch("http://localhost:50342/oauth2/token?resource=https://vault.azure.net", { headers: { Metadata: "true" } });\n';

function largeRepo(fillers = FILLERS): string {
  const files: Record<string, string> = {
    "a/first.ts": EXTENSION_CALL,
    "m/unparsable.ts": `${EXTENSION_CALL}export const broken = (;\n`,
    "m/port-from-env.js": 'fetch(`http://localhost:${process.env.PORT}/oauth2/token`);\n',
    "m/settings.py": 'URL = "http://localhost:50342/oauth2/token"\n',
    "z/last.mjs": EXTENSION_CALL.replace("50342", "50343"),
  };
  // Some fillers hold the port as a longer number: read, screened, and clear.
  for (let i = 0; i < fillers; i++) files[`f/${String(i).padStart(4, "0")}.ts`] = `export const n${i} = ${i % 7 === 0 ? "503420" : i};\n`;
  return makeRepo(files);
}

interface ChildRun {
  stdout: string;
  stderr: string;
  /** Did TypeScript load on the main thread? */
  typescriptOnMainThread: boolean;
}

/** Runs `call` on the module in a fresh process: the built one (threads possible) or the source through tsx. */
function runIn(cwd: string, build: "dist" | "src", module: string, call: string): ChildRun {
  const url = new URL(`../../${build === "dist" ? `dist/src/${module}.js` : `src/${module}.ts`}`, import.meta.url).href;
  const script = `const m = await import(${JSON.stringify(url)});
    const log = [], errors = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk) => (log.push(String(chunk)), true);
    process.stderr.write = (chunk) => (errors.push(String(chunk)), true);
    await ${call};
    const { createRequire } = await import("node:module");
    const cache = createRequire(import.meta.url).cache;
    // Asked as the process ends: TypeScript loaded after the command returned counts too.
    process.on("exit", () => {
      const loaded = Object.keys(cache).some((p) => /typescript\\.js$/.test(p));
      write(JSON.stringify({ stdout: log.join(""), stderr: errors.join(""), typescriptOnMainThread: loaded }));
    });`;
  const args = [...(build === "src" ? ["--import", import.meta.resolve("tsx")] : []), "--input-type=module", "-e", script];
  const child = spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as ChildRun;
}

const LINT = (output: string) => `m.runLint(["."], { format: "json", fix: false, port: [], updateBaseline: false, color: false, output: ${JSON.stringify(output)} })`;
const FIX = 'm.runFix(["."], { format: "text", port: [50343], apiVersion: "2018-02-01", color: false })';

test("lint on a second thread reports exactly what lint in process reports", () => {
  const root = largeRepo();
  const threaded = runIn(root, "dist", "lint/run", LINT("thread.json"));
  const inProcess = runIn(root, "src", "lint/run", LINT("in-process.json"));
  assert.equal(threaded.typescriptOnMainThread, false, "the built lint analysed on its thread");
  assert.equal(inProcess.typescriptOnMainThread, true);
  const report = readFileSync(join(root, "thread.json"), "utf8");
  assert.equal(report, readFileSync(join(root, "in-process.json"), "utf8"));
  assert.equal(threaded.stderr, inProcess.stderr);
  assert.match(threaded.stderr, /skipped m\/unparsable\.ts: JavaScript\/TypeScript does not parse/);
  const files = (JSON.parse(report) as { filePath: string; messages: { ruleId: string }[] }[]).map((f) => [basename(f.filePath), f.messages.map((m) => m.ruleId)]);
  assert.deepEqual(files, [
    ["first.ts", ["no-extension-endpoint"]],
    ["port-from-env.js", ["no-extension-endpoint"]],
    ["settings.py", ["no-extension-endpoint-text"]],
    ["last.mjs", ["no-extension-endpoint"]],
  ]);
});

test("fix on a second thread prints exactly what fix in process prints", () => {
  const root = largeRepo();
  const threaded = runIn(root, "dist", "codemod/run", FIX);
  const inProcess = runIn(root, "src", "codemod/run", FIX);
  assert.equal(threaded.typescriptOnMainThread, false, "the built fix analysed on its thread");
  assert.equal(inProcess.typescriptOnMainThread, true);
  const withoutTime = (text: string) => text.replace(/\(\d+ ms\)/, "");
  assert.equal(withoutTime(threaded.stdout), withoutTime(inProcess.stdout));
  const diffs = [...threaded.stdout.matchAll(/^--- a\/(\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(diffs, ["a/first.ts", "z/last.mjs"]);
  assert.match(threaded.stdout, /m\/port-from-env\.js:1:1 .*port comes from/);
  assert.match(threaded.stdout, /2 to change, \d+ unchanged, 1 skipped, 0 error\(s\), 1 need review/);
});

test("on a large tree, screening on the second thread from the start changes nothing in lint's or fix's output", () => {
  const root = largeRepo(MANY_FILLERS);
  const lintThreaded = runIn(root, "dist", "lint/run", LINT("thread.json"));
  const lintInProcess = runIn(root, "src", "lint/run", LINT("in-process.json"));
  assert.equal(lintThreaded.typescriptOnMainThread, false);
  assert.equal(readFileSync(join(root, "thread.json"), "utf8"), readFileSync(join(root, "in-process.json"), "utf8"));
  assert.equal(lintThreaded.stderr, lintInProcess.stderr);
  assert.equal((JSON.parse(readFileSync(join(root, "thread.json"), "utf8")) as unknown[]).length, 4);
  const fixThreaded = runIn(root, "dist", "codemod/run", FIX);
  const fixInProcess = runIn(root, "src", "codemod/run", FIX);
  const withoutTime = (text: string) => text.replace(/\(\d+ ms\)/, "");
  assert.equal(withoutTime(fixThreaded.stdout), withoutTime(fixInProcess.stdout));
  assert.match(fixThreaded.stdout, new RegExp(`2 to change, ${MANY_FILLERS + 1} unchanged, 1 skipped`));
});

test("a small run from the build analyses in process", () => {
  const root = makeRepo({ "a.ts": EXTENSION_CALL });
  const run = runIn(root, "dist", "lint/run", LINT("out.json"));
  assert.equal(run.typescriptOnMainThread, true);
  assert.match(readFileSync(join(root, "out.json"), "utf8"), /no-extension-endpoint/);
});
