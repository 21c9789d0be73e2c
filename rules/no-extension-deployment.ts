import type { FileRule, FileRuleContext } from "../src/core/rule.js";
import { createRule } from "./support/create-rule.js";
import { byContainer, scanAssignments, type Syntax } from "./support/assignments.js";
import { commandAt, commandOptions } from "./support/extent.js";
import { matches } from "./support/matches.js";
import { escapeRegExp } from "../src/core/patterns.js";
import { EXTENSION_PUBLISHER, isManagedIdentityExtension } from "../src/imds.js";
import type { Language } from "../src/core/language.js";

// Infrastructure as code that installs the extension. The extension is identified by publisher and type
// (case-insensitively, as Azure compares them), never by its free-form name.

const SYNTAX: Partial<Record<Language, Syntax>> = {
  json: { lineComments: ["//"], blockComments: true, singleQuotes: false, multilineStrings: false },
  bicep: { lineComments: ["//"], blockComments: true, singleQuotes: true, multilineStrings: true },
  terraform: { lineComments: ["#", "//"], blockComments: true, singleQuotes: false, multilineStrings: true },
  powershell: { lineComments: ["#"], blockComments: false, singleQuotes: true, multilineStrings: false },
};
/** Keys naming the extension's type: ARM/Bicep/Terraform `type`, PowerShell splatting `ExtensionType`. */
const TYPE_KEYS = ["type", "extensiontype"];
const PUBLISHER_KEYS = ["publisher"];

const CMDLET = /\b(?:Set|Add)-Az(?:ureRm)?(?:VM|Vmss)Extension\b/gi;
const AZ_EXTENSION_SET = /\baz\s+(?:vm|vmss)\s+extension\s+set\b/gi;

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "no-extension-deployment",
    description:
      "Infrastructure that installs the deprecated Managed Identity VM extension: ARM templates, Bicep, Terraform, " +
      "PowerShell (Set-AzVMExtension, Add-AzVmssExtension) and Azure CLI (az vm|vmss extension set).",
    severity: "error",
    fixable: false,
    messages: {
      installs:
        `Installs the deprecated Managed Identity VM extension (${EXTENSION_PUBLISHER} {{type}}); ` +
        `remove it: IMDS needs no extension.`,
    },
  },
  languages: ["json", "bicep", "terraform", "powershell", "shell", "yaml", "dockerfile"],
  // Any case: Azure compares publishers case-insensitively, and so does check().
  prefilter: () => [new RegExp(`${escapeRegExp(EXTENSION_PUBLISHER)}(?![\\w.])`, "i")],
  check(context) {
    const syntax = SYNTAX[context.language];
    if (syntax) checkDeclarations(context, syntax);
    if (context.language === "powershell") checkCommands(context, CMDLET, ["-publisher"], ["-extensiontype", "-type"]);
    if (context.language !== "json" && context.language !== "bicep" && context.language !== "terraform") {
      checkCommands(context, AZ_EXTENSION_SET, ["--publisher"], ["--name", "-n"]);
    }
  },
});

function checkDeclarations(context: FileRuleContext, syntax: Syntax): void {
  for (const group of byContainer(scanAssignments(context.text, syntax)).values()) {
    const publisher = group.find((a) => PUBLISHER_KEYS.includes(a.key));
    const type = group.find((a) => TYPE_KEYS.includes(a.key));
    if (publisher && type && isManagedIdentityExtension(publisher.value, type.value)) {
      context.report({ messageId: "installs", data: { type: type.value }, start: publisher.start, end: publisher.end });
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
