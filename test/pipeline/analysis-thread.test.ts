import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { makeRepo } from "../lint/helpers.js";
import { loadedTypeScript, NO_THREADS, runCli, spawnCli } from "../support/spawn-cli.js";

// With many files left to read at the first candidate, the built CLI analyses on a second thread; where no
// thread can start (NO_THREADS), and on any small run, it analyses in process. Both must give the same
// report, in file order.

const FILLERS = 700;
/** Enough files that the built CLI screens on its second thread from the start (SCREENING_WORTHWHILE_FILES). */
const MANY_FILLERS = 4500;
const EXTENSION_CALL =
  'export const token = fetch("http://localhost:50342/oauth2/token?resource=https://vault.azure.net", ' +
  '{ headers: { Metadata: "true" } });\n';

function largeRepo(fillers = FILLERS): string {
  const files: Record<string, string> = {
    "a/first.ts": EXTENSION_CALL,
    "m/unparsable.ts": `${EXTENSION_CALL}export const broken = (;\n`,
    "m/port-from-env.js": "fetch(`http://localhost:${process.env.MSI_PORT}/oauth2/token`);\n",
    "m/settings.py": 'URL = "http://localhost:50342/oauth2/token"\n',
    "z/last.mjs": EXTENSION_CALL.replace("50342", "50343"),
  };
  // Some fillers hold the port as a longer number: read, screened, and clear.
  for (let i = 0; i < fillers; i++)
    files[`f/${String(i).padStart(4, "0")}.ts`] = `export const n${i} = ${i % 7 === 0 ? "503420" : i};\n`;
  return makeRepo(files);
}

/** lint's JSON report into a file; fix's text on stdout. */
const LINT = (output: string) => ["lint", ".", "--format", "json", "--output", output];
const FIX = ["fix", ".", "--port", "50343"];

test("lint on a second thread reports exactly what lint in process reports", () => {
  const root = largeRepo();
  const threaded = spawnCli("dist", LINT("report.json"), root);
  const report = readFileSync(join(root, "report.json"), "utf8");
  const inProcess = spawnCli("dist", LINT("report.json"), root, {}, NO_THREADS);
  assert.equal(loadedTypeScript(threaded), false, "the built lint analysed on its thread");
  assert.equal(loadedTypeScript(inProcess), true);
  assert.equal(report, readFileSync(join(root, "report.json"), "utf8"));
  assert.equal(threaded.stderr, inProcess.stderr);
  assert.match(threaded.stderr, /skipped m\/unparsable\.ts: JavaScript\/TypeScript does not parse/);
  const files = (JSON.parse(report) as { filePath: string; messages: { ruleId: string }[] }[]).map((f) => [
    basename(f.filePath),
    f.messages.map((m) => m.ruleId),
  ]);
  assert.deepEqual(files, [
    ["first.ts", ["no-extension-endpoint"]],
    ["port-from-env.js", ["no-extension-endpoint"]],
    ["settings.py", ["no-extension-endpoint-text"]],
    ["unparsable.ts", ["no-extension-endpoint-text"]], // read as text
    ["last.mjs", ["no-extension-endpoint"]],
  ]);
});

test("fix on a second thread prints exactly what fix in process prints", () => {
  const root = largeRepo();
  const threaded = spawnCli("dist", FIX, root);
  const inProcess = spawnCli("dist", FIX, root, {}, NO_THREADS);
  assert.equal(loadedTypeScript(threaded), false, "the built fix analysed on its thread");
  assert.equal(loadedTypeScript(inProcess), true);
  const withoutTime = (text: string) => text.replace(/\(\d+ ms\)/, "");
  assert.equal(withoutTime(threaded.stdout), withoutTime(inProcess.stdout));
  const diffs = [...threaded.stdout.matchAll(/^--- a\/(\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(diffs, ["a/first.ts", "z/last.mjs"]);
  assert.match(threaded.stdout, /m\/port-from-env\.js:1:1 .*port comes from/);
  // fix reads Python too: settings.py's URL constant, read elsewhere, is one more case for a person.
  assert.match(threaded.stdout, /2 to change, \d+ unchanged, 1 skipped, 0 error\(s\), 2 need review/);
});

test("on a large tree, screening on the second thread from the start changes nothing in lint's or fix's output", () => {
  const root = largeRepo(MANY_FILLERS);
  const lintThreaded = spawnCli("dist", LINT("report.json"), root);
  const threadedReport = readFileSync(join(root, "report.json"), "utf8");
  const lintInProcess = runCli("dist", LINT("report.json"), root, {}, NO_THREADS);
  assert.equal(loadedTypeScript(lintThreaded), false);
  assert.equal(threadedReport, readFileSync(join(root, "report.json"), "utf8"));
  assert.equal(lintThreaded.stderr, lintInProcess.stderr);
  assert.equal((JSON.parse(threadedReport) as unknown[]).length, 5);
  const fixThreaded = runCli("dist", FIX, root);
  const fixInProcess = runCli("dist", FIX, root, {}, NO_THREADS);
  const withoutTime = (text: string) => text.replace(/\(\d+ ms\)/, "");
  assert.equal(withoutTime(fixThreaded.stdout), withoutTime(fixInProcess.stdout));
  // The fillers, plus a script fix now reads and leaves as it is.
  assert.match(fixThreaded.stdout, new RegExp(`2 to change, ${MANY_FILLERS + 2} unchanged, 1 skipped`));
});

test("a small run from the build analyses in process", () => {
  const root = makeRepo({ "a.ts": EXTENSION_CALL });
  const run = spawnCli("dist", LINT("report.json"), root);
  assert.equal(loadedTypeScript(run), true);
  assert.match(readFileSync(join(root, "report.json"), "utf8"), /no-extension-endpoint/);
});
