import type { FileRule, FileRuleContext } from "../src/core/rule.js";
import { createRule } from "./support/create-rule.js";
import { codePathOf, inComment, testSetsMsiEndpoint, type CodePath } from "./support/code-paths.js";
import {
  builtExtensionUrl,
  CONNECTION_PREFILTER,
  endpointSettingAt,
  extensionOrigins,
  EXTENSION_URL_PREFILTER,
  hybridExtensionUrl,
  literalExtensionUrl,
  mayBeExtensionOnAnyPort,
  PLACEHOLDER_HOST_URL_PREFILTER,
} from "./support/endpoint-patterns.js";
import { matches } from "./support/matches.js";
import { DEFAULT_API_VERSION, IMDS_TOKEN_URL } from "../src/imds.js";

// The extension's token URL in code that the JS/TS analysis does not read, with the port either written
// out (one of the configured ports) or spliced in by formatting or concatenation. The file's syntax tree
// says where each one sits: comments are history, not requests; a Cloud Shell, App Service, emulator or
// test path gets a warning saying why, not an error telling it to call IMDS.

const IMDS_REQUEST = `GET ${IMDS_TOKEN_URL}?api-version=${DEFAULT_API_VERSION}&resource=… with the header Metadata: true`;
const ADVICE = `call IMDS instead: ${IMDS_REQUEST}`;

const PATH_MESSAGES: Record<CodePath, string> = {
  cloudShell: "cloudShellPath",
  appService: "appServicePath",
  emulator: "emulatorPath",
  test: "testPath",
};

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "no-extension-endpoint-text",
    description:
      "Token requests to the deprecated Managed Identity VM extension (localhost:50342/oauth2/token) in code of " +
      "every language but JS/TS, pipelines, Dockerfiles, settings, IaC and any other text file.",
    severity: "error",
    fixable: false,
    messages: {
      literalPort: `Token request to the deprecated Managed Identity VM extension (port {{port}}); ${ADVICE}.`,
      originUrl:
        "The deprecated Managed Identity VM extension's origin (port {{port}}), joined to its token path " +
        `elsewhere in the file; ${ADVICE}.`,
      endpointSetting:
        "{{setting}} points Terraform's azurerm provider (or Packer) at the deprecated Managed Identity VM " +
        "extension (port {{port}}): remove the setting; without it they ask IMDS themselves.",
      builtPort: `Token URL of the deprecated Managed Identity VM extension built from a port; ${ADVICE}.`,
      cloudShellPath:
        "The VM extension's token URL on a Cloud Shell code path ({{evidence}}): Cloud Shell serves this URL " +
        `itself, so it can stay there. Check that VMs never take this path (they must ${IMDS_REQUEST}), ` +
        "then suppress it with a reason.",
      appServicePath:
        "The VM extension's token URL on an App Service / Functions code path ({{evidence}}): there the endpoint " +
        "comes from IDENTITY_ENDPOINT (or MSI_ENDPOINT with MSI_SECRET) and this URL is a fallback. If the " +
        `fallback can run on a VM it reaches the deprecated extension: make it ${IMDS_REQUEST}.`,
      emulatorPath:
        "The VM extension's token URL in an emulator or test double ({{evidence}}): it imitates the endpoint " +
        "and requests nothing. Move it to IMDS's URL when the code it stands in for moves.",
      commentedOut:
        "A commented-out request to the deprecated Managed Identity VM extension: delete it, or it may come back; " +
        `code that needs a token must ${IMDS_REQUEST}.`,
      hybridUrl:
        "IMDS's token path on the extension's port {{port}}: the retired extension never served it, and IMDS " +
        `listens on 169.254.169.254. On a VM, ${IMDS_REQUEST}; if this is Cloud Shell or a local emulator, ` +
        "suppress it with a reason.",
      testPath:
        "The VM extension's token URL in a test ({{evidence}}): the test pins the old endpoint. Move it to " +
        "IMDS's URL together with the code it tests.",
    },
  },
  // JSON, Bicep and Terraform too: app settings and provisioners (local-exec curl) carry the URL as well;
  // and any other text (.env, .properties, web.config, Kotlin, scripts without an extension): no file whose
  // bytes hold the URL passes unread.
  languages: [
    "python",
    "csharp",
    "java",
    "go",
    "ruby",
    "powershell",
    "shell",
    "yaml",
    "dockerfile",
    "json",
    "bicep",
    "terraform",
    "php",
    "text",
  ],
  syntax: true,
  // Off by default: a comment requests nothing, and a migration often keeps the old line for reference.
  options: { reportComments: false },
  prefilter: () => [
    new RegExp(EXTENSION_URL_PREFILTER, "i"),
    new RegExp(PLACEHOLDER_HOST_URL_PREFILTER, "i"),
    new RegExp(CONNECTION_PREFILTER),
  ],
  check(context) {
    for (const m of matches(context.text, literalExtensionUrl())) {
      const port = Number(m[1]);
      if (!context.ports.includes(port)) continue;
      const setting = endpointSettingAt(context.text, m.index, context.language === "terraform");
      if (setting) report(context, m, "endpointSetting", { port, setting });
      else report(context, m, "literalPort", { port });
    }
    for (const { match, port } of extensionOrigins(context.text, context.ports))
      report(context, match, "originUrl", { port });
    // Flagged, not judged: the evidence is too odd for an error.
    for (const m of matches(context.text, hybridExtensionUrl())) {
      const port = Number(m[1]);
      if (context.ports.includes(port)) report(context, m, "hybridUrl", { port }, "warning");
    }
    if (!mayBeExtensionOnAnyPort(context.text)) return;
    for (const m of matches(context.text, builtExtensionUrl())) report(context, m, "builtPort", {});
  },
});

function report(
  context: FileRuleContext,
  m: RegExpExecArray,
  messageId: string,
  data: Record<string, string | number>,
  severity?: "warning",
): void {
  const tree = context.syntax();
  const start = m.index;
  const end = start + m[0].length;
  if (testSetsMsiEndpoint(context.text, start, context.displayPath)) return;
  if (inComment(tree, start)) {
    if (context.options.reportComments) context.report({ messageId: "commentedOut", severity: "warning", start, end });
    return;
  }
  const path = codePathOf(tree, start, end, context.displayPath, context.setting);
  if (path)
    context.report({
      messageId: PATH_MESSAGES[path.path],
      data: { evidence: path.evidence },
      severity: "warning",
      start,
      end,
    });
  else context.report({ messageId, data, start, end, ...(severity ? { severity } : {}) });
}
