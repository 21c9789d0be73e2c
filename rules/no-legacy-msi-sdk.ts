import type { FileRule, FileRuleContext } from "../src/core/rule.js";
import { createRule } from "./support/create-rule.js";
import { commandAt, callArguments, splitArguments } from "./support/extent.js";
import { matches } from "./support/matches.js";

// SDK entry points and CLI switches that talk to the extension on the developer's behalf, outside JS/TS
// (there the codemod's analysis judges ms-rest-azure and ms-rest-nodeauth by the pinned version).

const COMMAND_LANGUAGES = ["shell", "powershell", "yaml", "dockerfile"] as const;

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "no-legacy-msi-sdk",
    description:
      "Old SDK APIs and CLI switches that use the Managed Identity VM extension: " +
      "msrestazure MSIAuthentication(port=…) and get_msi_token, Java new MSICredentials(env, port), " +
      "go-autorest GetMSIVMEndpoint, the ManagedIdentity-Settings file, az login --msi / --msi-port.",
    severity: "error",
    fixable: false,
    messages: {
      msiAuthenticationPort:
        "msrestazure MSIAuthentication(port=…) asks the deprecated Managed Identity VM extension; " +
        "drop port (IMDS is used) or move to azure-identity ManagedIdentityCredential.",
      getMsiToken:
        "msrestazure get_msi_token POSTs to the deprecated Managed Identity VM extension; " +
        "use azure-identity ManagedIdentityCredential (IMDS).",
      msiCredentialsPort:
        "new MSICredentials(env, port) asks the deprecated Managed Identity VM extension; " +
        "use azure-identity ManagedIdentityCredential (IMDS).",
      getMsiVmEndpoint:
        "go-autorest's GetMSIVMEndpoint reads the Managed Identity VM extension's settings; " +
        "use azidentity.NewManagedIdentityCredential (IMDS) instead.",
      settingsFile:
        "Reads ManagedIdentity-Settings, the deprecated Managed Identity VM extension's settings file; " +
        "request tokens from IMDS instead.",
      azLoginMsi: "az login {{option}} used the deprecated Managed Identity VM extension; use az login --identity.",
    },
  },
  languages: ["python", "java", "go", "csharp", "ruby", ...COMMAND_LANGUAGES],
  // In their own case, as the languages (and check()) spell them. Literals only (\b is ASCII): the prefilter
  // reads raw bytes, where check()'s \s between a name and "(" could be a multi-byte space.
  prefilter: () => [
    /MSIAuthentication/,
    /get_msi_token/,
    /MSICredentials/,
    /GetMSIVMEndpoint/,
    /ManagedIdentity-Settings/,
    /--msi\b/,
  ],
  check(context) {
    if (context.language === "python") checkPython(context);
    if (context.language === "java") checkJava(context);
    if (context.language === "go") {
      for (const m of matches(context.text, /\bGetMSIVMEndpoint\s*\(/g)) {
        report(context, m, "getMsiVmEndpoint");
      }
    }
    for (const m of matches(context.text, /ManagedIdentity-Settings/g)) {
      report(context, m, "settingsFile");
    }
    if ((COMMAND_LANGUAGES as readonly string[]).includes(context.language)) checkAzLogin(context);
  },
});

function checkPython(context: FileRuleContext): void {
  for (const m of matches(context.text, /\bMSIAuthentication\s*\(/g)) {
    const args = callArguments(context.text, m.index + m[0].length - 1);
    if (/\bport\s*=/.test(args)) {
      report(context, m, "msiAuthenticationPort");
    }
  }
  for (const m of matches(context.text, /\bget_msi_token\s*\(/g)) {
    report(context, m, "getMsiToken");
  }
}

function checkJava(context: FileRuleContext): void {
  for (const m of matches(context.text, /\bnew\s+MSICredentials\s*\(/g)) {
    const args = splitArguments(callArguments(context.text, m.index + m[0].length - 1));
    if (args.length >= 2) {
      report(context, m, "msiCredentialsPort");
    }
  }
}

function checkAzLogin(context: FileRuleContext): void {
  for (const login of matches(context.text, /\baz\s+login\b/g)) {
    const command = commandAt(context.text, login.index, context.language);
    const switches = /(?<=\s)--msi(?:-port)?(?=[\s=]|$)/g;
    for (const m of matches(context.text.slice(login.index, command.end), switches)) {
      const start = login.index + m.index;
      context.report({ messageId: "azLoginMsi", data: { option: m[0] }, start, end: start + m[0].length });
    }
  }
}

function report(context: FileRuleContext, m: RegExpExecArray, messageId: string): void {
  const name = m[0].replace(/\s*\($/, "");
  context.report({ messageId, start: m.index, end: m.index + name.length });
}
