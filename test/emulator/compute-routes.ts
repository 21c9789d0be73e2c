import { scaleSetExtensionJson, scaleSetJson, vmExtensionJson, vmJson } from "./arm-json.js";
import {
  virtualMachineId,
  scaleSetId,
  type FleetScaleSet,
  type FleetSubscription,
  type FleetVirtualMachine,
} from "./fleet.js";
import { findSubscription } from "./subscription-routes.js";
import { armError, pageOf, sameName, type EmulatorRequest, type EmulatorResponse, type Route } from "./router.js";

// Microsoft.Compute reads the scanner makes: VM and scale-set lists (subscription-wide and per resource
// group, paged), single GETs (inline extensions), and extension lists.

/** What @azure/arm-compute 24.1.0 (2026-03-01) and 25.x (2026-04-01) send. */
export const COMPUTE_API_VERSIONS = ["2026-03-01", "2026-04-01"];

const SUB = String.raw`^\/subscriptions\/([^/]+)`;
const RG = String.raw`\/resourceGroups\/([^/]+)`;
const COMPUTE = String.raw`\/providers\/Microsoft\.Compute`;

function pattern(source: string): RegExp {
  return new RegExp(`${source}$`, "i");
}

function withSubscription(
  request: EmulatorRequest,
  then: (subscription: FleetSubscription) => EmulatorResponse,
): EmulatorResponse {
  const subscription = findSubscription(request, request.params[0]!);
  if (!subscription)
    return armError(404, "SubscriptionNotFound", `The subscription '${request.params[0]}' could not be found.`);
  return then(subscription);
}

export function findVirtualMachine(
  subscription: FleetSubscription,
  resourceGroup: string,
  name: string,
): FleetVirtualMachine | undefined {
  return subscription.virtualMachines.find(
    (vm) => sameName(vm.resourceGroup, resourceGroup) && sameName(vm.name, name),
  );
}

export function findScaleSet(
  subscription: FleetSubscription,
  resourceGroup: string,
  name: string,
): FleetScaleSet | undefined {
  return subscription.scaleSets.find((s) => sameName(s.resourceGroup, resourceGroup) && sameName(s.name, name));
}

function inGroup(resourceGroup: string | undefined): (r: { resourceGroup: string }) => boolean {
  return (r) => resourceGroup === undefined || sameName(r.resourceGroup, resourceGroup);
}

function withVm(
  request: EmulatorRequest,
  then: (subscription: FleetSubscription, vm: FleetVirtualMachine) => EmulatorResponse,
): EmulatorResponse {
  return withSubscription(request, (subscription) => {
    const vm = findVirtualMachine(subscription, request.params[1]!, request.params[2]!);
    if (!vm)
      return armError(
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.Compute/virtualMachines/${request.params[2]}' ` +
          `under resource group '${request.params[1]}' was not found.`,
      );
    return then(subscription, vm);
  });
}

function withScaleSet(
  request: EmulatorRequest,
  then: (subscription: FleetSubscription, vmss: FleetScaleSet) => EmulatorResponse,
): EmulatorResponse {
  return withSubscription(request, (subscription) => {
    const vmss = findScaleSet(subscription, request.params[1]!, request.params[2]!);
    if (!vmss)
      return armError(
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${request.params[2]}' ` +
          `under resource group '${request.params[1]}' was not found.`,
      );
    return then(subscription, vmss);
  });
}

function listVms(request: EmulatorRequest, resourceGroup: string | undefined): EmulatorResponse {
  return withSubscription(request, (s) =>
    pageOf(
      request,
      s.virtualMachines.filter(inGroup(resourceGroup)).map((vm) => vmJson(s.subscriptionId, vm, false)),
    ),
  );
}

function listScaleSets(request: EmulatorRequest, resourceGroup: string | undefined): EmulatorResponse {
  return withSubscription(request, (s) =>
    pageOf(
      request,
      s.scaleSets.filter(inGroup(resourceGroup)).map((vmss) => scaleSetJson(s.subscriptionId, vmss)),
    ),
  );
}

function route(name: string, source: string, handle: Route["handle"]): Route {
  return { name, method: "GET", pattern: pattern(source), apiVersions: COMPUTE_API_VERSIONS, handle };
}

export const computeRoutes: Route[] = [
  route("virtualMachines.listAll", `${SUB}${COMPUTE}/virtualMachines`, (r) => listVms(r, undefined)),
  route("virtualMachines.list", `${SUB}${RG}${COMPUTE}/virtualMachines`, (r) => listVms(r, r.params[1])),
  route("virtualMachines.get", `${SUB}${RG}${COMPUTE}/virtualMachines/([^/]+)`, (r) =>
    withVm(r, (s, vm) => ({ status: 200, body: vmJson(s.subscriptionId, vm, true) })),
  ),
  // A single page; a VM without extensions answers `{}` as the MinimumSet example does (no `value`).
  route("virtualMachineExtensions.list", `${SUB}${RG}${COMPUTE}/virtualMachines/([^/]+)/extensions`, (r) =>
    withVm(r, (s, vm) => {
      const id = virtualMachineId(s.subscriptionId, vm);
      return {
        status: 200,
        body:
          vm.extensions.length === 0 ? {} : { value: vm.extensions.map((e) => vmExtensionJson(id, vm.location, e)) },
      };
    }),
  ),
  route("virtualMachineExtensions.get", `${SUB}${RG}${COMPUTE}/virtualMachines/([^/]+)/extensions/([^/]+)`, (r) =>
    withVm(r, (s, vm) => {
      const extension = vm.extensions.find((e) => sameName(e.name, r.params[3]!));
      if (!extension) return armError(404, "NotFound", `The entity was not found in this Azure location.`);
      return { status: 200, body: vmExtensionJson(virtualMachineId(s.subscriptionId, vm), vm.location, extension) };
    }),
  ),
  route("virtualMachineScaleSets.listAll", `${SUB}${COMPUTE}/virtualMachineScaleSets`, (r) =>
    listScaleSets(r, undefined),
  ),
  route("virtualMachineScaleSets.list", `${SUB}${RG}${COMPUTE}/virtualMachineScaleSets`, (r) =>
    listScaleSets(r, r.params[1]),
  ),
  route("virtualMachineScaleSets.get", `${SUB}${RG}${COMPUTE}/virtualMachineScaleSets/([^/]+)`, (r) =>
    withScaleSet(r, (s, vmss) => ({ status: 200, body: scaleSetJson(s.subscriptionId, vmss) })),
  ),
  route(
    "virtualMachineScaleSetExtensions.list",
    `${SUB}${RG}${COMPUTE}/virtualMachineScaleSets/([^/]+)/extensions`,
    (r) =>
      withScaleSet(r, (s, vmss) =>
        pageOf(
          r,
          vmss.extensions.map((e) => scaleSetExtensionJson(scaleSetId(s.subscriptionId, vmss), e)),
        ),
      ),
  ),
  route(
    "virtualMachineScaleSetExtensions.get",
    `${SUB}${RG}${COMPUTE}/virtualMachineScaleSets/([^/]+)/extensions/([^/]+)`,
    (r) =>
      withScaleSet(r, (s, vmss) => {
        const extension = vmss.extensions.find((e) => sameName(e.name, r.params[3]!));
        if (!extension) return armError(404, "NotFound", `The entity was not found in this Azure location.`);
        return { status: 200, body: scaleSetExtensionJson(scaleSetId(s.subscriptionId, vmss), extension) };
      }),
  ),
];
