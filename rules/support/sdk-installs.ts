import type { SyntaxNode, SyntaxTree } from "../../src/core/syntax-tree.js";
import { isExtensionPublisher, isExtensionType } from "../../src/imds.js";
import { boundNames, usesOf } from "./bindings.js";
import { stringValue } from "./string-literals.js";

// Extensions installed through a management SDK: an object literal, dict, struct or fluent builder that
// sets the publisher (and usually the type) of the extension. A value counts only where it is *set*
// (`publisher: …`, `Publisher = …`, `publisher=…`, `.withPublisher(…)`), not where it is compared
// (`ext.publisher == …`), and it may be a string or a constant bound to one in the same file. An object,
// dict or struct must set the type too, spelled out or computed (`'type': ext_type_name` after
// `ext_type_name = 'ManagedIdentityExtensionFor' + os`): an object that sets both defines an extension, where
// one naming the publisher alone may be a filter. A builder that sets the publisher Microsoft.ManagedIdentity
// (which publishes nothing but this extension) defines it even where the type is computed
// (`withType(isLinux ? LINUX : WINDOWS)`).

export interface SdkInstall {
  /** Where the publisher is set: the string, or the constant's name. */
  start: number;
  end: number;
  /** The type set beside it, when the file spells it. */
  type: string | undefined;
}

/**
 * Go's helpers around a value where it is set: `to.StringPtr(`, `to.Ptr(`, `ptr.To(`, `pointer.String(`,
 * `utils.String(`, Pulumi's `pulumi.String(` / `pulumi.StringPtr(`.
 */
const WRAPPER_CALL = String.raw`(?:\w+\.)?(?:StringPtr|Ptr|String|To)\s*\(`;
const WRAPPER = String.raw`(?:${WRAPPER_CALL}\s*|&\s*)?$`;
/** `key: `, `key = `, `key=`, `"key": `, `'key' => `, but not `key == ` or `key != `. */
const SETS = String.raw`["']?\s*(?<![=!<>])(?:=>|[:=])\s*`;
/** A fluent builder's setters (`.withPublisher(`, `.WithExtensionType(`), up to their argument. */
export const BUILDER_PUBLISHER = String.raw`(?:with|set)Publisher\s*\(\s*`;
export const BUILDER_TYPE = String.raw`(?:with|set)(?:Extension)?Type\s*\(\s*`;
/** The keys that set the type: `type`, `ExtensionType`, `type_properties_type`, `virtualMachineExtensionType`. */
const TYPE_KEYS = "type|extension_?type|type_?properties_?type|virtual_?machine_?extension_?type";
const PUBLISHER_SET = new RegExp(
  String.raw`(?:\bpublisher${SETS}|\b${BUILDER_PUBLISHER}|\.publisher\s*\(\s*)${WRAPPER}`,
  "i",
);
const TYPE_SET = new RegExp(String.raw`(?:\b(?:${TYPE_KEYS})${SETS}|\b${BUILDER_TYPE}|\.type\s*\(\s*)${WRAPPER}`, "i");
const BUILDER_SET = new RegExp(String.raw`\b${BUILDER_PUBLISHER}$`, "i");
/** TYPE_SET's keys read forwards, each with what follows up to its value. */
const TYPE_KEY = new RegExp(String.raw`(?<![\w.])["']?(?:${TYPE_KEYS})["']?\s*(?<![=!<>])(?:=>|[:=])(?!=)\s*`, "gi");
const PREFIX = 80;

interface Value {
  role: "publisher" | "type";
  /** Where it is set: the string, or the constant's name. */
  start: number;
  end: number;
  /** The string's value (a constant's, where the constant is used). */
  text: string;
}

export function sdkInstalls(tree: SyntaxTree): SdkInstall[] {
  const values = setValues(tree);
  const installs: SdkInstall[] = [];
  for (const publisher of values.filter((v) => v.role === "publisher")) {
    const builder = BUILDER_SET.test(prefix(tree.text, publisher.start));
    const beside = typeBeside(tree, publisher, values);
    // A filter, a lookup table's key or a test's model names publisher and type too: an install also says how.
    const type = beside && (builder || INSTALL_FIELD.test(tree.textOf(beside.scope))) ? beside.type : undefined;
    if (type || builder || setsComputedType(tree, publisher))
      installs.push({ start: publisher.start, end: publisher.end, type: type?.text });
  }
  return installs;
}

