import { test } from "node:test";
import assert from "node:assert/strict";
import { applyPlan } from "../../src/remove/apply.js";
import type { ExtensionState, MachineState, RemovalArm } from "../../src/remove/arm.js";
import { planRemoval } from "../../src/remove/plan.js";
import { pickTargets, targetsFromFindings } from "../../src/remove/source.js";
import type { RemovalTarget } from "../../src/core/report.js";

// Planner and applier against an in-memory ARM: the policy without the wire (the wire is in remove.test.ts).

const SUB = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg";
const MI = { publisher: "Microsoft.ManagedIdentity", type: "ManagedIdentityExtensionForLinux" };

function fakeArm(
  machines: Record<string, MachineState>,
  extensions: Record<string, ExtensionState>,
): RemovalArm & { calls: string[] } {
  const calls: string[] = [];
  const key = (t: RemovalTarget) => `${t.resourceId}/extensions/${t.extensionName}`.toLowerCase();
  return {
    calls,
    async getExtension(t) {
      calls.push(`get-ext ${t.name}`);
      return extensions[key(t)];
    },
    async getMachine(t) {
      calls.push(`get-machine ${t.name}`);
      return machines[t.resourceId.toLowerCase()];
    },
    async deleteExtension(t) {
      calls.push(`delete ${t.name}`);
      if (!extensions[key(t)]) return "gone";
      delete extensions[key(t)];
      return "deleted";
    },
    async upgradeInstances(t) {
      calls.push(`upgrade ${t.name}`);
    },
  };
}

const finding = (kind: "virtualMachines" | "virtualMachineScaleSets", name: string, identity = "SystemAssigned") => ({
  resourceId: `${SUB}/providers/Microsoft.Compute/${kind}/${name}`,
  extension: { name: "MIExt" },
  identity: { type: identity, userAssignedIdentities: [] },
});

test("a VM without identity is skipped unless --force; a Manual scale set says what remains", async () => {
  const targets = targetsFromFindings(
    [
      finding("virtualMachines", "with-id"),
      finding("virtualMachines", "no-id", "None"),
      finding("virtualMachineScaleSets", "manual"),
    ],
    "arm",
  );
  const arm = fakeArm(
    {
      [`${SUB}/providers/Microsoft.Compute/virtualMachineScaleSets/manual`.toLowerCase()]: {
        identity: { type: "SystemAssigned", userAssignedIdentities: [] },
        upgradePolicy: "Manual",
      },
    },
    {},
  );
  const plan = await planRemoval(targets, arm, { force: false, upgradeInstances: false, concurrency: 2 });
  assert.deepEqual(
    plan.map((e) => e.action),
    ["delete", "skip", "delete"],
  );
  assert.match(plan[1]!.reason!, /no managed identity/);
  assert.equal(
    plan[2]!.remains,
    "instances keep the extension until upgraded: az vmss update-instances -g rg -n manual --instance-ids '*'",
  );
  assert.deepEqual(
    arm.calls,
    ["get-machine manual"],
    "an ARM-engine report is trusted for VMs; scale sets are read for their upgrade policy",
  );
  const forced = await planRemoval(targets, arm, { force: true, upgradeInstances: false, concurrency: 2 });
  assert.equal(forced[1]!.action, "delete");
});

test(
  "graph data is confirmed against ARM: " + "a stale entry is already gone, a renamed-type extension is skipped",
  async () => {
    const targets = targetsFromFindings(
      [finding("virtualMachines", "live"), finding("virtualMachines", "stale"), finding("virtualMachines", "other")],
      "graph",
    );
    const id = (n: string) => `${SUB}/providers/Microsoft.Compute/virtualMachines/${n}`.toLowerCase();
    const identity = { identity: { type: "SystemAssigned", userAssignedIdentities: [] } };
    const arm = fakeArm(
      { [id("live")]: identity, [id("stale")]: identity, [id("other")]: identity },
      {
        [`${id("live")}/extensions/miext`]: MI,
        [`${id("other")}/extensions/miext`]: { publisher: "Contoso.Tools", type: "ManagedIdentityExtensionForLinux" },
      },
    );
    const plan = await planRemoval(targets, arm, { force: false, upgradeInstances: false, concurrency: 1 });
    assert.deepEqual(
      plan.map((e) => [e.action, e.confirmedInArm]),
      [
        ["delete", true],
        ["already-gone", false],
        ["skip", false],
      ],
    );
  },
);

test("apply re-checks before deleting: what is already gone is never DELETEd", async () => {
  const targets = targetsFromFindings([finding("virtualMachines", "a"), finding("virtualMachines", "b")], "arm");
  const ext = (n: string) => `${SUB}/providers/Microsoft.Compute/virtualMachines/${n}/extensions/miext`.toLowerCase();
  const arm = fakeArm({}, { [ext("a")]: MI });
  const plan = await planRemoval(targets, arm, { force: false, upgradeInstances: false, concurrency: 1 });
  const results = await applyPlan(plan, arm, {
    concurrency: 1,
    signal: new AbortController().signal,
    recheckIntervalMs: 1,
  });
  assert.deepEqual(
    results.map((r) => r.outcome),
    ["removed", "already-gone"],
  );
  assert.deepEqual(arm.calls, ["get-ext a", "delete a", "get-ext b"]);
});

test("--resource-id picks machines or extensions case-insensitively and rejects ids that match nothing", () => {
  const targets = targetsFromFindings([finding("virtualMachines", "a"), finding("virtualMachines", "b")], "arm");
  assert.deepEqual(
    pickTargets(targets, [`${SUB.toUpperCase()}/providers/Microsoft.Compute/virtualMachines/B`]).map((t) => t.name),
    ["b"],
  );
  assert.deepEqual(
    pickTargets(targets, [`${SUB}/providers/Microsoft.Compute/virtualMachines/a/extensions/miext`]).map((t) => t.name),
    ["a"],
  );
  assert.throws(
    () => pickTargets(targets, [`${SUB}/providers/Microsoft.Compute/virtualMachines/zzz`]),
    /matches no machine/,
  );
});

test("an extension an earlier run is still deleting is watched until gone, never sent a second DELETE", async () => {
  const targets = targetsFromFindings([finding("virtualMachines", "a")], "arm");
  const arm = fakeArm({}, {});
  let looks = 0;
  arm.getExtension = async () => (++looks < 3 ? { ...MI, provisioningState: "Deleting" } : undefined);
  const plan = await planRemoval(targets, arm, { force: false, upgradeInstances: false, concurrency: 1 });
  const results = await applyPlan(plan, arm, {
    concurrency: 1,
    signal: new AbortController().signal,
    recheckIntervalMs: 1,
  });
  assert.deepEqual(
    results.map((r) => r.outcome),
    ["already-gone"],
  );
  assert.equal(looks, 3);
  assert.ok(!arm.calls.some((c) => c.startsWith("delete")));
});
