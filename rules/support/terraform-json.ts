// Terraform's own JSON: a saved plan (`terraform show -json`) or a state file. Both name every resource with
// its attributes, an extension's publisher, type and handler version among them, yet neither installs
// anything: state records what exists, a plan what the configuration it was made from would do. Only a
// plan's change that creates or updates the extension says so, and the configuration is what to edit.

/**
 * Plans and state say which Terraform wrote them (anywhere: `jq -S` sorts the key after `configuration`); a
 * policy's test input may keep only a plan's `resource_changes`.
 */
const TERRAFORM_JSON = /"terraform_version"\s*:\s*"\d|"resource_changes"\s*:\s*\[/;

export function isTerraformJson(text: string): boolean {
  return TERRAFORM_JSON.test(text);
}

/** An object or array of the JSON: the key it is the value of (undefined in an array), and where it lies. */
interface Container {
  key: string | undefined;
  start: number;
  end: number;
  parent: Container | undefined;
}

/**
 * Whether an offset of a plan lies in what one of its changes creates or updates: the `after` of a
 * `resource_changes` entry whose actions include "create" or "update" (a scale set's extension nested in
 * it too). Anything else (before, prior state, planned values, drift, a state's attributes) is a record.
 * The plan is read once, however many offsets are asked.
 */
export function plannedInstalls(text: string): (offset: number) => boolean {
  const containers = containersOf(text);
  const actionsOf = new Map(containers.filter((c) => c.key === "actions").map((c) => [c.parent, c]));
  const planned = containers
    .filter(({ key, parent }) => key === "after" && parent?.key === "change" && isResourceChange(parent.parent))
    .filter((after) => {
      const actions = actionsOf.get(after.parent);
      return actions !== undefined && /"(?:create|update)"/.test(text.slice(actions.start, actions.end));
    });
  // In the order they open, and apart (no change holds another): the last that opens before an offset is
  // the only one that can hold it.
  return (offset) => {
    let [lo, hi] = [0, planned.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (planned[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const range = planned[lo];
    return range !== undefined && range.start <= offset && offset < range.end;
  };
}

/** An entry of the top-level `resource_changes` list. */
function isResourceChange(entry: Container | undefined): boolean {
  const list = entry?.parent;
  return entry?.key === undefined && list?.key === "resource_changes" && list.parent?.parent === undefined;
}

/** Every object and array of well-formed JSON, each with its parent, in the order they open. */
function containersOf(text: string): Container[] {
  const containers: Container[] = [];
  const open: Container[] = [];
  let key: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (/^\s*:/.test(text.slice(end + 1, end + 40))) key = text.slice(i + 1, end);
      i = end;
    } else if (c === "{" || c === "[") {
      const container = { key, start: i, end: text.length, parent: open.at(-1) };
      containers.push(container);
      open.push(container);
      key = undefined;
    } else if (c === "}" || c === "]") {
      const closed = open.pop();
      if (closed) closed.end = i + 1;
      key = undefined;
    } else if (c === ",") key = undefined;
  }
  return containers;
}

/** The offset of the quote that closes the string opened at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
