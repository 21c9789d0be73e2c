import { COMPUTE_API_VERSIONS, findScaleSet, findVirtualMachine } from "./compute-routes.js";
import { scaleSetId, virtualMachineId, type FleetExtension } from "./fleet.js";
import { armError, sameName, type EmulatorRequest, type EmulatorResponse, type Route } from "./router.js";
import { findSubscription } from "./subscription-routes.js";

// The write side of the ARM emulator, for `msi2imds remove`: DELETE of VM and scale-set extensions as
// long-running operations (202 + Azure-AsyncOperation + Location on the emulator's own https host, status
// polls with Retry-After) and a scale set's manualupgrade (the SDK's updateInstances). The GETs are the read
// side's (compute-routes.ts); a finished delete takes the extension out of the shared fleet.

/** Scripted behaviour for the DELETE of one extension, keyed by its id (any case). */
export interface DeleteScript {
  /** Status polls before the operation ends (default 1). */
  polls?: number;
  /** End as Failed with this error; the extension stays, provisioningState Failed. */
  fail?: { code: string; message: string };
  /** Stay InProgress until release(). */
  hold?: boolean;
  /** Answer the DELETE with 429 (Retry-After: 0) this many times first. */
  throttle?: number;
  /** Only a Location header, no Azure-AsyncOperation: the client polls the location until it stops saying 202. */
  locationOnly?: boolean;
}

export interface RemovalRouteOptions {
  /** Retry-After seconds on 202s and in-progress polls (default 0, which core-lro ignores for its own interval). */
  retryAfterSeconds?: number;
}

interface Operation {
  id: string;
  subscriptionId: string;
  /** The extension to take out of the fleet when it succeeds; absent for an upgrade. */
  remove?: { list: FleetExtension[]; extension: FleetExtension };
  pollsLeft: number;
  script: DeleteScript;
  status: "InProgress" | "Succeeded" | "Failed";
}

export interface UpgradeCall {
  scaleSetId: string;
  instanceIds: string[];
}

const SUB = String.raw`^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute`;

export class RemovalEmulator {
  readonly upgrades: UpgradeCall[] = [];
  /** The most extension deletes that were running at once: what a client's concurrency bound must cap. */
  maxDeletesInFlight = 0;
  private deletesInFlight = 0;
  private readonly scripts = new Map<string, DeleteScript>();
  private readonly operations = new Map<string, Operation>();
  private nextOperation = 1;

  constructor(private readonly options: RemovalRouteOptions = {}) {}

  script(extensionId: string, script: DeleteScript): void {
    this.scripts.set(extensionId.toLowerCase(), script);
  }

  /** Held operations finish now, as Azure would finish them whether or not anyone still polls. */
  release(): void {
    for (const op of this.operations.values()) {
      if (op.status !== "InProgress" || !op.script.hold) continue;
      op.script = { ...op.script, hold: false };
      this.finish(op);
    }
  }

  readonly routes: Route[] = [
    this.route(
      "DELETE",
      "virtualMachineExtensions.delete",
      `${SUB}\\/virtualMachines\\/([^/]+)\\/extensions\\/([^/]+)$`,
      (r) => this.deleteExtension(r, "virtualMachines"),
    ),
    this.route(
      "DELETE",
      "virtualMachineScaleSetExtensions.delete",
      `${SUB}\\/virtualMachineScaleSets\\/([^/]+)\\/extensions\\/([^/]+)$`,
      (r) => this.deleteExtension(r, "virtualMachineScaleSets"),
    ),
    this.route(
      "POST",
      "virtualMachineScaleSets.updateInstances",
      `${SUB}\\/virtualMachineScaleSets\\/([^/]+)\\/manualupgrade$`,
      (r) => this.upgrade(r),
    ),
    this.route(
      "GET",
      "operations.get",
      String.raw`^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/operations\/([^/]+)$`,
      (r) => this.poll(r, true),
    ),
    this.route(
      "GET",
      "operationResults.get",
      String.raw`^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Compute` +
        String.raw`\/locations\/([^/]+)\/operationResults\/([^/]+)$`,
      (r) => this.poll(r, false),
    ),
  ];

  private route(method: string, name: string, source: string, handle: (r: EmulatorRequest) => EmulatorResponse): Route {
    return { name, method, pattern: new RegExp(source, "i"), apiVersions: COMPUTE_API_VERSIONS, handle };
  }

