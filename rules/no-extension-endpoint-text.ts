import type { FileRule } from "../src/core/rule.js";
import { createRule } from "./support/create-rule.js";
import { builtExtensionUrl, EXTENSION_URL_PREFILTER, literalExtensionUrl } from "./support/endpoint-patterns.js";
import { lineAt } from "./support/extent.js";
import { matches } from "./support/matches.js";
import { DEFAULT_API_VERSION, IMDS_TOKEN_URL, LOOKALIKE_ENV_VARS } from "../src/imds.js";

// The extension's token URL in code that the JS/TS analysis does not read: found by text, with the port
// either written out (one of the configured ports) or spliced in by formatting or concatenation.

const ADVICE =
  `call IMDS instead: GET ${IMDS_TOKEN_URL}?api-version=${DEFAULT_API_VERSION}&resource=… ` +
  `with the header Metadata: true`;
/** A line naming an App Service / Cloud Shell variable is that environment's code, not the VM extension's. */
const LOOKALIKE = new RegExp(`\\b(?:${LOOKALIKE_ENV_VARS.join("|")})\\b`);

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "no-extension-endpoint-text",
    description:
      "Token requests to the deprecated Managed Identity VM extension (localhost:50342/oauth2/token) in Python, C#, " +
      "Java, Go, Ruby, PowerShell, shell, YAML pipelines, Dockerfiles, app settings (JSON) " +
      "and Terraform/Bicep scripts.",
    severity: "error",
    fixable: false,
    messages: {
      literalPort: `Token request to the deprecated Managed Identity VM extension (port {{port}}); ${ADVICE}.`,
      builtPort: `Token URL of the deprecated Managed Identity VM extension built from a port; ${ADVICE}.`,
    },
  },
  // JSON, Bicep and Terraform too: app settings and provisioners (local-exec curl) carry the URL as well.
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
  ],
  prefilter: () => [new RegExp(EXTENSION_URL_PREFILTER, "i")],
  check(context) {
    const { text, ports } = context;
    // Asked once per line, however many URLs it holds (a generated one-line file can hold 100,000).
    const lookalikeLines = new Map<number, boolean>();
    const isLookalike = (offset: number) => {
      const line = lineAt(context, offset);
      let lookalike = lookalikeLines.get(line.start);
      if (lookalike === undefined) {
        lookalike = LOOKALIKE.test(text.slice(line.start, line.end));
        lookalikeLines.set(line.start, lookalike);
      }
      return lookalike;
    };
    for (const m of matches(text, literalExtensionUrl())) {
      const port = Number(m[1]);
      if (!ports.includes(port) || isLookalike(m.index)) continue;
      context.report({ messageId: "literalPort", data: { port }, start: m.index, end: m.index + m[0].length });
    }
    for (const m of matches(text, builtExtensionUrl())) {
      if (isLookalike(m.index)) continue;
      context.report({ messageId: "builtPort", start: m.index, end: m.index + m[0].length });
    }
  },
});
