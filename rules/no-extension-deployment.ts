import type { FileRule, FileRuleContext } from "../src/core/rule.js";
import { createRule } from "./support/create-rule.js";
import {
  byContainer,
  scanAssignments,
  scanYamlAssignments,
  type Assignment,
  type Syntax,
} from "./support/assignments.js";
import { inComment } from "./support/code-paths.js";
import { BUILDER_PUBLISHER, BUILDER_TYPE, INSTALL_FIELDS, sdkInstalls } from "./support/sdk-installs.js";
import { commandAt, commandOptions, indentedLineAt, lineBefore, parentLine } from "./support/extent.js";
import { matches } from "./support/matches.js";
import { isTerraformJson, plannedInstalls } from "./support/terraform-json.js";
import { escapeRegExp } from "../src/core/patterns.js";
import { EXTENSION_PUBLISHER, isExtensionPublisher, isExtensionType } from "../src/imds.js";
import type { Language } from "../src/core/language.js";

// Infrastructure as code that installs the extension, and code that installs it through a management SDK
// (an object, dict, struct or builder; HCL or JSON written in a string). The extension is identified by
// publisher and type (case-insensitively, as Azure compares them), never by its free-form name. The
// publisher has no other types, so one of the two spelled out is enough where the other is set when the
// template is deployed (`"type": "[variables('msiExtensionName')]"`, `type: $._name`).

const SYNTAX: Partial<Record<Language, Syntax>> = {
  json: { lineComments: ["//"], blockComments: true, singleQuotes: false, multilineStrings: false },
  bicep: { lineComments: ["//"], blockComments: true, singleQuotes: true, multilineStrings: true },
  terraform: { lineComments: ["#", "//"], blockComments: true, singleQuotes: false, multilineStrings: true },
  powershell: { lineComments: ["#"], blockComments: false, singleQuotes: true, multilineStrings: false },
  // jsonnet, TOML, HOCON and other settings no rule knows by name.
  text: { lineComments: ["#", "//"], blockComments: true, singleQuotes: true, multilineStrings: false },
};
/**
 * Keys naming the extension's type and publisher: ARM/Bicep/Terraform `type`, PowerShell splatting
 * `ExtensionType`, and the parameters of a module or template that installs extensions (`vmExtType`,
 * `extensionPublisher`). Keys come lower-cased; the values decide.
 */
const isTypeKey = (key: string) => key.endsWith("type");
const isPublisherKey = (key: string) => key.endsWith("publisher");
/**
 * What only an install sets beside publisher and type, in any language's spelling (see sdk-installs.ts), as a
 * module's parameter too (`extensionTypeHandlerVersion`).
 */
const INSTALL_KEY = new RegExp(`(?:${INSTALL_FIELDS})$`, "i");
/** Azure's answer about an extension that exists (what-if, `az vm extension list`, Resource Graph): no template sets it. */
const isStateKey = (key: string) => key.endsWith("provisioningstate");

/** Languages whose SDKs install extensions from code. */
const SDK_LANGUAGES: readonly Language[] = ["python", "csharp", "java", "go", "javascript", "typescript", "ruby"];
const TYPE_UNSPELLED = "ManagedIdentityExtensionFor…";

