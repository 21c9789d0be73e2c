import type { Language } from "../src/core/language.js";
import type { FileRule, FileRuleContext } from "../src/core/rule.js";
import type { SyntaxNode } from "../src/core/syntax-tree.js";
import { DEFAULT_API_VERSION, IMDS_TOKEN_URL } from "../src/imds.js";
import { inComment } from "./support/code-paths.js";
import { createRule } from "./support/create-rule.js";
import { azLoginMsiSwitches, type AzLoginSwitch } from "./support/az-login.js";
import { callArguments, commandAt, splitArguments } from "./support/extent.js";
import {
  GO_AUTOREST,
  GO_AUTOREST_ADAL,
  MS_REST_AZURE,
  MSRESTAZURE,
  versionVerdict,
  type MovedLibrary,
} from "./support/legacy-libraries.js";
import { matches } from "./support/matches.js";
import { EXTENSION_FOLDER } from "./support/endpoint-patterns.js";

// Old SDK entry points, CLI switches and settings that make a program talk to the extension. Where a
// library moved to IMDS in a known release, the project's lock file or manifest decides: an old or unknown
// release is an error, a release on IMDS is not (or a warning where a leftover option is now ignored).
// In JS/TS, MSIVmTokenCredentials and loginWithVmMSI are the codemod's (no-extension-endpoint).

const IMDS = `GET ${IMDS_TOKEN_URL}?api-version=${DEFAULT_API_VERSION} with Metadata: true`;
const COMMAND_LANGUAGES: readonly Language[] = ["shell", "powershell", "yaml", "dockerfile"];

/** The setting, also under a chart's prefix (`azureUseManagedIdentityExtension`, cluster-autoscaler's). */
const USE_EXTENSION = "[A-Za-z]*[uU]seManagedIdentityExtension|[A-Z_]*USE_MANAGED_IDENTITY_EXTENSION";
const TRUE = String.raw`(?:true|True|TRUE)\b`;

