import type { FileRule, FileRuleContext } from "../src/core/rule.js";
import { createRule } from "./support/create-rule.js";
import { byContainer, scanAssignments, type Syntax } from "./support/assignments.js";
import { inComment } from "./support/code-paths.js";
import { sdkInstalls } from "./support/sdk-installs.js";
import { commandAt, commandOptions } from "./support/extent.js";
import { matches } from "./support/matches.js";
import { escapeRegExp } from "../src/core/patterns.js";
import { EXTENSION_PUBLISHER, isManagedIdentityExtension } from "../src/imds.js";
import type { Language } from "../src/core/language.js";

// Infrastructure as code that installs the extension, and code that installs it through a management SDK
// (an object, dict, struct or builder; HCL or JSON written in a string). The extension is identified by
// publisher and type (case-insensitively, as Azure compares them), never by its free-form name.

const SYNTAX: Partial<Record<Language, Syntax>> = {
  json: { lineComments: ["//"], blockComments: true, singleQuotes: false, multilineStrings: false },
  bicep: { lineComments: ["//"], blockComments: true, singleQuotes: true, multilineStrings: true },
  terraform: { lineComments: ["#", "//"], blockComments: true, singleQuotes: false, multilineStrings: true },
  powershell: { lineComments: ["#"], blockComments: false, singleQuotes: true, multilineStrings: false },
};
/**
 * Keys naming the extension's type and publisher: ARM/Bicep/Terraform `type`, PowerShell splatting
 * `ExtensionType`, and the parameters of a module or template that installs extensions (`vmExtType`,
 * `extensionPublisher`). Keys come lower-cased; the values decide.
 */
const isTypeKey = (key: string) => key.endsWith("type");
const isPublisherKey = (key: string) => key.endsWith("publisher");

/** Languages whose SDKs install extensions from code. */
const SDK_LANGUAGES: readonly Language[] = ["python", "csharp", "java", "go", "javascript", "typescript", "ruby"];
const TYPE_UNSPELLED = "ManagedIdentityExtensionFor…";

const CMDLET = /\b(?:Set|Add)-Az(?:ureRm)?(?:VM|Vmss)Extension\b/gi;
const AZ_EXTENSION_SET = /\baz\s+(?:vm|vmss)\s+extension\s+set\b/gi;

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "no-extension-deployment",
    description:
      "Infrastructure that installs the deprecated Managed Identity VM extension: ARM templates, Bicep, Terraform, " +
      "PowerShell (Set-AzVMExtension, Add-AzVmssExtension), Azure CLI (az vm|vmss extension set), and management " +
      "SDK calls in C#, Java, Go, Python, Ruby, JavaScript and TypeScript.",
    severity: "error",
    fixable: false,
    messages: {
      installs:
        `Installs the deprecated Managed Identity VM extension (${EXTENSION_PUBLISHER} {{type}}); ` +
        `remove it: IMDS needs no extension.`,
    },
  },
  languages: ["json", "bicep", "terraform", "powershell", "shell", "yaml", "dockerfile", ...SDK_LANGUAGES],
  syntax: true,
  // Any case: Azure compares publishers case-insensitively, and so does check().
  // Never followed by "/": Microsoft.ManagedIdentity/userAssignedIdentities, a resource type every Azure SDK
  // and template names, is no extension (and parsing those files cost more than the rest of the run). Code
  // sets the publisher as a string, as the docs spell it: a literal that needs no case folding keeps the
  // screening of JS/TS and the other SDK languages as cheap as it was before this rule read them.
  prefilter: (_, language) =>
    language && SDK_LANGUAGES.includes(language)
      ? [new RegExp(`["'\`]${escapeRegExp(EXTENSION_PUBLISHER)}\\\\?["'\`]`)]
      : [new RegExp(`${escapeRegExp(EXTENSION_PUBLISHER)}(?![\\w./])`, "i")],
  check(context) {
    const syntax = SYNTAX[context.language];
    if (syntax) checkDeclarations(context, context.text, 0, syntax);
    if (context.language === "powershell") checkCommands(context, CMDLET, ["-publisher"], ["-extensiontype", "-type"]);
    if (["powershell", "shell", "yaml", "dockerfile"].includes(context.language)) {
      checkCommands(context, AZ_EXTENSION_SET, ["--publisher"], ["--name", "-n"]);
    }
    if (SDK_LANGUAGES.includes(context.language)) checkSdkCode(context);
  },
});

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
    if (literal.length > publisher.length + 20 && literal.toLowerCase().includes(publisher))
      checkDeclarations(context, literal, node.start, SYNTAX.terraform!);
  }
}

/** Objects of `text` (at `offset` in the file) whose publisher and type name the extension. */
function checkDeclarations(context: FileRuleContext, text: string, offset: number, syntax: Syntax): void {
  for (const group of byContainer(scanAssignments(text, syntax)).values()) {
    const types = group.filter((a) => isTypeKey(a.key));
    for (const publisher of group.filter((a) => isPublisherKey(a.key))) {
      const type = types.find((t) => isManagedIdentityExtension(publisher.value, t.value));
      if (!type) continue;
      const start = offset + publisher.start;
      context.report({ messageId: "installs", data: { type: type.value }, start, end: offset + publisher.end });
      break;
    }
  }
}

/** A command whose publisher option and type option name the extension. */
function checkCommands(
  context: FileRuleContext,
  command: RegExp,
  publisherOptions: string[],
  typeOptions: string[],
): void {
  const found = [...matches(context.text, command)];
  for (const [i, m] of found.entries()) {
    if (inComment(context.syntax(), m.index)) continue;
    // Its options end where its command does, or where the next such command starts on the same line.
    const span = commandAt(context, m.index, context.language);
    const options = commandOptions(context.text.slice(m.index, Math.min(span.end, found[i + 1]?.index ?? span.end)));
    const publisher = publisherOptions.map((o) => options.get(o)).find(Boolean);
    const type = typeOptions.map((o) => options.get(o)).find(Boolean);
    if (publisher && type && isManagedIdentityExtension(publisher.value, type.value)) {
      context.report({ messageId: "installs", data: { type: type.value }, start: m.index, end: m.index + m[0].length });
    }
  }
}
