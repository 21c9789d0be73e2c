import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { test } from "node:test";

// `npm run demo:scan` walks the fleet job on the emulator from the sources (no build): scan, plan,
// remove, and a scan that finds nothing left.

test("the fleet demo goes from findings to a clean fleet", () => {
  // One stream, as a person sees it: the order of what scan and remove say is the point.
  const script = resolve(import.meta.dirname, "../../scripts/demo-scan.ts");
  const demo = spawnSync("bash", ["-c", `"${process.execPath}" --import tsx "${script}" 2>&1`], {
    encoding: "utf8",
    timeout: 600_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  assert.equal(demo.status, 0, demo.stdout);
  const output = demo.stdout;
  const steps = [
    "── 1. scan",
    "8 findings in 11 VMs",
    "── 2. remove",
    "nothing removed (plan only)",
    "── 3. remove --yes",
  ];
  steps.push(
    "[8/8] removed",
    "8 removed, 0 already gone, 0 skipped, 0 failed",
    "── 4. scan again",
    "no findings in 11 VMs",
  );
  let at = 0;
  for (const step of steps) {
    const found = output.indexOf(step, at);
    assert.ok(found >= 0, `"${step}" after what came before:\n${output}`);
    at = found;
  }
  assert.match(output, /exit codes 1, 1, 0, 0; .* 8 DELETEs/);
});
