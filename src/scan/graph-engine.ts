import type { ResourceGraphClient } from "@azure/arm-resourcegraph";
import vmExtensionInstalled from "../../rules/vm-extension-installed.js";

import { INVENTORY_QUERY } from "./inventory-query.js";
import { parseResourceId } from "../azure/resource-id.js";
import { resourceGraphClient } from "../azure/session.js";
import { machineFinding, type ExtensionFacts, type MachineFacts } from "./machine-finding.js";
import type { MachineKind } from "../core/finding.js";
import { isAuthenticationFailure, toScanError } from "../azure/errors.js";
import type { ScanContext } from "./context.js";

// Azure Resource Graph engine, for tenants too large to walk: the rule's KQL over subscriptions in
// batches (ARG takes at most 1000 per request), paged with $skipToken (the query orders by id, which
// stable paging needs), rows as objects. It yields the same findings as the ARM engine.

export const GRAPH_BATCH_SIZE = 1000;
const PAGE_SIZE = 1000;

interface FindingRow {
  id: string;
  kind: MachineKind;
  location: string;
  osType: string;
  identity: MachineFacts["identity"];
  upgradeMode: string;
  extensionName: string;
  extension: {
    publisher?: string;
    type?: string;
    typeHandlerVersion?: string;
    provisioningState?: string;
    settings?: unknown;
  };
}

interface InventoryRow {
  type: string;
  resourceGroup: string;
  machines: number;
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * 5.0.0-beta.4 models `data` as a dictionary, so its deserializer turns the object array into
 * {"0": row, "1": row, …}; integer keys keep their order.
 */
function rowsOf<Row>(data: unknown): Row[] {
  if (Array.isArray(data)) return data as Row[];
  return typeof data === "object" && data !== null ? (Object.values(data) as Row[]) : [];
}

/** Every row of `query` over `subscriptions`, following $skipToken; a token seen twice ends the loop. */
async function queryAll<Row>(client: ResourceGraphClient, query: string, subscriptions: string[]): Promise<Row[]> {
  const rows: Row[] = [];
  const seenTokens = new Set<string>();
  let skipToken: string | undefined;
  do {
    const page = await client.resources({
      subscriptions,
      query,
      options: { top: PAGE_SIZE, resultFormat: "objectArray", ...(skipToken ? { skipToken } : {}) },
    });
    rows.push(...rowsOf<Row>(page.data));
    skipToken = page.skipToken;
    if (skipToken !== undefined && seenTokens.has(skipToken))
      throw new Error(`Resource Graph returned the same $skipToken twice`);
    if (skipToken !== undefined) seenTokens.add(skipToken);
  } while (skipToken);
  return rows;
}

function inGroup(group: string | undefined, resourceGroup: string): boolean {
  return group === undefined || group.toLowerCase() === resourceGroup.toLowerCase();
}

function toFinding(row: FindingRow) {
  const extension: ExtensionFacts = {
    name: row.extensionName,
    publisher: row.extension.publisher ?? "",
    type: row.extension.type ?? "",
    typeHandlerVersion: row.extension.typeHandlerVersion,
    provisioningState: row.extension.provisioningState,
    settings: row.extension.settings,
  };
  const machine: MachineFacts = {
    id: row.id,
    kind: row.kind,
    location: row.location,
    osType: row.osType,
    identity: row.identity,
    upgradeMode: row.upgradeMode || undefined,
  };
  return machineFinding(machine, extension);
}

export async function scanWithGraph(context: ScanContext, subscriptionIds: readonly string[]): Promise<void> {
  const client = resourceGraphClient(context.azure);
  const { collector } = context;
  const group = context.resourceGroup;
  for (const [index, batch] of batches(subscriptionIds, GRAPH_BATCH_SIZE).entries()) {
    if (context.deadline?.aborted) return;
    try {
      const inventory = await queryAll<InventoryRow>(client, INVENTORY_QUERY, batch);
      for (const row of inventory.filter((r) => inGroup(group, r.resourceGroup))) {
        if (row.type === "microsoft.compute/virtualmachines") collector.virtualMachines += row.machines;
        else collector.scaleSets += row.machines;
        collector.machinesChecked += row.machines;
      }
      const rows = await queryAll<FindingRow>(client, vmExtensionInstalled.query(), batch);
      for (const row of rows) {
        // The query already matched publisher and type; the rule checks again so both engines share one test.
        if (!inGroup(group, parseResourceId(row.id).resourceGroup)) continue;
        if (vmExtensionInstalled.matches({ publisher: row.extension.publisher, type: row.extension.type }))
          collector.findings.push(toFinding(row));
      }
    } catch (error) {
      if (isAuthenticationFailure(error)) throw error;
      collector.addError(
        toScanError(`Resource Graph batch ${index + 1} (${batch.length} subscriptions from ${batch[0]})`, error),
      );
    }
    collector.subscriptionsDone += batch.length;
  }
}
