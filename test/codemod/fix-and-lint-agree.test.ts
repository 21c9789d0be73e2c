import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { before, describe, it } from "node:test";
import { CLI, lint, lintJson, makeRepo, summary } from "../lint/helpers.js";

// fix and lint are one tool to the user: the same ports by default, the same suppressions, so the same files
// reported on the same tree; and a site a directive covers stays byte for byte under fix --write and lint --fix.

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/no-extension-endpoint");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

const URL = "http://localhost:50342/oauth2/token";
const RESOURCE = "?resource=https%3A%2F%2Fmanagement.azure.com%2F";
const call = (url: string) => `fetch(${url}, { headers: { Metadata: "true" } })`;

/** The README's Cloud Shell case in JS: the site under the directive is left, the other one is migrated. */
const NEXT_LINE =
  `export async function cloudShell() {\n` +
  `  // msi2imds-disable-next-line no-extension-endpoint -- Cloud Shell serves the legacy protocol\n` +
  `  return ${call(`"${URL}${RESOURCE}"`)};\n` +
  `}\n` +
  `export async function vm() {\n` +
  `  return ${call(`"${URL}${RESOURCE}"`)};\n` +
  `}\n`;

const BLOCK =
  `/* msi2imds-disable no-extension-endpoint -- a test double of the extension */\n` +
  `export const a = () => ${call(`"${URL}${RESOURCE}"`)};\n` +
  `export const b = () => ${call(`"${URL}${RESOURCE}"`)};\n` +
  `/* msi2imds-enable no-extension-endpoint */\n` +
  `export const c = () => ${call(`"${URL}${RESOURCE}"`)};\n`;

/** One constant, two calls: rewriting it for the call that is not suppressed would change the one that is. */
const SHARED_CONSTANT =
  `const TOKEN_URL = "${URL}${RESOURCE}";\n` +
  `// msi2imds-disable-next-line no-extension-endpoint -- Cloud Shell\n` +
  `export const shell = () => ${call("TOKEN_URL")};\n` +
  `export const vm = () => ${call("TOKEN_URL")};\n`;

/** The directive covers the constant's line, not the call. */
const SUPPRESSED_CONSTANT =
  `// msi2imds-disable-next-line no-extension-endpoint -- kept for the Cloud Shell build\n` +
  `const TOKEN_URL = "${URL}${RESOURCE}";\n` +
  `export const vm = () => ${call("TOKEN_URL")};\n`;

function fix(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, "fix", "--format", "json", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const report = JSON.parse(result.stdout) as {
    files: { path: string; status: string; review: { line: number; column: number; message: string }[] }[];
  };
  return { status: result.status, report };
}

function lintResults(cwd: string, ...args: string[]) {
  const run = lint(cwd, ["--format", "json", ...args]);
  return JSON.parse(run.stdout) as {
    filePath: string;
    messages: { ruleId: string; line: number; column: number }[];
  }[];
}

const DIRECTIVES = { "next.ts": NEXT_LINE, "block.ts": BLOCK, "shared.ts": SHARED_CONSTANT };

