// Terraform's own JSON: a saved plan (`terraform show -json`) or a state file. Both name every resource with
// its attributes, an extension's publisher, type and handler version among them, yet neither installs
// anything: state records what exists, a plan what the configuration it was made from would do. Only a
// plan's change that creates or updates the extension says so, and the configuration is what to edit.

/** Plans and state say which Terraform wrote them, at the top. */
const TERRAFORM_JSON = /^\s*\{[\s\S]{0,2000}?"terraform_version"\s*:/;

export function isTerraformJson(text: string): boolean {
  return TERRAFORM_JSON.test(text);
}

/** An object or array that encloses an offset: the key it is the value of (undefined in an array), where it opens. */
interface Enclosing {
  key: string | undefined;
  start: number;
}

/**
 * Whether the object at `offset` in a plan is what a change creates or updates: the `after` of a change
 * whose actions include "create" or "update". Anything else there (before, prior state, planned values, a
 * state's attributes) is a record.
 */
export function plannedToInstall(text: string, offset: number): boolean {
  const path = enclosingAt(text, offset);
  const own = path.at(-1);
  const change = path.at(-2);
  if (own?.key !== "after" || change?.key !== "change") return false;
  const actions = /"actions"\s*:\s*\[([^\]]*)\]/.exec(text.slice(change.start, own.start))?.[1] ?? "";
  return /"(?:create|update)"/.test(actions);
}

/** The objects and arrays of well-formed JSON that enclose `offset`, outermost first. */
function enclosingAt(text: string, offset: number): Enclosing[] {
  const stack: Enclosing[] = [];
  let key: string | undefined;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      const next = /^\s*:/.test(text.slice(end + 1, end + 40));
      if (next) key = text.slice(i + 1, end);
      i = end;
    } else if (c === "{" || c === "[") {
      stack.push({ key, start: i });
      key = undefined;
    } else if (c === "}" || c === "]") {
      stack.pop();
      key = undefined;
    } else if (c === ",") key = undefined;
  }
  return stack;
}

/** The offset of the quote that closes the string opened at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
