import { defineRule } from "../src/core/rule.js";
import { OLD_SDK_NAMES } from "../src/codemod/prefilter.js";
import { escapeRegExp, standaloneNumber, standaloneWord } from "../src/files/prefilter.js";
import { EXTENSION_TOKEN_PATH, IMDS_TOKEN_PATH } from "../src/imds.js";

// JS/TS calls to the extension, found by the codemod's ts-morph analysis (the same one `fix` runs), so
// `lint --fix` and `fix --write` make the same rewrite. The engine computes the analysis once per file.

export default defineRule({
  kind: "file",
  meta: {
    id: "no-extension-endpoint",
    description: "JavaScript/TypeScript token requests to the deprecated Managed Identity VM extension (fetch, http, axios, got, request, superagent, ms-rest-azure MSIVmTokenCredentials/loginWithVmMSI); fixable with the codemod's IMDS rewrite.",
    severity: "error",
    fixable: true,
  },
  languages: ["javascript", "typescript"],
  javascriptAnalysis: true,
  // The codemod's needles, except that the token path counts only when it is not IMDS's own
  // (/metadata/identity/oauth2/token): IMDS clients then never make lint load TypeScript.
  prefilter: (ports) => [
    `(?<!${escapeRegExp(IMDS_TOKEN_PATH.slice(0, -EXTENSION_TOKEN_PATH.length))})${escapeRegExp(EXTENSION_TOKEN_PATH)}`,
    ...ports.map(standaloneNumber),
    ...OLD_SDK_NAMES.map(standaloneWord),
  ],
  check(context) {
    for (const finding of context.javascript().findings) {
      if (!("file" in finding.location)) continue;
      const { line, column, endLine, endColumn } = finding.location.file;
      context.report({
        message: finding.message,
        start: context.lines.offset(line, column),
        end: context.lines.offset(endLine, endColumn),
        ...(finding.fix ? { fix: finding.fix } : {}),
      });
    }
  },
});
