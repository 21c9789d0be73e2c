#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx), but the README's
// recipes: `npm run test:recipes` runs those (CI runs both). They install the package from npm's cache five
// times over, as users do, which no quick test run can afford (docs/performance.md, "The test run").
// `npm test -- codemod lint/sarif` runs only the files whose path contains one of the words.
import fg from "fast-glob";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const RECIPES = "test/recipes/recipes.test.ts";
const recipesOnly = process.argv[2] === "--recipes";
const filters = process.argv.slice(recipesOnly ? 3 : 2);
// The two workers finish together when the longest files start first (runtime proofs, the fleet emulator);
// the rest fill in behind them in name order.
const LONGEST_FIRST = ["test/runtime/", "test/remove/", "test/scan/"];
const rank = (file) => {
  const at = LONGEST_FIRST.findIndex((prefix) => file.startsWith(prefix));
  return at < 0 ? LONGEST_FIRST.length : at;
};
const files = (await fg("test/**/*.test.ts", { ignore: ["**/node_modules/**"] }))
  .filter((f) => (f === RECIPES) === recipesOnly)
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ") || "test/**/*.test.ts"}`);
  process.exit(1);
}
// A test file in a process of its own pays tsx's start again, which costs more than most files' tests; the
// files outside LONGEST_FIRST share processes instead, a few files each, run one after another in one batch
// in file order (Node runs top-level tests in order), each still reported under its own name.
const BATCH_SIZE = 6;
const batchDir = mkdtempSync(join(tmpdir(), "msi2imds-test-batches-"));
const alone = files.filter((f) => rank(f) < LONGEST_FIRST.length);
const shared = files.filter((f) => rank(f) === LONGEST_FIRST.length);
const batches = [];
for (let i = 0; i < shared.length; i += BATCH_SIZE) {
  const batch = join(batchDir, `batch-${batches.length + 1}.mjs`);
  const imports = shared
    .slice(i, i + BATCH_SIZE)
    .map((f) => `await import(${JSON.stringify(pathToFileURL(resolve(f)).href)});`);
  writeFileSync(batch, `${imports.join("\n")}\n`);
  batches.push(batch);
}

const env = { ...process.env };
// The reporter shows a batch's stderr when a test failed: it cannot tell which of the batch's files wrote it.
env.MSI2IMDS_TEST_BATCHES = batchDir;
// Tests talk to loopback only; a CI proxy must never see that traffic.
for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"])
  delete env[name];
env.NO_PROXY = env.no_proxy = "127.0.0.1,localhost";
// Every Node process reads NODE_EXTRA_CA_CERTS as it starts, and a run starts hundreds; no test trusts a CA
// from outside the repository (the ARM emulator hands its own to the children that need it). The recipes
// are a user's shell on this machine: npm there reaches the registry as the user's does, with the CAs the
// machine trusts (behind a TLS-inspecting proxy, the registry's certificate is signed by one of them).
if (!recipesOnly) delete env.NODE_EXTRA_CA_CERTS;
// V8's code cache for TypeScript goes to a folder of this run's own, not the user's cache.
const cacheDir = env.MSI2IMDS_CACHE_DIR === undefined ? mkdtempSync(join(tmpdir(), "msi2imds-test-cache-")) : undefined;
if (cacheDir) env.MSI2IMDS_CACHE_DIR = cacheDir;
// A short report (scripts/test-reporter.mjs); MSI2IMDS_TEST_REPORTER=spec (or tap) gives Node's own.
const reporter = env.MSI2IMDS_TEST_REPORTER || new URL("./test-reporter.mjs", import.meta.url).href;
const args = ["--import", "tsx", "--test", "--test-concurrency=2", `--test-reporter=${reporter}`];
const result = spawnSync(process.execPath, [...args, "--test-reporter-destination=stdout", ...alone, ...batches], {
  stdio: "inherit",
  env,
});
if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
rmSync(batchDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
