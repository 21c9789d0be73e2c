import type { Severity } from "../core/finding.js";

// `lint --list-rules`: one line per rule, for a person at a terminal (JSON goes out as it is).

export interface ListedRule {
  id: string;
  severity: Severity;
  fixable: boolean;
  languages: readonly string[];
  description: string;
}

export function formatRuleList(rules: readonly ListedRule[]): string {
  const width = Math.max(...rules.map((r) => r.id.length));
  return rules
    .map((rule) => {
      const reads = rule.languages.length > 0 ? rule.languages.join(", ") : "any file another rule reads";
      const traits = `${rule.severity}${rule.fixable ? ", fixable" : ""}`;
      return `${rule.id.padEnd(width)}  ${traits.padEnd(14)}  ${rule.description}\n${" ".repeat(width + 18)}reads: ${reads}\n`;
    })
    .join("");
}
