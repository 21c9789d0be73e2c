import { resolve } from "node:path";
import type { FileFinding } from "../core/finding.js";
import type { LintReport, RuleDescriptor } from "../core/report.js";
import { fileUrl, groupByFile, rootRelativePath } from "./paths.js";

// SARIF 2.1.0 for code scanning: URIs relative to the repository root through %SRCROOT%, a descriptor
// per rule with its doc, partialFingerprints from the finding model, skipped files as notifications.

const SRCROOT = "%SRCROOT%";
const FINGERPRINT_KEY = "msi2imds/v1";

export function toSarif(report: LintReport): object {
  const rules = report.rules.map(ruleDescriptor);
  const ruleIndex = new Map(report.rules.map((rule, i) => [rule.id, i]));
  const results = [...groupByFile(report.findings).values()]
    .flat()
    .map((finding) => result(report, finding, ruleIndex));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: fileUrl(report.sourceRoot, true) } },
        invocations: [
          {
            executionSuccessful: report.toolErrors.length === 0,
            toolExecutionNotifications: [
              ...report.toolErrors.map((text) => ({ level: "error", message: { text } })),
              ...report.skipped.map((s) => ({
                level: "note",
                message: { text: `skipped ${s.path}: ${s.reason}` },
                locations: [{ physicalLocation: { artifactLocation: artifact(report, s.path) } }],
              })),
            ],
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(report: LintReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}

function ruleDescriptor(rule: RuleDescriptor): object {
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    ...(rule.docsUrl ? { helpUri: rule.docsUrl } : {}),
    help: rule.docMarkdown ? { text: rule.description, markdown: rule.docMarkdown } : { text: rule.description },
    defaultConfiguration: { level: rule.severity },
    properties: { fixable: rule.fixable },
  };
}

function result(report: LintReport, finding: FileFinding, ruleIndex: Map<string, number>): object {
  const { file } = finding.location;
  const index = ruleIndex.get(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: finding.severity,
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(report, file.path),
          region: { startLine: file.line, startColumn: file.column, endLine: file.endLine, endColumn: file.endColumn },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
}

/** Repository-relative with %SRCROOT%; an absolute file URI for a path outside the repository. */
function artifact(report: LintReport, path: string): object {
  const rel = rootRelativePath(report, path);
  if (rel === undefined) return { uri: fileUrl(resolve(report.cwd, path)) };
  return { uri: rel.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}