  private deleteExtension(r: EmulatorRequest, kind: "virtualMachines" | "virtualMachineScaleSets"): EmulatorResponse {
    const [subscriptionId, resourceGroup, machineName, extensionName] = r.params as [string, string, string, string];
    const subscription = findSubscription(r, subscriptionId);
    const vm = kind === "virtualMachines";
    const machine = subscription && (vm ? findVirtualMachine : findScaleSet)(subscription, resourceGroup, machineName);
    if (!subscription || !machine) return notFound(`Microsoft.Compute/${kind}/${machineName}`);
    const machineId = (vm ? virtualMachineId : scaleSetId)(subscription.subscriptionId, machine);
    return this.deleteFrom(
      r,
      subscriptionId,
      `${machineId}/extensions/${extensionName}`,
      machine.location,
      machine.extensions,
      extensionName,
    );
  }

  private deleteFrom(
    r: EmulatorRequest,
    subscriptionId: string,
    extensionId: string,
    location: string,
    list: FleetExtension[],
    name: string,
  ): EmulatorResponse {
    const script = this.scripts.get(extensionId.toLowerCase()) ?? {};
    if (script.throttle) {
      script.throttle -= 1;
      return armError(429, "TooManyRequests", "Too many delete requests; retry later.", { "retry-after": "0" });
    }
    const extension = list.find((e) => sameName(e.name, name));
    if (!extension) return notFound(`${extensionId}`);
    extension.provisioningState = "Deleting";
    this.maxDeletesInFlight = Math.max(this.maxDeletesInFlight, ++this.deletesInFlight);
    return this.accepted(r, this.start(subscriptionId, script, { list, extension }), location);
  }

  private upgrade(r: EmulatorRequest): EmulatorResponse {
    const [subscriptionId, resourceGroup, vmssName] = r.params as [string, string, string];
    const subscription = findSubscription(r, subscriptionId);
    const vmss = subscription && findScaleSet(subscription, resourceGroup, vmssName);
    if (!subscription || !vmss) return notFound(`Microsoft.Compute/virtualMachineScaleSets/${vmssName}`);
    const instanceIds = (r.body as { instanceIds?: string[] } | undefined)?.instanceIds ?? [];
    this.upgrades.push({ scaleSetId: scaleSetId(subscription.subscriptionId, vmss), instanceIds });
    return this.accepted(r, this.start(subscriptionId, {}), vmss.location);
  }

  private start(subscriptionId: string, script: DeleteScript, remove?: Operation["remove"]): Operation {
    const op: Operation = {
      id: `op-${this.nextOperation++}`,
      subscriptionId,
      remove,
      pollsLeft: script.polls ?? 1,
      script,
      status: "InProgress",
    };
    this.operations.set(op.id, op);
    return op;
  }

  private accepted(r: EmulatorRequest, op: Operation, location: string): EmulatorResponse {
    const base =
      `${r.context.origin}/subscriptions/${op.subscriptionId}/providers` + `/Microsoft.Compute/locations/${location}`;
    const headers: Record<string, string> = {
      location: `${base}/operationResults/${op.id}?api-version=${COMPUTE_API_VERSIONS[0]}`,
      ...this.retryAfter(),
    };
    if (!op.script.locationOnly)
      headers["azure-asyncoperation"] = `${base}/operations/${op.id}?api-version=${COMPUTE_API_VERSIONS[0]}`;
    return { status: 202, headers };
  }

  /** A status poll counts down; at zero the operation ends and a deleted extension leaves the fleet. */
  private poll(r: EmulatorRequest, statusMonitor: boolean): EmulatorResponse {
    const op = this.operations.get(r.params[2]!);
    if (!op) return notFound(`operation ${r.params[2]}`);
    if (op.status === "InProgress" && !op.script.hold && --op.pollsLeft <= 0) this.finish(op);
    if (statusMonitor) {
      const body = { name: op.id, status: op.status, ...(op.status === "Failed" ? { error: op.script.fail } : {}) };
      return { status: 200, body, ...(op.status === "InProgress" ? { headers: this.retryAfter() } : {}) };
    }
    if (op.status === "InProgress") return { status: 202, headers: { ...this.retryAfter(), location: r.url.href } };
    // Location polling has no status body: a failure can only show as an error status.
    if (op.status === "Failed") return armError(400, op.script.fail!.code, op.script.fail!.message);
    // 200, not 204: after a POST the SDK GETs the location once more and accepts only 200/201/202 there.
    return { status: 200 };
  }

  private finish(op: Operation): void {
    if (op.remove) this.deletesInFlight -= 1;
    if (op.script.fail) {
      op.status = "Failed";
      if (op.remove) op.remove.extension.provisioningState = "Failed";
      return;
    }
    op.status = "Succeeded";
    if (op.remove) {
      const index = op.remove.list.indexOf(op.remove.extension);
      if (index >= 0) op.remove.list.splice(index, 1);
    }
  }

  private retryAfter(): Record<string, string> {
    return { "retry-after": String(this.options.retryAfterSeconds ?? 0) };
  }
}

function notFound(what: string): EmulatorResponse {
  return armError(404, "ResourceNotFound", `The Resource '${what}' was not found.`);
}
