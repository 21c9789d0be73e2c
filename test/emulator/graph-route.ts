import vmExtensionInstalled from "../../rules/vm-extension-installed.js";
import { isManagedIdentityExtension } from "../../src/imds.js";
import { INVENTORY_QUERY } from "../../src/scan/inventory-query.js";
import { extensionProperties, identityJson } from "./arm-json.js";
import { scaleSetId, virtualMachineId, type Fleet, type FleetSubscription } from "./fleet.js";
import { armError, sameName, type EmulatorRequest, type EmulatorResponse, type Route } from "./router.js";

// POST /providers/Microsoft.ResourceGraph/resources. The emulator does not run KQL: it recognises the
// scanner's own queries by their text and computes their rows from the fleet; any other query is a 400.

export const GRAPH_API_VERSIONS = ["2021-06-01-preview", "2022-10-01", "2024-04-01"];
const MAX_TOP = 1000;
const MAX_SUBSCRIPTIONS = 1000;

interface QueryBody {
  subscriptions?: string[];
  query?: string;
  options?: { $top?: number; $skip?: number; $skipToken?: string; resultFormat?: string };
}

type Row = Record<string, unknown>;

function normalize(query: string): string {
  return query.replace(/\s+/g, " ").trim();
}

function findingRows(subscription: FleetSubscription): Row[] {
  const rows: Row[] = [];
  for (const vm of subscription.virtualMachines) {
    for (const extension of vm.extensions.filter((e) => isManagedIdentityExtension(e.publisher, e.type))) {
      rows.push({
        id: virtualMachineId(subscription.subscriptionId, vm),
        kind: "virtualMachine",
        location: vm.location,
        osType: vm.osType,
        identity: identityJson(vm.identity) ?? null,
        upgradeMode: "",
        extensionName: extension.name,
        extension: extensionProperties(extension),
      });
    }
  }
  for (const vmss of subscription.scaleSets.filter((s) => s.orchestrationMode !== "Flexible")) {
    for (const extension of vmss.extensions.filter((e) => isManagedIdentityExtension(e.publisher, e.type))) {
      rows.push({
        id: scaleSetId(subscription.subscriptionId, vmss),
        kind: "virtualMachineScaleSet",
        location: vmss.location,
        osType: vmss.osType,
        identity: identityJson(vmss.identity) ?? null,
        upgradeMode: vmss.upgradePolicy ?? "Automatic",
        extensionName: extension.name,
        extension: extensionProperties(extension),
      });
    }
  }
  return rows;
}

function inventoryRows(subscription: FleetSubscription): Row[] {
  const counts = new Map<string, Row & { machines: number }>();
  const count = (type: string, resourceGroup: string): void => {
    const key = `${subscription.subscriptionId}|${resourceGroup.toLowerCase()}|${type}`;
    const row = counts.get(key) ?? {
      type,
      subscriptionId: subscription.subscriptionId,
      resourceGroup: resourceGroup.toLowerCase(),
      machines: 0,
    };
    row.machines += 1;
    counts.set(key, row);
  };
  for (const vm of subscription.virtualMachines) count("microsoft.compute/virtualmachines", vm.resourceGroup);
  for (const vmss of subscription.scaleSets) count("microsoft.compute/virtualmachinescalesets", vmss.resourceGroup);
  return [...counts.values()];
}

function sortKey(row: Row): string {
  return row.id !== undefined
    ? `${String(row.id)}\0${String(row.extensionName)}`
    : `${String(row.subscriptionId)}\0${String(row.resourceGroup)}\0${String(row.type)}`;
}

function evaluate(fleet: Fleet, body: QueryBody): Row[] | undefined {
  const query = normalize(body.query ?? "");
  const rowsOf =
    query === normalize(vmExtensionInstalled.query())
      ? findingRows
      : query === normalize(INVENTORY_QUERY)
        ? inventoryRows
        : undefined;
  if (!rowsOf) return undefined;
  const scoped = fleet.subscriptions.filter((s) =>
    (body.subscriptions ?? []).some((id) => sameName(id, s.subscriptionId)),
  );
  return scoped.flatMap(rowsOf).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

function decodeSkipToken(token: string | undefined): number | undefined {
  if (token === undefined) return 0;
  const offset = Number(
    Buffer.from(token, "base64")
      .toString("utf8")
      .replace(/^offset:/, ""),
  );
  return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

function handle(request: EmulatorRequest): EmulatorResponse {
  const body = (request.body ?? {}) as QueryBody;
  if (
    !Array.isArray(body.subscriptions) ||
    body.subscriptions.length === 0 ||
    body.subscriptions.length > MAX_SUBSCRIPTIONS
  ) {
    return armError(400, "BadRequest", `Send between 1 and ${MAX_SUBSCRIPTIONS} subscriptions per request.`);
  }
  if (body.options?.resultFormat !== "objectArray")
    return armError(400, "BadRequest", "The emulator serves resultFormat objectArray only; set it explicitly.");
  const top = body.options.$top ?? 100;
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP)
    return armError(400, "BadRequest", `$top must be 1..${MAX_TOP}.`);
  const rows = evaluate(request.context.fleet, body);
  if (!rows)
    return armError(
      400,
      "BadRequest",
      "The emulator knows only msi2imds's own queries (rules/vm-extension-installed.kql and the inventory query).",
    );
  const offset = decodeSkipToken(body.options.$skipToken);
  if (offset === undefined) return armError(400, "BadRequest", "The $skipToken is not valid.");
  const size = Math.min(top, request.context.pageSize);
  const data = rows.slice(offset, offset + size);
  const more = offset + size < rows.length;
  return {
    status: 200,
    body: {
      totalRecords: rows.length,
      count: data.length,
      data,
      facets: [],
      resultTruncated: "false",
      ...(more ? { $skipToken: Buffer.from(`offset:${offset + size}`).toString("base64") } : {}),
    },
  };
}

export const graphRoute: Route = {
  name: "resourceGraph.resources",
  method: "POST",
  pattern: /^\/providers\/Microsoft\.ResourceGraph\/resources$/i,
  apiVersions: GRAPH_API_VERSIONS,
  handle,
};
