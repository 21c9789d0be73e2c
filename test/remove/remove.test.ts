import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  SUBSCRIPTION,
  extensionId,
  fleetOf,
  scaleSet,
  scanReport,
  startWorld,
  until,
  vm,
  vmId,
  vmssId,
} from "./world.js";

// `msi2imds remove` end to end: the spawned CLI, the real @azure/arm-compute long-running operations and
// @azure/identity's ManagedIdentityCredential, against the HTTPS ARM emulator and its request log.

interface JsonReport {
  plan: {
    extensionId: string;
    action: string;
    reason?: string;
    remains?: string;
    confirmedInArm: boolean;
    upgradeInstances: boolean;
  }[];
  results: { extensionId: string; outcome: string; reason?: string; remains?: string; upgrade?: { outcome: string } }[];
}

const POLL = ["--poll-interval", "5"];
const vmTarget = (name: string, identity?: string) => ({ id: vmId(name), kind: "virtualMachine" as const, identity });
const outcomes = (report: JsonReport) =>
  Object.fromEntries(report.results.map((r) => [r.extensionId.split("/")[8], r.outcome]));

test(
  "VM and scale-set extensions are deleted through 202 + Azure-AsyncOperation polling; " + "other extensions stay",
  async () => {
    const world = await startWorld(fleetOf([vm("vm-a"), vm("vm-b")], [scaleSet("ss-auto", "Automatic")]));
    try {
      world.removal.script(extensionId(vmId("vm-a")), { polls: 3 });
      const from = world.report(
        scanReport("arm", [
          vmTarget("vm-a"),
          vmTarget("vm-b"),
          { id: vmssId("ss-auto"), kind: "virtualMachineScaleSet" },
        ]),
      );
      const run = await world.remove(["--from", from, "--yes", "--format", "json", ...POLL]);
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.deepEqual(outcomes(report), { "vm-a": "removed", "vm-b": "removed", "ss-auto": "removed" });
      const deletes = world.requests("DELETE");
      assert.deepEqual(deletes.map((r) => [r.route, r.status]).sort(), [
        ["virtualMachineExtensions.delete", 202],
        ["virtualMachineExtensions.delete", 202],
        ["virtualMachineScaleSetExtensions.delete", 202],
      ]);
      assert.ok(
        world.requests("GET", "/operations/").length >= 3 + 1 + 1,
        "the status monitor (Azure-AsyncOperation) was polled until done",
      );
      assert.equal(world.requests("GET", "/operationResults/").length, 0, "Azure-AsyncOperation wins over Location");
      const subscription = world.arm.fleet.subscriptions[0]!;
      for (const machine of [...subscription.virtualMachines, ...subscription.scaleSets]) {
        assert.deepEqual(
          machine.extensions.map((e) => e.name),
          ["AzureMonitorLinuxAgent"],
          machine.name,
        );
      }
      assert.ok(
        world.arm.requests.every((r) => r.authorized),
        "every ARM call carried a token",
      );
      assert.ok(!`${run.stdout}${run.stderr}`.includes(world.environment.token), "no token in the output");
    } finally {
      await world.close();
    }
  },
);