/** Settings that name the extension, as written in JSON, YAML, env files, scripts and code. */
const SETTINGS: {
  pattern: RegExp;
  messageId: string;
  warning: boolean;
  requires?: RegExp;
  /** Languages where the name is no setting of this kind. */
  not?: readonly Language[];
}[] = [
  // ms_rest_azure (Ruby) asks the extension instead of IMDS when MSI_VM is true.
  {
    pattern: /\bMSI_VM\b["']?\]?\s*(?:=>|[:=])\s*["']?(?:true|True|TRUE|1)\b/g,
    messageId: "msiVmSetting",
    warning: false,
  },
  // As a key (JSON, YAML, HCL, env, `--set a.b=true`, JSON escaped in a shell string), or as the name of a
  // name/value pair (a Kubernetes env entry, a Helm release's `set` block).
  {
    pattern: new RegExp(
      String.raw`\b(?<setting>${USE_EXTENSION})\b(?:\\?["'])?\]?\s*[:=]\s*(?:\\?["'])?${TRUE}|` +
        String.raw`\bname\s*[:=]\s*["']?(?:[\w-]+\.)*(?<named>${USE_EXTENSION})["']?[ \t]*\r?\n[ \t]*value\s*[:=]\s*["']?${TRUE}`,
      "g",
    ),
    messageId: "useExtensionSetting",
    warning: true,
  },
  // The extension's port set to a number: Jenkins azure-credentials' MSI setting (XML, Groovy, JCasC YAML), the
  // old Java SDK's MSICredentials field. `this.msiPort = msiPort` passes a value on and sets nothing.
  // In JS/TS it is a variable (azure-pipelines-tasks' `this.msiPort`), whose URL no-extension-endpoint judges.
  {
    pattern: /\bmsiPort\b["']?\s*(?:[:=(]\s*["']?\d|>\s*\d)/g,
    messageId: "msiPortSetting",
    warning: true,
    not: ["javascript", "typescript"],
  },
  // The same credential made in code (a Jenkins init script, a plugin's caller): its port is an argument.
  {
    pattern: /\bnew\s+(?:[\w.]+\.)?(?<setting>AzureMsiCredentials)\s*\(/g,
    messageId: "msiPortSetting",
    warning: true,
    // Jenkins' class, not another SDK's of the same name (Databricks' asks IMDS).
    requires: /\bcom\.microsoft\.azure\.util\b/,
  },
];

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "no-legacy-msi-sdk",
    description:
      "Old SDK APIs, CLI switches and settings that use the Managed Identity VM extension (msrestazure, Java " +
      "MSICredentials, .NET Fluent MSILoginInformation, Ruby MSITokenProvider, go-autorest GetMSIVMEndpoint, " +
      "az login --msi, AzureRM -MSI, extension settings); version-aware through lock files.",
    severity: "error",
    fixable: false,
    messages: {
      msiAuthenticationPort:
        "msrestazure MSIAuthentication(port=…) asks the deprecated Managed Identity VM extension before 0.4.25 " +
        "(here: {{version}}); drop port and upgrade (0.4.25 and later use IMDS), or move to azure-identity " +
        "ManagedIdentityCredential.",
      msiAuthenticationPortIgnored:
        "{{version}} ignores MSIAuthentication's port and asks IMDS: remove port=…, a leftover of the " +
        "deprecated VM extension (better: azure-identity ManagedIdentityCredential).",
      getMsiToken:
        "msrestazure get_msi_token POSTs to the deprecated Managed Identity VM extension; " +
        "use azure-identity ManagedIdentityCredential (IMDS).",
      msiCredentialsPort:
        "new MSICredentials(env, port) asks the deprecated Managed Identity VM extension; " +
        "use azure-identity ManagedIdentityCredential (IMDS).",
      msiLoginInformationPort:
        "MSILoginInformation { Port = … } makes the .NET Fluent SDK ask the deprecated Managed Identity VM " +
        "extension; drop Port (IMDS is then used) or move to Azure.Identity ManagedIdentityCredential.",
      msiTokenProvider:
        "MsRestAzure::MSITokenProvider asks the deprecated Managed Identity VM extension in ms_rest_azure before " +
        "0.10.4, and in any release when MSI_VM=true ({{version}}): pin ms_rest_azure 0.10.4 or later in " +
        `Gemfile.lock and leave MSI_VM unset, or request tokens from IMDS directly (${IMDS}).`,
      msiTokenProviderOld:
        "MsRestAzure::MSITokenProvider asks the deprecated Managed Identity VM extension before ms_rest_azure " +
        "0.10.4 (here: {{version}}); upgrade ms_rest_azure (0.10.4 and later ask IMDS unless MSI_VM=true), " +
        `or request tokens from IMDS directly (${IMDS}).`,
      getMsiVmEndpoint:
        "go-autorest's GetMSIVMEndpoint reads the Managed Identity VM extension's settings before v10.6.0 " +
        "(here: {{version}}); upgrade go-autorest, or better use azidentity.NewManagedIdentityCredential.",
      extensionFolder:
        "Looks for the deprecated Managed Identity VM extension's own folder on the machine ({{folder}}): once the " +
        "extension is removed the folder is gone, and IMDS needs none. Don't gate a token request on it; if this " +
        "only finds machines that still have the extension, suppress it with a reason.",
      settingsFile:
        "Reads ManagedIdentity-Settings, the deprecated Managed Identity VM extension's settings file; " +
        `request tokens from IMDS instead (${IMDS}).`,
      azLoginMsi: "az login {{option}} used the deprecated Managed Identity VM extension; use az login --identity.",
      azureRmMsiLogin:
        "AzureRM's managed-service sign-in ({{option}}) dates from the Managed Identity VM extension: its first " +
        "releases asked the extension (MSI@50342), later ones fall back to it, and AzureRM is retired; sign in " +
        "with Connect-AzAccount -Identity (Az.Accounts), which asks IMDS.",
      msiVmSetting:
        "MSI_VM=true makes ms_rest_azure's MSITokenProvider ask the deprecated Managed Identity VM extension; " +
        "remove it (IMDS is the default).",
      useExtensionSetting:
        "{{setting}} names the Managed Identity VM extension: components from before 2018 need the extension " +
        "for it, current ones (cloud-provider-azure, aks-engine) ask IMDS. Check the component's version, and " +
        "remove the extension from the machines if it is still installed.",
      msiPortSetting:
        "msiPort is the port of the deprecated Managed Identity VM extension, as Jenkins azure-credentials' " +
        "AzureMsiCredentials and the old Java SDK's MSICredentials take it; current releases ask IMDS: remove the " +
        "setting and upgrade (in Jenkins, use a managed-identity credential that asks IMDS, AzureImdsCredentials).",
    },
  },
  languages: [
    "python",
    "java",
    "go",
    "csharp",
    "ruby",
    "javascript",
    "typescript",
    "json",
    "terraform",
    "bicep",
    "text",
    ...COMMAND_LANGUAGES,
  ],
  syntax: true,
  // In their own case, as the languages, settings files (and check()) spell them: a word such as
  // "extension" in any case would make half of a dependency tree a candidate.
  prefilter: (_, language) => [
    /MSIAuthentication/,
    /get_msi_token/,
    /MSICredentials/,
    /GetMSIVMEndpoint/,
    /ManagedIdentity-Settings/,
    /--msi\b/,
    /MSITokenProvider/,
    /MSILoginInformation/,
    /msiPort/,
    /AzureMsiCredentials/,
    /MSI_VM/,
    /seManagedIdentityExtension/,
    /USE_MANAGED_IDENTITY_EXTENSION/,
    /ManagedIdentity\.ManagedIdentityExtensionFor/,
    // PowerShell's names are any case; other files are not screened for them (an any-case word without a sign
    // in it is the costliest kind of anchor to look for).
    ...(language === "powershell" || language === undefined ? [/AzureRmAccount/i] : []),
  ],
  check(context) {
    const calls = (pattern: RegExp) =>
      context
        .syntax()
        .ofKind("call")
        .filter((c) => pattern.test(c.name ?? ""));
    switch (context.language) {
      // In JS/TS, ms-rest-azure's and ms-rest-nodeauth's entry points are the codemod's (no-extension-endpoint):
      // it knows where a call was imported from, and gives one item per file, or removes a leftover port.
      case "python": {
        for (const call of calls(/(?:^|\.)MSIAuthentication$/)) {
          if (!/\bport\s*=/.test(context.syntax().textOf(call))) continue;
          const verdict = versionVerdict(context, MSRESTAZURE);
          const moved = verdict.state === "moved";
          reportCall(context, call, moved ? "msiAuthenticationPortIgnored" : "msiAuthenticationPort", {
            data: { version: verdict.described },
            ...(moved ? { severity: "warning" } : {}),
          });
        }
        // A common name for one's own function: only msrestazure's, as the file imports it, is reported.
        const fromMsrestazure = msrestazureNames(context.text);
        for (const call of calls(/(?:^|\.)get_msi_token$/))
          if (fromMsrestazure.has(call.name!.split(".")[0]!)) reportCall(context, call, "getMsiToken");
        break;
      }
      case "java":
        for (const call of calls(/^new MSICredentials$/)) {
          const open = context.text.indexOf("(", call.start + call.name!.length);
          if (splitArguments(callArguments(context.text, open)).length >= 2)
            reportCall(context, call, "msiCredentialsPort");
        }
        break;
      case "csharp":
        for (const call of calls(/^new MSILoginInformation$/))
          if (/\{[^}]*\bPort\s*=/.test(context.syntax().textOf(call)))
            reportCall(context, call, "msiLoginInformationPort");
        break;
      case "ruby":
        // From 0.10.4 on only MSI_VM=true sends it to the extension, and that setting has a finding of its own.
        for (const call of calls(/(?:^|::)MSITokenProvider\.new$/)) {
          const verdict = versionVerdict(context, MS_REST_AZURE);
          if (verdict.state === "moved") continue;
          const data = { version: verdict.described };
          if (verdict.state === "old") reportCall(context, call, "msiTokenProviderOld", { data }, "MSITokenProvider");
          else reportCall(context, call, "msiTokenProvider", { data, severity: "warning" }, "MSITokenProvider");
        }
        break;
      case "go":
        for (const call of calls(/(?:^|\.)GetMSIVMEndpoint$/))
          reportVersioned(context, call, GO_AUTOREST_ADAL, "getMsiVmEndpoint", GO_AUTOREST);
        break;
      case "text":
        checkCredentialsInText(context);
        break;
    }
    reportText(context, /ManagedIdentity-Settings/g, "settingsFile");
    // The agent names the folders it installs and logs the extension in by publisher and type:
    // /var/lib/waagent/Microsoft.ManagedIdentity.ManagedIdentityExtensionForLinux-1.0.0.8, C:\Packages\Plugins\….
    reportText(context, EXTENSION_FOLDER, "extensionFolder", (folder) => ({ data: { folder }, severity: "warning" }));
    for (const { pattern, messageId, warning, requires, not } of SETTINGS) {
      if (not?.includes(context.language) || (requires && !requires.test(context.text))) continue;
      for (const m of matches(context.text, pattern)) {
        if (inComment(context.syntax(), m.index)) continue;
        const setting = m.groups?.setting ?? m.groups?.named ?? /^\w+/.exec(m[0])![0];
        const start = m.index + m[0].indexOf(setting);
        context.report({
          messageId,
          data: { setting },
          start,
          end: start + setting.length,
          ...(warning ? { severity: "warning" as const } : {}),
        });
      }
    }
    if (COMMAND_LANGUAGES.includes(context.language) || context.language === "text") checkAzLogin(context);
    if (context.language === "powershell") checkAzureRmLogin(context);
  },
});

