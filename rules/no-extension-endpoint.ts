import type { FileRule } from "../src/core/rule.js";
import { createRule } from "./support/create-rule.js";
import { codemodPrefilter } from "./support/extension-call-prefilter.js";
import { isTestFile } from "./support/code-paths.js";

// JS/TS calls to the extension, found by the codemod's ts-morph analysis (the same one `fix` runs), so
// `lint --fix` and `fix --write` make the same rewrite. The engine computes the analysis once per file.

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "no-extension-endpoint",
    description:
      "JavaScript/TypeScript token requests to the deprecated Managed Identity VM extension (fetch, http, axios, " +
      "got, request, superagent) and old SDK entry points (ms-rest-azure, ms-rest-nodeauth loginWithMSI, " +
      "loginWithVmMSI, MSIVmTokenCredentials) at a version that still uses it.",
    severity: "error",
    fixable: true,
    // The codemod's analysis words each finding for its call site; the id says which kind it is.
    messages: {
      rewrite: "{{message}}",
      review: "{{message}}",
      legacySdk: "{{message}}",
      cloudShell: "{{message}}",
    },
  },
  languages: ["javascript", "typescript"],
  javascriptAnalysis: true,
  // The codemod's own needles: lint loads TypeScript for exactly the files fix would parse.
  prefilter: codemodPrefilter,
  check(context) {
    // A test pins the old endpoint and requests nothing on a VM: a warning, as the text rule gives tests.
    const inTest = isTestFile(context.displayPath);
    for (const finding of context.javascript().findings) {
      if (!("file" in finding.location)) continue;
      const { line, column, endLine, endColumn } = finding.location.file;
      const message = inTest
        ? `${finding.message} (in a test: move it together with the code it tests)`
        : finding.message;
      context.report({
        messageId: finding.messageId ?? "review",
        data: { message },
        start: context.lines.offset(line, column),
        end: context.lines.offset(endLine, endColumn),
        ...(finding.fix ? { fix: finding.fix } : {}),
        ...(finding.severity === "warning" || inTest ? { severity: "warning" as const } : {}),
      });
    }
  },
});
