import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CLI, EXTENSION_PY, makeRepo } from "../lint/helpers.js";

// Colour follows the conventions every tool reads: FORCE_COLOR turns it on through a pipe (CI logs render
// it), FORCE_COLOR=0 and NO_COLOR turn it off, --no-color wins, and a report written to a file never has it.

const ESC = "\u001b[";

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string } {
  const childEnv = { ...process.env, ...env };
  for (const name of ["NO_COLOR", "FORCE_COLOR"]) if (!(name in env)) delete childEnv[name];
  const child = spawnSync(process.execPath, [CLI, ...args], { cwd, env: childEnv, encoding: "utf8" });
  return { status: child.status, stdout: child.stdout };
}

describe("colour", () => {
  // Python for lint (no TypeScript to load), JavaScript for fix, whose diffs are what it colours.
  const python = makeRepo({ "token.py": EXTENSION_PY });
  const javascript = makeRepo({
    "fetch.js": 'export const t = fetch("http://localhost:50342/oauth2/token?resource=x");\n',
  });

  it("lint: FORCE_COLOR colours a pipe; FORCE_COLOR=0, NO_COLOR and --no-color do not", () => {
    assert.ok(run(python, ["lint"], { FORCE_COLOR: "1" }).stdout.includes(ESC));
    assert.ok(!run(python, ["lint"], {}).stdout.includes(ESC), "a pipe is plain by default");
    assert.ok(!run(python, ["lint"], { FORCE_COLOR: "0" }).stdout.includes(ESC));
    assert.ok(!run(python, ["lint"], { NO_COLOR: "1" }).stdout.includes(ESC));
    assert.ok(!run(python, ["lint", "--no-color"], { FORCE_COLOR: "1" }).stdout.includes(ESC));
  });

  it("fix: the same switches, read the same way", () => {
    assert.ok(run(javascript, ["fix"], { FORCE_COLOR: "1" }).stdout.includes(ESC));
    assert.ok(!run(javascript, ["fix", "--no-color"], { FORCE_COLOR: "1" }).stdout.includes(ESC));
  });

  it("a report written to a file is plain even with FORCE_COLOR", () => {
    assert.equal(run(python, ["lint", "-o", "out/lint.txt"], { FORCE_COLOR: "1" }).status, 1);
    const text = readFileSync(join(python, "out/lint.txt"), "utf8");
    assert.match(text, /token\.py/);
    assert.ok(!text.includes(ESC));
  });
});