/**
 * The old SDKs' credentials from languages no grammar reads: Scala, Kotlin or Groovy (Java's), VB or F# (.NET's),
 * spelled as the SDKs spell them (VB's editor writes a name as it was declared).
 */
const TEXT_MSI_CREDENTIALS = /\b(?:new\s+)?(MSICredentials)\s*\(/g;
const TEXT_MSI_LOGIN_INFORMATION = /\b(?:[Nn]ew\s+)?(MSILoginInformation)\s*\(/g;
/**
 * What follows a constructor's arguments to set its properties: VB's `With {.Port = …}` (after a line
 * continuation too), C#'s `{ Port = … }`.
 */
const INITIALIZER = /^\s*(?:_[ \t]*\r?\n\s*)?(?:With\s*)?\{[^}]*\}/;
/** A constructor's arguments and initializer are short: a call left open is not read to the end of the file. */
const CONSTRUCTOR_REACH = 500;
/** A port set by name: VB's `.Port =`, F#'s named argument `Port = …`, C#'s initializer. */
const PORT_SET = /(?:^|[\s,.{(])Port\s*=/;

function checkCredentialsInText(context: FileRuleContext): void {
  const report = (m: RegExpExecArray, messageId: string) => {
    const start = m.index + m[0].indexOf(m[1]!);
    context.report({ messageId, start, end: start + m[1]!.length });
  };
  // Named in a comment or a string (a message, a changelog entry), it is not called.
  const quoted = (at: number) =>
    inComment(context.syntax(), at) || context.syntax().enclosing(at, at, "string") !== undefined;
  for (const m of matches(context.text, TEXT_MSI_CREDENTIALS)) {
    if (quoted(m.index)) continue;
    const args = callArguments(context.text, m.index + m[0].length - 1, CONSTRUCTOR_REACH);
    if (splitArguments(args).length >= 2) report(m, "msiCredentialsPort");
  }
  for (const m of matches(context.text, TEXT_MSI_LOGIN_INFORMATION)) {
    if (quoted(m.index)) continue;
    const open = m.index + m[0].length - 1;
    const args = callArguments(context.text, open, CONSTRUCTOR_REACH);
    const after = open + args.length + 2;
    const initializer = INITIALIZER.exec(context.text.slice(after, after + CONSTRUCTOR_REACH))?.[0] ?? "";
    if (PORT_SET.test(args) || PORT_SET.test(initializer)) report(m, "msiLoginInformationPort");
  }
}

const FROM_MSRESTAZURE = /^[ \t]*from[ \t]+msrestazure(?:\.[\w.]+)?[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)/gm;
const IMPORT_MSRESTAZURE = /^[ \t]*import[ \t]+msrestazure(?:\.[\w.]+)?(?:[ \t]+as[ \t]+(\w+))?/gm;

/** The names a Python file's imports bind to msrestazure, its modules or its functions. */
function msrestazureNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of matches(text, IMPORT_MSRESTAZURE)) names.add(m[1] ?? "msrestazure");
  for (const m of matches(text, FROM_MSRESTAZURE))
    for (const item of m[1]!.replace(/[()\\]|#[^\n]*/g, " ").split(",")) {
      const bound = /(\w+)(?:\s+as\s+(\w+))?/.exec(item);
      if (bound) names.add(bound[2] ?? bound[1]!);
    }
  return names;
}

/**
 * An entry point of a library that moved to IMDS: an error where the project pins a release before the move, a
 * warning where no lock file tells (the entry point outlived the move), nothing where it pins one after.
 */
function reportVersioned(
  context: FileRuleContext,
  call: SyntaxNode,
  library: MovedLibrary,
  messageId: string,
  ...fallbacks: MovedLibrary[]
): void {
  const verdict = versionVerdict(context, library, ...fallbacks);
  if (verdict.state === "moved") return;
  reportCall(context, call, messageId, {
    data: { call: calledName(call), version: verdict.described },
    ...(verdict.state === "unknown" ? { severity: "warning" } : {}),
  });
}

/** Reported on the called name (`GetMSIVMEndpoint`, `new MSICredentials`, `MSITokenProvider`), not its receiver. */
function reportCall(
  context: FileRuleContext,
  call: SyntaxNode,
  messageId: string,
  extra: { data?: Record<string, string>; severity?: "warning" } = {},
  called = calledName(call),
): void {
  const start = call.start + call.name!.lastIndexOf(called);
  context.report({ messageId, start, end: start + called.length, ...extra });
}

/** The name a call is known by: `new X` whole, else the last name of its callee. */
function calledName(call: SyntaxNode): string {
  const name = call.name!;
  return name.startsWith("new ") ? name : /[\w-]+$/.exec(name)![0];
}

/** Each match outside a comment, with what the match adds to its report (data, a weaker severity). */
function reportText(
  context: FileRuleContext,
  pattern: RegExp,
  messageId: string,
  extra: (match: string) => { data?: Record<string, string>; severity?: "warning" } = () => ({}),
): void {
  for (const m of matches(context.text, pattern)) {
    if (inComment(context.syntax(), m.index)) continue;
    context.report({ messageId, start: m.index, end: m.index + m[0].length, ...extra(m[0]) });
  }
}

const AZURERM_LOGIN = /\b(?:Login|Add|Connect)-AzureRmAccount\b/gi;
/** AzureRM.Profile's switch for the extension's sign-in, and its alias, as a whole parameter name. */
const AZURERM_MSI_SWITCH = /(?<=\s)-(?:MSI|ManagedService)(?=[\s:`]|$)/i;

function checkAzureRmLogin(context: FileRuleContext): void {
  for (const m of matches(context.text, AZURERM_LOGIN)) {
    if (inComment(context.syntax(), m.index)) continue;
    const span = commandAt(context, m.index, context.language);
    const found = AZURERM_MSI_SWITCH.exec(context.text.slice(m.index, span.end));
    if (!found) continue;
    const start = m.index + found.index;
    const data = { option: found[0] };
    context.report({ messageId: "azureRmMsiLogin", data, severity: "warning", start, end: start + found[0].length });
  }
}

/** One finding per `az login`, from its first --msi switch to its last. */
function checkAzLogin(context: FileRuleContext): void {
  const byLogin = new Map<number, AzLoginSwitch[]>();
  for (const found of azLoginMsiSwitches(context, context.language, context.syntax()))
    byLogin.set(found.login, [...(byLogin.get(found.login) ?? []), found]);
  for (const switches of byLogin.values()) {
    const first = switches[0]!;
    const last = switches.at(-1)!;
    const option = switches.map((found) => found.option).join(" ");
    context.report({
      messageId: "azLoginMsi",
      data: { option },
      start: first.start,
      end: last.start + last.option.length,
    });
  }
}
