import assert from "node:assert/strict";
import { test } from "node:test";
import { assertNoToken } from "../scan/scan-helpers.js";
import { extensionId, fleetOf, scanReport, startWorld, vm, vmId } from "./world.js";

// remove against ARM as a flaky network and a hostile endpoint make it: its reads are retried, a delete
// Azure never finishes is polled only so long, the run has a deadline, and no reason it reports carries
// the bearer token an error message echoed.

interface JsonReport {
  results: { extensionId: string; outcome: string; reason?: string }[];
}

const POLL = ["--poll-interval", "5", "--retry-delay-ms", "5"];
// For a delete held until a deadline seconds away: polls every 5 ms would be hundreds of requests that prove
// nothing more than a few.
const HELD_POLL = ["--poll-interval", "100", "--retry-delay-ms", "5"];
const target = (name: string) => ({ id: vmId(name), kind: "virtualMachine" as const });
const byMachine = (report: JsonReport) =>
  Object.fromEntries(report.results.map((r) => [r.extensionId.split("/")[8], [r.outcome, r.reason ?? ""]]));

test("reads and deletes are retried: 503, 429 without Retry-After and a reset connection", async () => {
  const world = await startWorld(fleetOf([vm("vm-a")]));
  try {
    const extension = extensionId(vmId("vm-a"));
    world.arm.addFault({ path: extension, method: "GET", status: 503, code: "ServiceUnavailable" });
    world.arm.addFault({ path: extension, method: "DELETE", status: 429, code: "TooManyRequests" });
    world.arm.addFault({ path: extension, method: "DELETE", drop: "reset" });
    const run = await world.remove([
      "--from",
      world.report(scanReport("arm", [target("vm-a")])),
      "--yes",
      "-f",
      "json",
      ...POLL,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(byMachine(JSON.parse(run.stdout) as JsonReport), { "vm-a": ["removed", ""] });
    assert.deepEqual(
      world.requests("DELETE").map((r) => r.status),
      [429, 0, 202],
    );
  } finally {
    await world.close();
  }
});

test("a delete Azure never finishes is polled until --operation-timeout, then reported unfinished", async () => {
  const world = await startWorld(fleetOf([vm("vm-a")]));
  try {
    world.removal.script(extensionId(vmId("vm-a")), { hold: true });
    const from = world.report(scanReport("arm", [target("vm-a")]));
    const run = await world.remove(["--from", from, "--yes", "-f", "json", "--operation-timeout", "1", ...HELD_POLL]);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(byMachine(JSON.parse(run.stdout) as JsonReport), {
      "vm-a": ["interrupted", "Azure had not finished it after 1 s (--operation-timeout); run again to check on it"],
    });
    assert.ok(world.requests("GET", "/operations/").length >= 1, "the operation was polled before giving up");
  } finally {
    await world.close();
  }
});

test("at the --timeout deadline nothing new starts, polling stops, the report is written and the run exits 2", async () => {
  const world = await startWorld(fleetOf([vm("vm-a"), vm("vm-b")]));
  try {
    world.removal.script(extensionId(vmId("vm-a")), { hold: true });
    const from = world.report(scanReport("arm", [target("vm-a"), target("vm-b")]));
    const run = await world.remove([
      "--from",
      from,
      "--yes",
      "-f",
      "json",
      "--concurrency",
      "1",
      "--timeout",
      "2",
      ...HELD_POLL,
    ]);
    assert.equal(run.code, 2, run.stderr);
    // vm-a never finishes, so vm-b (one delete at a time) never starts. On a machine slow enough for the
    // deadline to come before vm-a's delete began, vm-a is not started either: the reasons say so both ways.
    const results = byMachine(JSON.parse(run.stdout) as JsonReport);
    assert.match(results["vm-a"]!.join(": "), /^(interrupted: stopped at|not-started:) the --timeout deadline/);
    assert.deepEqual(results["vm-b"], ["not-started", "the --timeout deadline passed before it started"]);
    assert.match(run.stderr, /stopped at the --timeout deadline; the run is incomplete/);
  } finally {
    await world.close();
  }
});

test("an error that echoes the Authorization header and the token is reported with both redacted", async () => {
  const world = await startWorld(fleetOf([vm("vm-a")]));
  try {
    world.arm.addFault({
      path: extensionId(vmId("vm-a")),
      method: "DELETE",
      status: 403,
      code: "AuthorizationFailed",
      echoAuthorization: true,
    });
    const from = world.report(scanReport("arm", [target("vm-a")]));
    const json = await world.remove(["--from", from, "--yes", "-f", "json", ...POLL]);
    assertNoToken(world.environment.token, json);
    const [outcome, reason] = byMachine(JSON.parse(json.stdout) as JsonReport)["vm-a"]!;
    assert.equal(outcome, "failed");
    assert.match(reason!, /Authorization: \[redacted\]/);
    world.arm.addFault({ path: extensionId(vmId("vm-a")), method: "DELETE", status: 403, echoAuthorization: true });
    assertNoToken(world.environment.token, await world.remove(["--from", from, "--yes", "--no-color", ...POLL]));
  } finally {
    await world.close();
  }
});