// The poll interval is ten minutes here: the test can only finish if the 1 s Retry-After is what is used.
test("Location-only polling honours Retry-After; a 429 on the re-check GET and on the DELETE are retried", {
  timeout: 120_000,
}, async () => {
  const world = await startWorld(fleetOf([vm("vm-a")]), { retryAfterSeconds: 1 });
  try {
    world.removal.script(extensionId(vmId("vm-a")), { polls: 2, locationOnly: true, throttle: 1 });
    world.arm.addFault({ path: extensionId(vmId("vm-a")), method: "GET", status: 429, code: "TooManyRequests" });
    const run = await world.remove([
      "--from",
      world.report(scanReport("arm", [vmTarget("vm-a")])),
      "--yes",
      "--format",
      "json",
      "--poll-interval",
      "600000",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(outcomes(JSON.parse(run.stdout) as JsonReport), { "vm-a": "removed" });
    assert.deepEqual(
      world.requests("GET", extensionId(vmId("vm-a"))).map((r) => r.status),
      [429, 200],
      "a 429 without Retry-After is retried too (the SDK alone would not)",
    );
    assert.deepEqual(
      world.requests("DELETE").map((r) => r.status),
      [429, 202],
    );
    const polls = world.requests("GET", "/operationResults/");
    assert.deepEqual(
      polls.map((r) => r.status),
      [202, 200],
      "the location was polled until it stopped answering 202",
    );
  } finally {
    await world.close();
  }
});

test(
  "a failed operation or a refused DELETE is reported as failed with the reason (exit 1); " + "the extension stays",
  async () => {
    const world = await startWorld(fleetOf([vm("vm-a"), vm("vm-b"), vm("vm-c")]));
    try {
      world.removal.script(extensionId(vmId("vm-b")), {
        fail: {
          code: "VMAgentStatusCommunicationError",
          message: "VM 'vm-b' has not reported status for VM agent or extensions.",
        },
      });
      world.arm.addFault({
        path: extensionId(vmId("vm-c")),
        method: "DELETE",
        status: 403,
        code: "AuthorizationFailed",
        message:
          "The client does not have authorization to perform action " +
          "'Microsoft.Compute/virtualMachines/extensions/delete'.",
      });
      const run = await world.remove([
        "--from",
        world.report(scanReport("arm", [vmTarget("vm-a"), vmTarget("vm-b"), vmTarget("vm-c")])),
        "--yes",
        "--format",
        "json",
        ...POLL,
      ]);
      assert.equal(run.code, 1, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.deepEqual(outcomes(report), { "vm-a": "removed", "vm-b": "failed", "vm-c": "failed" });
      assert.match(report.results[1]!.reason!, /VMAgentStatusCommunicationError.*has not reported status/);
      assert.match(report.results[2]!.reason!, /^HTTP 403: .*does not have authorization/);
      assert.equal(world.arm.fleet.subscriptions[0]!.virtualMachines[1]!.extensions.length, 2);
    } finally {
      await world.close();
    }
  },
);

test(
  "a machine ARM will not describe is left alone and makes the run incomplete (exit 2); " +
    "the others are still removed",
  async () => {
    const world = await startWorld(fleetOf([vm("vm-a"), vm("vm-b")]));
    try {
      // Resource Graph data is confirmed in ARM before anything is planned; vm-b's extension cannot be read.
      world.arm.addFault({
        path: extensionId(vmId("vm-b")),
        method: "GET",
        status: 400,
        code: "InvalidResourceReference",
        message: "broken",
        times: Infinity,
      });
      const run = await world.remove([
        "--from",
        world.report(scanReport("graph", [vmTarget("vm-a"), vmTarget("vm-b")])),
        "--yes",
        "--format",
        "json",
        ...POLL,
      ]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        /^msi2imds: 1 machine\(s\) could not be read from ARM and were left as they are; the run is incomplete$/m,
      );
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.deepEqual(outcomes(report), { "vm-a": "removed", "vm-b": "skipped" });
      assert.match(report.plan[1]!.reason!, /^could not read it from ARM: HTTP 400/);
      assert.deepEqual(
        world.requests("DELETE").map((r) => r.route),
        [world.requests("DELETE")[0]!.route],
      );
    } finally {
      await world.close();
    }
  },
);

test(
  "a 404 counts as already gone: on the re-check GET (no DELETE sent) and on the DELETE itself; " + "so does ARM's 204",
  async () => {
    const world = await startWorld(
      fleetOf([
        vm("vm-gone", "SystemAssigned", {
          name: "Other",
          publisher: "Microsoft.Azure.Monitor",
          type: "AzureMonitorLinuxAgent",
        }),
        vm("vm-race"),
        vm("vm-204"),
      ]),
    );
    try {
      world.arm.addFault({
        path: extensionId(vmId("vm-race")),
        method: "DELETE",
        status: 404,
        code: "ResourceNotFound",
      });
      world.arm.addFault({ path: extensionId(vmId("vm-204")), method: "DELETE", status: 204 });
      const run = await world.remove([
        "--from",
        world.report(scanReport("arm", [vmTarget("vm-gone"), vmTarget("vm-race"), vmTarget("vm-204")])),
        "--yes",
        "--format",
        "json",
        ...POLL,
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(outcomes(JSON.parse(run.stdout) as JsonReport), {
        "vm-gone": "already-gone",
        "vm-race": "already-gone",
        "vm-204": "already-gone",
      });
      assert.equal(world.requests("DELETE", "/vm-gone/").length, 0, "nothing is DELETEd that ARM says is not there");
      assert.equal(world.requests("DELETE", "/vm-race/").length, 1);
    } finally {
      await world.close();
    }
  },
);

test(
  "a scale set with a Manual upgrade policy: what remains is printed; " + "--upgrade-instances upgrades every instance",
  async () => {
    const world = await startWorld(fleetOf([], [scaleSet("ss-manual", "Manual"), scaleSet("ss-manual-2", "Manual")]));
    try {
      const from = world.report(scanReport("arm", [{ id: vmssId("ss-manual"), kind: "virtualMachineScaleSet" }]));
      const plain = await world.remove(["--from", from, "--yes", "--no-color", ...POLL]);
      assert.equal(plain.code, 1, "instances still carry the extension: something is left");
      assert.match(
        plain.stdout,
        new RegExp(
          [
            String.raw`removed\s+VMSS\s+rg-apps\/ss-manual\s+ManagedIdentityExtensionForLinux\s+`,
            "instances keep the extension until upgraded: ",
            String.raw`az vmss update-instances -g rg-apps -n ss-manual --instance-ids '\*'`,
          ].join(""),
        ),
      );
      assert.equal(world.requests("POST").length, 0);

      const from2 = world.report(
        scanReport("arm", [{ id: vmssId("ss-manual-2"), kind: "virtualMachineScaleSet" }]),
        "two.json",
      );
      const upgraded = await world.remove([
        "--from",
        from2,
        "--yes",
        "--upgrade-instances",
        "--format",
        "json",
        ...POLL,
      ]);
      assert.equal(upgraded.code, 0, upgraded.stdout + upgraded.stderr);
      const report = JSON.parse(upgraded.stdout) as JsonReport;
      assert.equal(report.plan[0]!.upgradeInstances, true);
      assert.deepEqual(report.results[0]!.upgrade, { outcome: "upgraded" });
      assert.deepEqual(world.removal.upgrades, [{ scaleSetId: vmssId("ss-manual-2"), instanceIds: ["*"] }]);
      assert.deepEqual(
        world.requests("POST").map((r) => r.route),
        ["virtualMachineScaleSets.updateInstances"],
      );
    } finally {
      await world.close();
    }
  },
);

test("a machine without a managed identity is skipped with the reason unless --force", async () => {
  const world = await startWorld(fleetOf([vm("vm-none", "None")]));
  try {
    const from = world.report(scanReport("arm", [vmTarget("vm-none", "None")]));
    const skipped = await world.remove(["--from", from, "--yes", "--format", "json", ...POLL]);
    assert.equal(skipped.code, 1);
    const report = JSON.parse(skipped.stdout) as JsonReport;
    assert.equal(report.plan[0]!.action, "skip");
    assert.match(report.results[0]!.reason!, /no managed identity/);
    assert.equal(world.requests("DELETE").length, 0);
    const forced = await world.remove(["--from", from, "--yes", "--force", "--format", "json", ...POLL]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(outcomes(JSON.parse(forced.stdout) as JsonReport), { "vm-none": "removed" });
  } finally {
    await world.close();
  }
});

test("a Resource Graph report is confirmed against ARM before anything is deleted", async () => {
  const world = await startWorld(
    fleetOf([
      vm("vm-live"),
      vm("vm-stale", "SystemAssigned", {
        name: "Other",
        publisher: "Microsoft.Azure.Monitor",
        type: "AzureMonitorLinuxAgent",
      }),
    ]),
  );
  try {
    const report0 = {
      ...(scanReport("graph", [vmTarget("vm-live"), vmTarget("vm-stale")]) as object),
      errors: [{ scope: "Resource Graph batch 2", status: 429, code: "RateLimiting", message: "throttled" }],
    };
    const run = await world.remove(["--from", world.report(report0), "--yes", "--format", "json", ...POLL]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /could not read 1 scope\(s\); machines there are not in this plan/);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(
      report.plan.map((e) => [e.action, e.confirmedInArm]),
      [
        ["delete", true],
        ["already-gone", false],
      ],
    );
    assert.match(report.plan[1]!.reason!, /Resource Graph data is stale/);
    assert.deepEqual(
      world.requests("DELETE").map((r) => r.path.split("/")[8]),
      ["vm-live"],
    );
    const confirmations = world.arm.requests.filter((r) => r.route === "virtualMachineExtensions.get");
    assert.ok(
      confirmations.some((r) => r.path.includes("/vm-stale/")),
      "the stale entry was looked up in ARM",
    );
  } finally {
    await world.close();
  }
});

test("without --yes and without a terminal only the plan is printed: exit 1, no DELETE", async () => {
  const world = await startWorld(fleetOf([vm("vm-a")]));
  try {
    const run = await world.remove(["--from", world.report(scanReport("arm", [vmTarget("vm-a")])), "--no-color"]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /Plan: 1 of 1 extension\(s\) to delete/);
    assert.match(run.stdout, /delete\s+VM\s+rg-apps\/vm-a/);
    assert.match(run.stderr, /nothing removed; rerun with --yes/);
    assert.equal(world.requests("DELETE").length, 0);
    assert.equal(world.arm.fleet.subscriptions[0]!.virtualMachines[0]!.extensions.length, 2);
  } finally {
    await world.close();
  }
});

test("an interrupted run is resumed: the rest is finished and nothing is DELETEd twice", async () => {
  const world = await startWorld(fleetOf([vm("vm-1"), vm("vm-2"), vm("vm-3")]));
  try {
    world.removal.script(extensionId(vmId("vm-2")), { hold: true });
    const from = world.report(scanReport("arm", [vmTarget("vm-1"), vmTarget("vm-2"), vmTarget("vm-3")]));
    const args = ["--from", from, "--yes", "--concurrency", "1", "--format", "json", "--poll-interval", "20"];
    const first = world.start([...args, "--output", "first.json"]);
    await until(() => world.requests("GET", "/operations/").length >= 3, "vm-2's operation to be polled while held");
    first.child.kill("SIGTERM");
    const interrupted = await first.done;
    assert.equal(interrupted.code, 1, interrupted.stderr);
    const firstReport = JSON.parse(readFileSync(join(world.dir, "first.json"), "utf8")) as JsonReport;
    assert.deepEqual(outcomes(firstReport), { "vm-1": "removed", "vm-2": "interrupted", "vm-3": "not-started" });

    // Rerun while Azure is still deleting vm-2: the CLI watches it instead of sending a second DELETE.
    const rerun = world.start(args);
    const vm2Looks = () => world.requests("GET", extensionId(vmId("vm-2"))).length;
    const looksBefore = vm2Looks();
    await until(() => vm2Looks() >= looksBefore + 2, "the rerun to watch vm-2's running delete");
    world.removal.release(); // Azure finishes vm-2's delete on its own
    const second = await rerun.done;
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(outcomes(JSON.parse(second.stdout) as JsonReport), {
      "vm-1": "already-gone",
      "vm-2": "already-gone",
      "vm-3": "removed",
    });
    for (const name of ["vm-1", "vm-2", "vm-3"]) {
      assert.equal(world.requests("DELETE", `/${name}/`).length, 1, `${name} DELETEd exactly once`);
    }
    assert.ok(
      world.requests("DELETE").every((r) => r.status === 202),
      "no DELETE hit an extension that was already gone",
    );
    assert.ok(
      world.arm.fleet.subscriptions[0]!.virtualMachines.every((m) =>
        m.extensions.every((e) => e.publisher !== "Microsoft.ManagedIdentity"),
      ),
    );
  } finally {
    await world.close();
  }
});

test(
  "without --from the scan's scope flags find the targets; " +
    "--resource-id picks among them and names the subscription",
  async () => {
    const world = await startWorld(fleetOf([vm("vm-a"), vm("vm-b")], [scaleSet("ss-auto", "Automatic")]));
    try {
      const picked = await world.remove(["--resource-id", vmId("vm-b"), "--yes", "--format", "json", ...POLL]);
      assert.equal(picked.code, 0, picked.stderr);
      assert.deepEqual(outcomes(JSON.parse(picked.stdout) as JsonReport), { "vm-b": "removed" });
      assert.deepEqual(
        world.requests("DELETE").map((r) => r.path.split("/")[8]),
        ["vm-b"],
      );
      assert.ok(
        !world.arm.requests.some((r) => r.route === "subscriptions.list"),
        "the subscription came from --resource-id: no tenant-wide listing",
      );

      const scoped = await world.remove([
        "--subscription",
        SUBSCRIPTION,
        "--resource-group",
        "rg-apps",
        "--yes",
        "--format",
        "json",
        ...POLL,
      ]);
      assert.equal(scoped.code, 0, scoped.stderr);
      assert.deepEqual(outcomes(JSON.parse(scoped.stdout) as JsonReport), { "vm-a": "removed", "ss-auto": "removed" });
    } finally {
      await world.close();
    }
  },
);

test("--engine graph scans through Resource Graph and confirms every target in ARM before deleting", async () => {
  const world = await startWorld(fleetOf([vm("vm-a")], [scaleSet("ss-auto", "Automatic")]));
  try {
    const graph = await world.remove([
      "--subscription",
      SUBSCRIPTION,
      "--engine",
      "graph",
      "--yes",
      "--format",
      "json",
      ...POLL,
    ]);
    assert.equal(graph.code, 0, graph.stderr);
    const report = JSON.parse(graph.stdout) as JsonReport;
    assert.deepEqual(outcomes(report), { "vm-a": "removed", "ss-auto": "removed" });
    assert.ok(
      report.plan.every((e) => e.confirmedInArm),
      "every Resource Graph target was confirmed in ARM",
    );
    assert.deepEqual(
      world
        .requests("DELETE")
        .map((r) => r.path.split("/")[8])
        .sort(),
      ["ss-auto", "vm-a"],
    );
  } finally {
    await world.close();
  }
});

test("on a terminal without --yes the plan is shown and a y/N question decides", async () => {
  const world = await startWorld(fleetOf([vm("vm-a")]));
  try {
    const from = world.report(scanReport("arm", [vmTarget("vm-a")]));
    const declined = await world.removeOnTerminal(["--from", from, "--no-color", ...POLL], "n\n");
    assert.equal(declined.code, 1);
    assert.match(declined.stdout, /Delete 1 extension\(s\)\? \[y\/N\]/);
    assert.match(declined.stdout, /nothing removed; rerun with --yes/);
    assert.equal(world.requests("DELETE").length, 0);

    const interrupted = await world.removeOnTerminal(["--from", from, "--no-color", ...POLL], "\u0003");
    assert.equal(interrupted.code, 1, "Ctrl-C at the question means no");
    assert.match(interrupted.stdout, /nothing removed; rerun with --yes/);
    assert.equal(world.requests("DELETE").length, 0);

    const accepted = await world.removeOnTerminal(["--from", from, "--no-color", ...POLL], "y\n");
    assert.equal(accepted.code, 0, accepted.stdout);
    assert.match(accepted.stdout, /removed\s+VM\s+rg-apps\/vm-a\s+ManagedIdentityExtensionForLinux/);
    assert.equal(world.requests("DELETE").length, 1);
  } finally {
    await world.close();
  }
});

test("plan, question, progress, results: each once, and the table report leaves out the plan it followed", async () => {
  const world = await startWorld(fleetOf([vm("vm-a"), vm("vm-b")]));
  try {
    const from = world.report(scanReport("arm", [vmTarget("vm-a"), vmTarget("vm-b")]));
    const run = await world.remove(["--from", from, "--yes", "--no-color", ...POLL]);
    assert.equal(run.code, 0, run.stderr);
    const plan = run.stderr.indexOf("Plan: 2 of 2 extension(s) to delete");
    const progress = [1, 2].map((n) =>
      run.stderr.search(new RegExp(`remove: \\[${n}/2\\] removed VM rg-apps/vm-[ab] `)),
    );
    assert.ok(plan >= 0 && progress.every((at) => at > plan), run.stderr);
    assert.equal(run.stderr.split("Plan:").length, 2, "the plan once, before the deletes");
    assert.doesNotMatch(run.stdout, /Plan:/, "not again in the report that follows it");
    assert.match(run.stdout, /^Results\n {2}removed +VM +rg-apps\/vm-a/m);
    assert.match(run.stdout, /2 removed, 0 already gone, 0 skipped, 0 failed/);

    const toFile = await world.remove(["--from", from, "--yes", "--no-color", "-o", "removal.txt", ...POLL]);
    assert.equal(toFile.code, 0, toFile.stderr);
    assert.match(
      readFileSync(join(world.dir, "removal.txt"), "utf8"),
      /^Plan: \d of 2[\s\S]*\nResults\n/,
      "a file holds the whole report",
    );
  } finally {
    await world.close();
  }
});

test("--concurrency bounds the deletes running at once", async () => {
  const names = ["vm-1", "vm-2", "vm-3", "vm-4", "vm-5"];
  const world = await startWorld(fleetOf(names.map((n) => vm(n))));
  try {
    for (const n of names) world.removal.script(extensionId(vmId(n)), { polls: 4 });
    const run = await world.remove([
      "--from",
      world.report(
        scanReport(
          "arm",
          names.map((n) => vmTarget(n)),
        ),
      ),
      "--yes",
      "--concurrency",
      "2",
      "--format",
      "json",
      "--poll-interval",
      "20",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(world.requests("DELETE").length, 5);
    assert.equal(world.removal.maxDeletesInFlight, 2, "two at a time, never more");
  } finally {
    await world.close();
  }
});

test("no token: exit 2 with one line on stderr, nothing planned or deleted", async () => {
  const world = await startWorld(fleetOf([vm("vm-a")]));
  try {
    // Port 9 (discard) on loopback: nothing listens, so the managed identity endpoint is unreachable.
    const run = await world.remove(["--from", world.report(scanReport("arm", [vmTarget("vm-a")])), "--yes"], {
      AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://127.0.0.1:9",
    });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^msi2imds: authentication failed \(--auth managed-identity\): .*ManagedIdentityCredential/m,
    );
    assert.equal(run.stdout, "");
    assert.equal(world.arm.requests.length, 0);
    // A saved scan that found nothing needs no token: nothing to plan, nothing to ask ARM, exit 0.
    const nothing = await world.remove(["--from", world.report(scanReport("arm", [])), "--yes"], {
      AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://127.0.0.1:9",
    });
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stdout, /0 removed, 0 already gone, 0 skipped, 0 failed/);
    assert.equal(world.arm.requests.length, 0);
  } finally {
    await world.close();
  }
});

test(
  "usage errors exit 2 with one line (missing report, not a scan report, unknown id); " +
    "an unwritable --output is exit 2 and the report is not lost",
  async () => {
    const world = await startWorld(fleetOf([vm("vm-a")]));
    try {
      const missing = await world.remove(["--from", "nope.json"]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot read the scan report/);
      const notReport = await world.remove(["--from", world.report({ plan: [] }, "other.json")]);
      assert.equal(notReport.code, 2);
      assert.match(notReport.stderr, /is not a scan JSON report/);
      const unknown = await world.remove([
        "--from",
        world.report(scanReport("arm", [vmTarget("vm-a")])),
        "--resource-id",
        vmId("vm-zzz"),
      ]);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /--resource-id matches no machine with the extension: .*vm-zzz/);
      const scoped = await world.remove([
        "--from",
        world.report(scanReport("arm", [vmTarget("vm-a")])),
        "--resource-group",
        "rg-other",
        "--yes",
      ]);
      assert.equal(scoped.code, 2, "a scope flag that --from would ignore must not widen what --yes deletes");
      assert.match(
        scoped.stderr,
        /--subscription and --resource-group choose what to scan; with --from, pick machines .* with --resource-id/,
      );
      // The options that choose a fleet are scan's own, checked the same way.
      const shared = [
        await world.remove(["--subscription", "not-a-guid"]),
        await world.remove(["--concurrency", "0"]),
        await world.remove(["--tenant", "contoso.onmicrosoft.com", "--auth", "env"]),
        // Not an id at all: refused before any sign-in or scan.
        await world.remove(["--resource-id", "bogus"]),
      ];
      assert.deepEqual(
        shared.map((run) => run.code),
        [2, 2, 2, 2],
      );
      assert.match(
        shared[3]!.stderr,
        /'--resource-id <id>' argument 'bogus' is invalid\. expected a VM or scale set id/,
      );
      assert.match(shared[0]!.stderr, /argument 'not-a-guid' is invalid. expected a subscription id/);
      assert.match(shared[1]!.stderr, /argument '0' is invalid. expected a whole number from 1 to 256/);
      assert.match(
        shared[2]!.stderr,
        /--tenant applies to --auth default and cli; env takes its tenant from the environment/,
      );
      // One line, and for an option commander refuses, the line that names the command's help.
      for (const run of [missing, notReport, unknown, scoped, ...shared]) {
        const lines = run.stderr.trim().split("\n");
        assert.equal(lines.filter((line) => line !== "(run msi2imds remove --help for usage)").length, 1, run.stderr);
      }
      const unwritable = await world.remove([
        "--from",
        world.report(scanReport("arm", [vmTarget("vm-a")])),
        "--output",
        "/dev/null/out.json",
        "--format",
        "json",
      ]);
      assert.equal(unwritable.code, 2, "a report that could not be written is a failure");
      assert.match(unwritable.stderr, /cannot write \/dev\/null\/out.json: .*the report follows on stdout/);
      assert.ok(Array.isArray((JSON.parse(unwritable.stdout) as JsonReport).plan), "the report is not lost");
      assert.equal(world.arm.requests.length, 0);
    } finally {
      await world.close();
    }
  },
);