describe("fix and lint agree", () => {
  // fix --write over the directive cases, run once: the next two tests look at the same run.
  const fixed = makeRepo(DIRECTIVES);
  let fixReport: ReturnType<typeof fix>["report"];
  before(() => {
    fixReport = fix(fixed, "--write", "--force").report;
  });

  it("fix --write leaves every site a directive covers byte for byte", () => {
    const [root, report] = [fixed, fixReport];
    const after = (name: string) => readFileSync(join(root, name), "utf8");

    const next = after("next.ts").split("\n");
    assert.equal(next[2], `  return ${call(`"${URL}${RESOURCE}"`)};`, "the suppressed call is untouched");
    assert.match(next[5]!, /169\.254\.169\.254/, "the other call is migrated");
    const block = after("block.ts").split("\n");
    assert.deepEqual(block.slice(0, 4), BLOCK.split("\n").slice(0, 4), "the disabled block is untouched");
    assert.match(block[4]!, /169\.254\.169\.254/, "after msi2imds-enable, the call is migrated");
    assert.equal(after("shared.ts"), SHARED_CONSTANT, "the shared constant is not rewritten");

    const shared = report.files.find((f) => f.path === "shared.ts")!;
    assert.equal(shared.review.length, 1, "only the unsuppressed call is listed");
    assert.equal(shared.review[0]!.line, 4);
    assert.match(shared.review[0]!.message, /TOKEN_URL .*line 3.*msi2imds-disable directive/);
  });

  it("lint --fix leaves them byte for byte as well, and reports what fix reports", () => {
    const viaLint = makeRepo(DIRECTIVES);
    lint(viaLint, ["--fix"]);
    const viaFix = fixed;
    for (const name of Object.keys(DIRECTIVES)) {
      assert.equal(readFileSync(join(viaLint, name), "utf8"), readFileSync(join(viaFix, name), "utf8"), name);
    }
    assert.deepEqual(
      lintResults(viaLint).flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}`)),
      ["shared.ts:4 no-extension-endpoint"],
    );
  });

  it("a rewrite that would edit a line under a directive goes to review", () => {
    const root = makeRepo({ "constant.ts": SUPPRESSED_CONSTANT });
    const { report } = fix(root, "--write", "--force");
    assert.equal(readFileSync(join(root, "constant.ts"), "utf8"), SUPPRESSED_CONSTANT);
    assert.match(report.files[0]!.review[0]!.message, /would change line 2, which a msi2imds-disable directive keeps/);
  });

  it("report the same files on the same tree with default options", () => {
    const root = makeRepo({
      "default-port.ts": fixture("fetch-literal.input.ts"),
      "port-50343.ts": fixture("fetch-port-50343.input.ts"),
      "loopback.ts": fixture("fetch-loopback-ip-client-id.input.ts"),
      "review.js": fixture("unknown-client.review.js"),
      "suppressed.ts": NEXT_LINE.split("export async function vm")[0]!,
      "block.ts": BLOCK,
      "shared.ts": SHARED_CONSTANT,
      "imds.mjs": fixture("already-imds.valid.mjs"),
      "arc.ts": fixture("azure-arc.valid.ts"),
    });
    const fixed = fix(root).report.files.filter((f) => f.status === "changed" || f.review.length > 0);
    const linted = lintResults(root).filter((r) => r.messages.some((m) => m.ruleId === "no-extension-endpoint"));
    const names = (paths: string[]) => [...paths].sort();
    assert.deepEqual(names(fixed.map((f) => f.path)), [
      "block.ts",
      "default-port.ts",
      "loopback.ts",
      "port-50343.ts",
      "review.js",
      "shared.ts",
    ]);
    assert.deepEqual(names(linted.map((r) => r.filePath)), names(fixed.map((f) => f.path)));
  });

  it("report the same scripts too: rewrites, cases for a person, hybrids and origins, at the same places", () => {
    const scripts = resolve(FIXTURES, "../fix-shell");
    const script = (name: string) => readFileSync(join(scripts, name), "utf8");
    const root = makeRepo({
      "rewrite.sh": script("curl-form-content-type.input.sh"),
      "cloud-shell.sh": script("cloud-shell-fallback.review.sh"),
      "hybrid.sh": script("hybrid-url.review.sh"),
      "origin.ps1": readFileSync(join(scripts, "../fix-powershell/split-url.review.ps1"), "utf8"),
      "suppressed.sh": script("suppressed.valid.sh"),
      "imds.sh":
        '#!/bin/sh\ncurl -s -H Metadata:true "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x"\n',
      // A notebook's `!` line and %%bash cell are read as the scripts are.
      "notebook.ipynb": JSON.stringify({
        cells: [
          {
            cell_type: "code",
            metadata: {},
            outputs: [],
            source: `%%bash\n${script("curl-form-content-type.input.sh")}`,
          },
          {
            cell_type: "code",
            metadata: {},
            outputs: [],
            source: "!curl -s -H Metadata:true localhost:50342/oauth2/token",
          },
          { cell_type: "code", metadata: {}, outputs: [], source: `%%bash\n${script("suppressed.valid.sh")}` },
        ],
        metadata: {},
      }),
    });
    const fixed = fix(root).report.files.filter((f) => f.status === "changed" || f.review.length > 0);
    const linted = lintResults(root).filter((r) => r.messages.length > 0);
    const names = (paths: string[]) => [...paths].sort();
    assert.deepEqual(names(fixed.map((f) => f.path)), [
      "cloud-shell.sh",
      "hybrid.sh",
      "notebook.ipynb",
      "origin.ps1",
      "rewrite.sh",
    ]);
    assert.deepEqual(names(linted.map((r) => r.filePath)), names(fixed.map((f) => f.path)));
    // What fix leaves to a person stands where lint's finding stands.
    for (const file of fixed.filter((f) => f.status !== "changed")) {
      const lintedHere = linted.find((r) => r.filePath === file.path)!.messages;
      assert.deepEqual(
        file.review.map((r) => `${r.line}:${r.column}`),
        lintedHere.map((m) => `${m.line}:${m.column}`),
        file.path,
      );
    }
  });

  it("read the same config: its extra ports and its ignored paths, for fix as for lint", () => {
    const other = fixture("fetch-literal.input.ts").replace("50342", "50444");
    const root = makeRepo({
      "msi2imds.config.json": JSON.stringify({ ports: [50444], ignore: ["vendor/**"] }),
      "app/other-port.ts": other,
      "app/default-port.ts": fixture("fetch-literal.input.ts"),
      "vendor/lib.ts": fixture("fetch-literal.input.ts"),
    });
    const changed = fix(root)
      .report.files.filter((f) => f.status === "changed")
      .map((f) => f.path)
      .sort();
    assert.deepEqual(changed, ["app/default-port.ts", "app/other-port.ts"]);
    assert.deepEqual(
      lintResults(root)
        .map((r) => r.filePath)
        .sort(),
      changed,
    );
    // Named on the command line, an ignored file is processed, as lint lints it.
    assert.equal(fix(root, "vendor/lib.ts").report.files[0]!.status, "changed");
  });

  it("az login --msi: lint fails the same files fix rewrites, suppressed lines alone, clean after", () => {
    const root = makeRepo({
      "deploy.ps1":
        "$sub = $(az login --msi --msi-port 50343 --query '[0].id' -o tsv)\n" +
        "az login --msi `\n  --msi-port 50342 `\n  --allow-no-subscriptions\n",
      "kept.sh":
        "# msi2imds-disable-next-line no-legacy-msi-sdk -- an image whose old CLI knows no --identity\n" +
        "az login --msi\n",
      "notes.sh": "# az login --msi was the old way\naz login --identity\n",
    });
    const failing = () => lintResults(root).map((r) => r.filePath);
    assert.deepEqual(failing(), ["deploy.ps1"]);
    const changed = fix(root).report.files.filter((f) => f.status === "changed");
    assert.deepEqual(
      changed.map((f) => f.path),
      ["deploy.ps1"],
    );
    fix(root, "--write", "--force");
    assert.equal(
      readFileSync(join(root, "deploy.ps1"), "utf8"),
      "$sub = $(az login --identity --query '[0].id' -o tsv)\naz login --identity `\n  --allow-no-subscriptions\n",
    );
    assert.match(readFileSync(join(root, "kept.sh"), "utf8"), /^az login --msi$/m);
    assert.deepEqual(failing(), []);
  });

  it("what fix writes passes the gate: every rewritten script and document fixture lints clean", () => {
    const root = resolve(import.meta.dirname, "../..");
    const outputs = ["fix-shell", "fix-python", "fix-powershell", "fix-docs", "fix-az-login"].flatMap((dir) =>
      readdirSync(join(root, "fixtures", dir))
        .filter((name) => name.includes(".output."))
        .map((name) => join("fixtures", dir, name)),
    );
    assert.ok(outputs.length >= 20, `the rewritten fixtures (${outputs.length})`);
    const { run, results } = lintJson(root, outputs);
    assert.deepEqual(summary(results), [], run.stderr);
    assert.equal(run.status, 0, run.stderr);
  });
});
