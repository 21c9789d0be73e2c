import type { TextEdit } from "../../../core/finding.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import type { Option } from "./options.js";

// Edits shared by the curl and wget rewrites: removing an option where it is written, adding words after
// the command's name or after its last argument.

export function commandArguments(command: ConcreteNode): ConcreteNode[] {
  return command.children.filter((child) => child.field === "argument");
}

/**
 * Removes an option and its value: the whole argument(s) with the space before them, or, in a cluster
 * (`-sX POST`), the option's letter and what follows it in the argument.
 */
export function removeOption(command: ConcreteNode, option: Option): TextEdit[] {
  const args = commandArguments(command);
  const last = option.valueNode ?? option.node;
  if (option.clusterIndex !== undefined && option.clusterIndex > 1) {
    const edits: TextEdit[] = [{ start: option.node.start + option.clusterIndex, end: option.node.end, text: "" }];
    if (option.valueNode) edits.push({ start: option.node.end, end: option.valueNode.end, text: "" });
    return edits;
  }
  const index = args.indexOf(option.node);
  const before = index > 0 ? args[index - 1]!.end : command.children.find((c) => c.field === "name")!.end;
  return [{ start: before, end: last.end, text: "" }];
}

/** Words inserted right after the command's name. */
export function afterName(command: ConcreteNode, words: readonly string[]): TextEdit[] {
  const name = command.children.find((c) => c.field === "name")!;
  return words.length === 0 ? [] : [{ start: name.end, end: name.end, text: ` ${words.join(" ")}` }];
}

/** An assignment for the command alone, written before its name (`http_proxy= wget …`). */
export function beforeName(command: ConcreteNode, assignment: string): TextEdit {
  const name = command.children.find((c) => c.field === "name")!;
  return { start: name.start, end: name.start, text: `${assignment} ` };
}

/** Whether the command is run with `variable` set for it alone (`http_proxy=… wget …`). */
export function setsForCommand(text: string, command: ConcreteNode, variable: string): boolean {
  return command.children.some((c) => c.type === "variable_assignment" && text.startsWith(`${variable}=`, c.start));
}

/** Words added after the command's last argument. */
export function afterArguments(command: ConcreteNode, words: readonly string[]): TextEdit[] {
  const last = commandArguments(command).at(-1) ?? command.children.find((c) => c.field === "name")!;
  return words.length === 0 ? [] : [{ start: last.end, end: last.end, text: ` ${words.join(" ")}` }];
}
