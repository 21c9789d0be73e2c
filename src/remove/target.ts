import type { RemovalTarget } from "../core/report.js";

// Small facts about a removal target: its extension's id, and what a Manual scale set keeps afterwards.

export function extensionIdOf(target: RemovalTarget): string {
  return `${target.resourceId}/extensions/${target.extensionName}`;
}

/** What a Manual scale set keeps after its model lost the extension, with the command that finishes the job. */
export function instancesRemain(target: Pick<RemovalTarget, "resourceGroup" | "name">): string {
  return (
    `instances keep the extension until upgraded: ` +
    `az vmss update-instances -g ${target.resourceGroup} -n ${target.name} --instance-ids '*'`
  );
}