/** A value known only when it is deployed: a name, an ARM expression, an interpolated string. */
const isDeployTime = (a: Assignment) => a.named === true || /^\[(?!\[)[\s\S]*\]$|\$\{|\{\{/.test(a.value);
/** An option's value a script fills in: `$type`, `${TYPE}`, `$(…)`, a `<placeholder>`. */
const isCommandVariable = (value: string) => /^["']?(?:\$|<)/.test(value);
/**
 * What an option's value at `at` may be: itself, and, for a variable (`$Type`, `"${PUB}"`), the value the
 * script last assigned it before, in the same function (`$Type = "…"`, `PUB=…`; PowerShell's names in any
 * case). A variable the script does not assign before (an argument, `$1`) is only itself.
 */
function valuesAt(context: FileRuleContext, value: string, at: number): string[] {
  const name = /^["']?\$\{?(\w+)\}?["']?$/.exec(value)?.[1];
  if (!name) return [value];
  const tree = context.syntax();
  const scope = tree.enclosing(at, at, "function");
  const assigned = new RegExp(String.raw`(?:^|[\s;(])\$?${name}[ \t]*=[ \t]*["']?([\w.]+)`, "gi");
  let last: string | undefined;
  for (const m of context.text.matchAll(assigned)) {
    if (m.index >= at) break;
    if (tree.enclosing(m.index + 1, m.index + 1, "function") === scope) last = m[1];
  }
  return last === undefined ? [value] : [value, last];
}
const DOCUMENTING_REACH = 2000;
/** A string that documents a resource rather than declares one: a provider's `Description`, a command's `Example`. */
const DOCUMENTING_FIELD =
  /^\s*(?:[\w.]+\.)?(?:Description|Examples?|Usage|Docs?|Help|Summary|Long|Short|Markdown)\s*[:=]/i;

const CMDLET = /\b(?:Set|Add)-Az(?:ureRm)?(?:VM|Vmss)Extension\b/gi;
const AZ_EXTENSION_SET = /\baz\s+(?:vm|vmss)\s+extension\s+set\b/gi;
/** The Azure CLI's command before 2.0.31 (`az vm identity assign` since), which installed the extension too. */
const AZ_ASSIGN_IDENTITY = /\baz\s+(vm|vmss)\s+assign-identity\b/gi;

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "no-extension-deployment",
    description:
      "Infrastructure that installs the deprecated Managed Identity VM extension: ARM, Bicep, Terraform, Ansible, " +
      "PowerShell (Set-AzVMExtension, Add-AzVmssExtension), Azure CLI (az vm|vmss extension set), and SDK calls " +
      "in C#, Java, Go, Python, Ruby, JavaScript and TypeScript.",
    severity: "error",
    fixable: false,
    messages: {
      installs:
        `Installs the deprecated Managed Identity VM extension (${EXTENSION_PUBLISHER} {{type}}); ` +
        `remove it: IMDS needs no extension.`,
      assignIdentity:
        "az {{group}} assign-identity is the Azure CLI before 2.0.31, which also installed the deprecated Managed " +
        "Identity VM extension; use az {{group}} identity assign (no extension), and check the machines this set " +
        "up with msi2imds scan.",
      plans:
        `A saved Terraform plan installs the deprecated Managed Identity VM extension (${EXTENSION_PUBLISHER} ` +
        "{{type}}); remove it from the configuration the plan was made from: IMDS needs no extension.",
      documents:
        `Documentation text shows an install of the deprecated Managed Identity VM extension (${EXTENSION_PUBLISHER} ` +
        "{{type}}); update the example: IMDS needs no extension.",
    },
  },
  languages: ["json", "bicep", "terraform", "powershell", "shell", "yaml", "dockerfile", "text", ...SDK_LANGUAGES],
  syntax: true,
  // Any case: Azure compares publishers case-insensitively, and so does check().
  // Never followed by "/": Microsoft.ManagedIdentity/userAssignedIdentities, a resource type every Azure SDK
  // and template names, is no extension (and parsing those files cost more than the rest of the run). Code
  // sets the publisher as a string, as the docs spell it: a literal that needs no case folding keeps the
  // screening of JS/TS and the other SDK languages as cheap as it was before this rule read them.
  prefilter: (_, language) =>
    language && SDK_LANGUAGES.includes(language)
      ? [new RegExp(`["'\`]${escapeRegExp(EXTENSION_PUBLISHER)}\\\\?["'\`]`)]
      : [new RegExp(`${escapeRegExp(EXTENSION_PUBLISHER)}(?![\\w./])`, "i"), /assign-identity/],
  check(context) {
    const syntax = SYNTAX[context.language];
    if (syntax) checkDeclarations(context, scanAssignments(context.text, syntax));
    if (context.language === "yaml") checkDeclarations(context, scanYamlAssignments(context.text));
    if (["powershell", "yaml", "text"].includes(context.language))
      checkCommands(context, CMDLET, ["-publisher"], ["-extensiontype", "-type"], "powershell");
    if (["powershell", "shell", "yaml", "dockerfile", "text"].includes(context.language)) {
      checkCommands(context, AZ_EXTENSION_SET, ["--publisher"], ["--name", "-n"]);
      for (const m of matches(context.text, AZ_ASSIGN_IDENTITY)) {
        if (inComment(context.syntax(), m.index)) continue;
        const data = { group: m[1]!.toLowerCase() };
        context.report({
          messageId: "assignIdentity",
          data,
          severity: "warning",
          start: m.index,
          end: m.index + m[0].length,
        });
      }
    }
    if (SDK_LANGUAGES.includes(context.language)) checkSdkCode(context);
    if (context.language === "text") checkTextBuilders(context);
  },
});

/** A fluent builder where no grammar reads the language (Kotlin or Scala over the Java SDK). */
const TEXT_BUILDER = new RegExp(
  String.raw`\.${BUILDER_PUBLISHER}["']${escapeRegExp(EXTENSION_PUBLISHER)}["']\s*\)`,
  "gi",
);
const TEXT_BUILDER_TYPE = new RegExp(
  String.raw`\.${BUILDER_TYPE}["'](ManagedIdentityExtensionFor(?:Linux|Windows))["']`,
  "i",
);
const BUILDER_REACH = 300;

function checkTextBuilders(context: FileRuleContext): void {
  for (const m of matches(context.text, TEXT_BUILDER)) {
    if (inComment(context.syntax(), m.index)) continue;
    const type = TEXT_BUILDER_TYPE.exec(context.text.slice(m.index, m.index + BUILDER_REACH))?.[1];
    context.report({
      messageId: "installs",
      data: { type: type ?? TYPE_UNSPELLED },
      start: m.index + 1,
      end: m.index + m[0].length,
    });
  }
}

function checkSdkCode(context: FileRuleContext): void {
  const tree = context.syntax();
  for (const install of sdkInstalls(tree)) {
    const type = install.type ?? TYPE_UNSPELLED;
    context.report({ messageId: "installs", data: { type }, start: install.start, end: install.end });
  }
  // Terraform or an ARM template written in a string (the Go provider's acceptance tests, Python heredocs).
  const publisher = EXTENSION_PUBLISHER.toLowerCase();
  for (const node of tree.ofKind("string")) {
    const literal = tree.textOf(node);
    if (literal.length <= publisher.length + 20 || !literal.toLowerCase().includes(publisher)) continue;
    // The field a documenting string is given is at the start of its line: seen only when the line is whole.
    const before = lineBefore(context.text, node.start, DOCUMENTING_REACH);
    const whole = before.length < DOCUMENTING_REACH || before.length === node.start;
    const documenting = whole && DOCUMENTING_FIELD.test(before);
    checkDeclarations(context, scanAssignments(literal, SYNTAX.terraform!), node.start, documenting);
  }
}

/** Objects (at `offset` in the file) that install the extension. */
function checkDeclarations(
  context: FileRuleContext,
  assignments: readonly Assignment[],
  offset = 0,
  documenting = false,
): void {
  const installedElsewhere = (group: readonly Assignment[]) =>
    declaredAsExtension(context, group, offset) ||
    (context.language === "powershell" && offset === 0 && splattedIntoCmdlet(context, group[0]!.start));
  const planned =
    context.language === "json" && offset === 0 && isTerraformJson(context.text)
      ? plannedInstalls(context.text)
      : undefined;
  for (const group of byContainer(assignments).values()) {
    const install = installIn(group, installedElsewhere);
    if (!install) continue;
    if (planned) {
      if (planned(install.at.start))
        context.report({
          messageId: "plans",
          severity: "warning",
          data: { type: install.type },
          start: install.at.start,
          end: install.at.end,
        });
      continue;
    }
    context.report({
      messageId: documenting ? "documents" : "installs",
      ...(documenting ? { severity: "warning" } : {}),
      data: { type: install.type },
      start: offset + install.at.start,
      end: offset + install.at.end,
    });
  }
}

/**
 * The extension an object installs: its publisher and type spelled out, or one spelled out and the other
 * set when it is deployed. Reported at the publisher, or at the type when only the type is spelled out.
 */
function installIn(
  group: readonly Assignment[],
  installedElsewhere: (group: readonly Assignment[]) => boolean,
): { at: Assignment; type: string } | undefined {
  // Ansible removes an extension with the same task and `state: absent`.
  if (group.some((a) => a.key === "state" && /^["']?absent["']?$/i.test(a.value))) return undefined;
  if (group.some((a) => isStateKey(a.key))) return undefined;
  // A filter, a lookup table or a template's variable names publisher and type too: an install also says
  // how (the handler's version, its upgrades, its settings), is declared as an extension resource, or is
  // handed to a command that installs.
  if (!group.some((a) => INSTALL_KEY.test(a.key)) && !installedElsewhere(group)) return undefined;
  const publishers = group.filter((a) => isPublisherKey(a.key));
  const types = group.filter((a) => isTypeKey(a.key));
  const publisher = publishers.find((a) => isExtensionPublisher(a.value));
  const type = types.find((a) => isExtensionType(a.value));
  const named = namesExtension(
    { spelled: publisher !== undefined, later: publishers.some(isDeployTime) },
    { spelled: type !== undefined, later: types.some(isDeployTime) },
  );
  return named ? { at: (publisher ?? type)!, type: type?.value ?? TYPE_UNSPELLED } : undefined;
}

/**
 * An object declared as an extension: after an ARM or Bicep resource type, a Terraform resource or `extension`
 * block, an Ansible module, an operator's kind, a scale set's extension profile (in JSON, also where the
 * resource's type follows its properties).
 */
function declaredAsExtension(context: FileRuleContext, group: readonly Assignment[], offset: number): boolean {
  const start = offset + Math.min(...group.map((a) => a.start));
  const end = offset + Math.max(...group.map((a) => a.end));
  const from = Math.max(0, start - RESOURCE_REACH);
  // YAML nests by indentation, which the window does not follow: its mappings are judged by nearness.
  const braces = context.language !== "yaml";
  for (const m of matches(context.text.slice(from, start), EXTENSION_RESOURCE_G)) {
    if (!braces || insideBlockAfter(context.text, from + m.index, start)) return true;
  }
  if (context.language !== "json") return false;
  // JSON: the resource's type may follow its properties, in the object that holds them.
  const after = EXTENSION_RESOURCE.exec(context.text.slice(end, end + RESOURCE_REACH));
  return after !== null && inParentBefore(context.text, end, end + after.index);
}

/** Whether `to` lies in a block opened after `from` and still open there (the resource's body). */
function insideBlockAfter(text: string, from: number, to: number): boolean {
  let depth = 0;
  let opened = false;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === "{" || c === "[") [depth, opened] = [depth + 1, true];
    else if (c === "}" || c === "]") depth--;
    if (opened && depth <= 0) return false;
  }
  return opened && depth > 0;
}

/** Whether, from `from` to `to`, exactly the block around `from` closes and nothing else opens for good. */
function inParentBefore(text: string, from: number, to: number): boolean {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    if (depth < -1) return false;
  }
  return depth === -1;
}
const EXTENSION_RESOURCE =
  /(?:virtualMachines|virtualMachineScaleSets)\/extensions\b|extensionProfile|azurerm_\w*virtual_machine\w*_extension\b|azure_rm_virtualmachine(?:scaleset)?extension\b|\bkind:\s*VirtualMachine\w*Extension\b|\bextension\s*\{/i;
const EXTENSION_RESOURCE_G = new RegExp(EXTENSION_RESOURCE.source, "gi");
const RESOURCE_REACH = 600;

/**
 * A PowerShell hashtable (the one whose key is at `at`) splatted into Set-AzVMExtension or Add-AzVmssExtension,
 * which may pass the version itself: `$extension = @{ Publisher = …; ExtensionType = … }` then
 * `Set-AzVMExtension @extension -TypeHandlerVersion 1.0`.
 */
function splattedIntoCmdlet(context: FileRuleContext, at: number): boolean {
  const head = /\$(\w+)\s*=\s*@\{[^{}]*$/.exec(context.text.slice(Math.max(0, at - SPLAT_REACH), at));
  if (!head) return false;
  const splat = new RegExp(String.raw`@${head[1]}\b`, "i");
  return [...matches(context.text, CMDLET)].some((m) =>
    splat.test(context.text.slice(m.index, commandAt(context, m.index, "powershell").end)),
  );
}
const SPLAT_REACH = 2000;

/** How a publisher or a type is given: spelled out as the extension's, or filled in later (deployment, a script). */
interface Given {
  spelled: boolean;
  later: boolean;
}

/** Both spelled out, or one spelled out and the other filled in later: the publisher has no other types. */
function namesExtension(publisher: Given, type: Given): boolean {
  return (publisher.spelled && (type.spelled || type.later)) || (type.spelled && publisher.later);
}

const YAML_KEY = /^([ \t]*)(?:-[ \t]+)?([\w.-]+)[ \t]*:/;
const DOCUMENTING_KEY = /^(?:description|summary|help|notes?|docs?|documentation|usage|examples?|long|short|message)$/i;
/** How many lines up a YAML value is followed to its key. */
const MAX_VALUE_LINES = 200;

/**
 * Whether `offset` lies in the value of a YAML key that documents (`description: >-` and the lines under it):
 * the key on its own line before it, else the nearest key its line hangs from.
 */
function inDocumentingValue(text: string, offset: number): boolean {
  const own = indentedLineAt(text, offset);
  const key = YAML_KEY.exec(own.text);
  if (key && own.start + key[0].length <= offset) return DOCUMENTING_KEY.test(key[2]!);
  for (let line = parentLine(text, own, MAX_VALUE_LINES); line; line = parentLine(text, line, MAX_VALUE_LINES)) {
    const parent = YAML_KEY.exec(line.text);
    if (parent) return DOCUMENTING_KEY.test(parent[2]!);
  }
  return false;
}

/**
 * A command whose publisher option and type option name the extension. `shell` is the language its lines
 * continue in: a cmdlet's are PowerShell's (backtick) in a pipeline's inline script too.
 */
function checkCommands(
  context: FileRuleContext,
  command: RegExp,
  publisherOptions: string[],
  typeOptions: string[],
  shell: Language = context.language,
): void {
  const found = [...matches(context.text, command)];
  for (const [i, m] of found.entries()) {
    if (inComment(context.syntax(), m.index)) continue;
    // Its options end where its command does, or where the next such command starts on the same line.
    const span = commandAt(context, m.index, shell);
    const options = commandOptions(context.text.slice(m.index, Math.min(span.end, found[i + 1]?.index ?? span.end)));
    const publisher = publisherOptions.map((o) => options.get(o)).find(Boolean);
    const type = typeOptions.map((o) => options.get(o)).find(Boolean);
    if (!publisher || !type) continue;
    const publisherValues = valuesAt(context, publisher.value, m.index);
    const typeValues = valuesAt(context, type.value, m.index);
    const spelledType = typeValues.find(isExtensionType);
    const named = namesExtension(
      { spelled: publisherValues.some(isExtensionPublisher), later: isCommandVariable(publisher.value) },
      { spelled: spelledType !== undefined, later: isCommandVariable(type.value) },
    );
    if (named) {
      const data = { type: spelledType ?? TYPE_UNSPELLED };
      const documenting = context.language === "yaml" && inDocumentingValue(context.text, m.index);
      context.report({
        messageId: documenting ? "documents" : "installs",
        data,
        start: m.index,
        end: m.index + m[0].length,
        ...(documenting ? { severity: "warning" as const } : {}),
      });
    }
  }
}
