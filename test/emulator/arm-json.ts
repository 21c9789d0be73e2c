import {
  scaleSetId,
  virtualMachineId,
  type FleetExtension,
  type FleetIdentity,
  type FleetScaleSet,
  type FleetVirtualMachine,
} from "./fleet.js";

// Fleet state rendered in ARM's REST shapes (../shared/arm-examples/): properties nested, extension kind in
// properties.type, VM lists carrying extension ids only.

export function identityJson(identity: FleetIdentity | undefined): unknown {
  if (!identity || identity.type === "None") return undefined;
  const json: Record<string, unknown> = { type: identity.type };
  if (identity.type.includes("SystemAssigned")) {
    json.principalId = "11111111-1111-4111-8111-111111111111";
    json.tenantId = "22222222-2222-4222-8222-222222222222";
  }
  if (identity.userAssignedIdentities?.length) {
    json.userAssignedIdentities = Object.fromEntries(
      identity.userAssignedIdentities.map((id) => [
        id,
        {
          principalId: "33333333-3333-4333-8333-333333333333",
          clientId: "44444444-4444-4444-8444-444444444444",
        },
      ]),
    );
  }
  return json;
}

export function extensionProperties(extension: FleetExtension): Record<string, unknown> {
  return {
    publisher: extension.publisher,
    type: extension.type,
    typeHandlerVersion: extension.typeHandlerVersion ?? "1.0",
    autoUpgradeMinorVersion: true,
    provisioningState: extension.provisioningState ?? "Succeeded",
    ...(extension.settings ? { settings: extension.settings } : {}),
  };
}

export function vmExtensionJson(vmId: string, location: string, extension: FleetExtension): unknown {
  return {
    id: `${vmId}/extensions/${extension.name}`,
    name: extension.name,
    type: "Microsoft.Compute/virtualMachines/extensions",
    location,
    properties: extensionProperties(extension),
  };
}

export function vmJson(subscriptionId: string, vm: FleetVirtualMachine, inlineExtensions: boolean): unknown {
  const id = virtualMachineId(subscriptionId, vm);
  return {
    id,
    name: vm.name,
    type: "Microsoft.Compute/virtualMachines",
    location: vm.location,
    ...(identityJson(vm.identity) ? { identity: identityJson(vm.identity) } : {}),
    properties: {
      vmId: `vm-${vm.name}`,
      hardwareProfile: { vmSize: "Standard_D2s_v5" },
      storageProfile: { osDisk: { osType: vm.osType, name: `${vm.name}-os`, createOption: "FromImage" } },
      ...(vm.scaleSet
        ? {
            virtualMachineScaleSet: {
              id: scaleSetId(subscriptionId, { resourceGroup: vm.resourceGroup, name: vm.scaleSet }),
            },
          }
        : {}),
      provisioningState: "Succeeded",
    },
    ...(vm.extensions.length > 0
      ? {
          resources: vm.extensions.map((e) =>
            inlineExtensions ? vmExtensionJson(id, vm.location, e) : { id: `${id}/extensions/${e.name}` },
          ),
        }
      : {}),
  };
}

export function scaleSetExtensionJson(vmssId: string, extension: FleetExtension): unknown {
  return {
    id: `${vmssId}/extensions/${extension.name}`,
    name: extension.name,
    type: "Microsoft.Compute/virtualMachineScaleSets/extensions",
    properties: extensionProperties(extension),
  };
}

export function scaleSetJson(subscriptionId: string, vmss: FleetScaleSet): unknown {
  const id = scaleSetId(subscriptionId, vmss);
  const flexible = vmss.orchestrationMode === "Flexible";
  return {
    id,
    name: vmss.name,
    type: "Microsoft.Compute/virtualMachineScaleSets",
    location: vmss.location,
    sku: { name: "Standard_D2s_v5", tier: "Standard", capacity: 2 },
    ...(identityJson(vmss.identity) ? { identity: identityJson(vmss.identity) } : {}),
    properties: {
      orchestrationMode: vmss.orchestrationMode ?? "Uniform",
      ...(flexible
        ? { platformFaultDomainCount: 1 }
        : {
            upgradePolicy: { mode: vmss.upgradePolicy ?? "Automatic" },
            virtualMachineProfile: {
              storageProfile: { osDisk: { osType: vmss.osType, createOption: "FromImage" } },
              extensionProfile: {
                extensions: vmss.extensions.map((e) => ({ name: e.name, properties: extensionProperties(e) })),
              },
            },
          }),
      provisioningState: "Succeeded",
    },
  };
}