/** The publishers and types the file sets: strings in a setting position, or constants bound to them. */
function setValues(tree: SyntaxTree): Value[] {
  const { text } = tree;
  const values: Value[] = [];
  const constants = new Map<string, { role: Value["role"]; value: string }>();
  const roleOf = (value: string): Value["role"] | undefined =>
    isExtensionPublisher(value) ? "publisher" : isExtensionType(value) ? "type" : undefined;
  for (const node of tree.ofKind("string")) {
    const value = stringValue(tree.textOf(node));
    const role = roleOf(value);
    if (!role) continue;
    const before = prefix(text, node.start);
    if (inSdkCall(node.parent) && (role === "publisher" ? PUBLISHER_SET : TYPE_SET).test(before))
      values.push({ role, start: node.start, end: node.end, text: value });
    for (const name of boundNames(text, node.start)) constants.set(name, { role, value });
  }
  for (const [name, { role, value }] of constants) {
    for (const at of usesOf(tree, name)) {
      if (!inSdkCall(tree.enclosing(at, at + name.length))) continue;
      if ((role === "publisher" ? PUBLISHER_SET : TYPE_SET).test(prefix(text, at)))
        values.push({ role, start: at, end: at + name.length, text: value });
    }
  }
  return values.sort((a, b) => a.start - b.start);
}

/**
 * The type set in the nearest call, object or builder chain around the publisher that sets one (never across
 * a function): in a list of extensions, each entry's own.
 */
function typeBeside(
  tree: SyntaxTree,
  publisher: Value,
  values: readonly Value[],
): { type: Value; scope: SyntaxNode } | undefined {
  for (let node = tree.enclosing(publisher.start, publisher.end); node; node = node.parent) {
    if (node.kind === "function") break;
    if (node.kind !== "call" && node.kind !== "object") continue;
    const scope = node;
    const type = values.find((v) => v.role === "type" && v.start >= scope.start && v.end <= scope.end);
    if (type) return { type, scope };
  }
  return undefined;
}

/**
 * The object, dict, struct or call that sets the publisher also sets a type the file does not spell: a
 * name, a call, a concatenation or interpolation. Never another extension's type spelled out, nor the type
 * read from an extension that exists (`"type": ext.type_properties_type`: a row of a report, not an install).
 */
function setsComputedType(tree: SyntaxTree, publisher: Value): boolean {
  const container = containerOf(tree, publisher.start);
  // A filter, a report's row or a test's model names publisher and type too: an install also sets how.
  if (!container || !INSTALL_FIELD.test(tree.textOf(container))) return false;
  for (const key of tree.textOf(container).matchAll(TYPE_KEY)) {
    const at = container.start + key.index;
    if (containerOf(tree, at) !== container) continue; // a key of an object nested inside
    const valueAt = at + key[0].length;
    const literal = tree.enclosing(valueAt, valueAt + 1, "string");
    if (literal?.start !== valueAt) {
      if (!READ_OR_NOTHING.test(tree.text.slice(valueAt, valueAt + 80))) return true;
      continue;
    }
    const value = tree.textOf(literal);
    const joined = /^\s*(?:\+|%|\.format\b)/.test(tree.text.slice(literal.end, literal.end + 20));
    if (joined || /\{|\$\{|#\{/.test(value) || /ManagedIdentityExtensionFor/i.test(value)) return true;
  }
  return false;
}

/** The object or call a key or value is set in, past the wrappers around a value (`to.StringPtr(…)`). */
function containerOf(tree: SyntaxTree, offset: number): SyntaxNode | undefined {
  let node = tree.enclosing(offset, offset + 1, ["call", "object"]);
  while (node?.kind === "call" && node.parent?.kind === "object" && WRAPPED.test(tree.textOf(node))) node = node.parent;
  return node;
}
/**
 * What only an install sets beside publisher and type: the handler's version, its upgrades, its settings
 * (`typeHandlerVersion`, `type_handler_version`, `TypeHandlerVersion`, `protectedSettings`, …).
 */
export const INSTALL_FIELDS =
  "type_?handler_?version|auto_?upgrade_?minor_?version|enable_?automatic_?upgrade|(?:protected_?)?settings";
const INSTALL_FIELD = new RegExp(String.raw`\b(?:${INSTALL_FIELDS})\b`, "i");
/** `ext.type_properties_type`, `*ext.Properties.Type`, `None`, `null`: nothing computed for an install. */
const READ_OR_NOTHING = /^(?:[*&]?[\w$]+(?:\??\.[\w$]+)*\??\.\w*type\w*\b(?!\s*\()|(?:None|null|nil|undefined)\b)/i;
const WRAPPED = new RegExp(`^${WRAPPER_CALL}`);

/** Set as an argument, a field of an object or a struct: not a variable of its own (`publisher = "…"`). */
function inSdkCall(around: SyntaxNode | undefined): boolean {
  return around?.kind === "call" || around?.kind === "object";
}

function prefix(text: string, offset: number): string {
  return text.slice(Math.max(0, offset - PREFIX), offset);
}
