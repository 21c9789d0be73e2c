import { fingerprintOf, type FileFinding, type Severity } from "./finding.js";
import type { LineIndex } from "./positions.js";
import type { Language } from "./language.js";

// Inline suppression as ESLint does it, stricter: `msi2imds-disable-next-line <rule>[, <rule>] -- reason`
// in one of the file's own comment forms. A directive must name a known rule, and one that suppresses
// nothing is reported, so stale suppressions do not pile up.

export const DIRECTIVE = "msi2imds-disable-next-line";
export const UNUSED_DIRECTIVE_RULE = "unused-disable-directive";
export const INVALID_DIRECTIVE_RULE = "invalid-disable-directive";

/** The severities of the engine's own findings about directives. */
export const DIRECTIVE_RULES: Readonly<Record<string, { severity: Severity; description: string }>> = {
  [UNUSED_DIRECTIVE_RULE]: {
    severity: "warning",
    description: "A msi2imds-disable-next-line directive that suppressed nothing: remove it.",
  },
  [INVALID_DIRECTIVE_RULE]: {
    severity: "error",
    description: "A msi2imds-disable-next-line directive without a rule id, or naming an unknown rule.",
  },
};

const SLASH = ["//", "/*"];
const HASH = ["#"];
const COMMENT_OPENERS: Record<Language, readonly string[]> = {
  javascript: SLASH,
  typescript: SLASH,
  csharp: SLASH,
  java: SLASH,
  go: SLASH,
  bicep: SLASH,
  json: SLASH,
  python: HASH,
  ruby: HASH,
  shell: HASH,
  yaml: HASH,
  dockerfile: HASH,
  powershell: ["#", "<#"],
  terraform: ["#", "//", "/*"],
  php: ["#", "//", "/*"],
  // In a doc, a directive sits in a code block, in that block's comment syntax, or in an HTML comment.
  docs: ["<!--", "#", "//", "/*", "<#"],
  text: ["#", "//", ";", "<!--"],
};

export interface Directive {
  /** 1-based line of the comment; it applies to the next line. */
  line: number;
  ruleIds: string[];
  start: number;
  end: number;
}

/** Finds directives written in a comment form the language has; `--` starts the free-text reason. */
export function parseDirectives(text: string, language: Language): Directive[] {
  const openers = COMMENT_OPENERS[language];
  const directives: Directive[] = [];
  for (let at = text.indexOf(DIRECTIVE); at !== -1; at = text.indexOf(DIRECTIVE, at + DIRECTIVE.length)) {
    const lineStart = text.lastIndexOf("\n", at) + 1;
    const before = text.slice(lineStart, at).trimEnd();
    if (!openers.some((opener) => before.endsWith(opener))) continue;
    const lineEnd = text.indexOf("\n", at);
    const rest = text.slice(at + DIRECTIVE.length, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, "");
    const ids = rest.replace(/(\*\/|#>)\s*$/, "").split(/\s--(?:\s|$)/)[0]!;
    directives.push({
      line: lineNumberAt(text, at),
      ruleIds: ids.split(/[\s,]+/).filter((id) => id !== ""),
      start: at,
      end: at + DIRECTIVE.length + rest.length,
    });
  }
  return directives;
}

export interface SuppressionContext {
  text: string;
  language: Language;
  displayPath: string;
  lines: LineIndex;
  /** Every rule id a directive may name. */
  knownRuleIds: readonly string[];
  /** Rules that ran: a directive for a rule switched off is not "unused". */
  activeRuleIds: readonly string[];
}

/** Drops the findings a directive covers and adds findings for invalid and unused directives. */
export function applySuppressions(findings: readonly FileFinding[], context: SuppressionContext): FileFinding[] {
  if (!context.text.includes(DIRECTIVE)) return [...findings];
  const directives = parseDirectives(context.text, context.language);
  const used = directives.map(() => new Set<string>());
  const kept = findings.filter((finding) => {
    if (!("file" in finding.location)) return true;
    const line = finding.location.file.line;
    const index = directives.findIndex((d) => d.line + 1 === line && d.ruleIds.includes(finding.ruleId));
    if (index === -1) return true;
    used[index]!.add(finding.ruleId);
    return false;
  });
  directives.forEach((directive, i) => {
    const report = (ruleId: string, message: string) =>
      kept.push(directiveFinding(ruleId, message, directive, context));
    if (directive.ruleIds.length === 0) {
      report(
        INVALID_DIRECTIVE_RULE,
        `${DIRECTIVE} needs a rule id, e.g. "${DIRECTIVE} no-extension-endpoint -- reason"`,
      );
      return;
    }
    for (const id of directive.ruleIds) {
      if (!context.knownRuleIds.includes(id))
        report(INVALID_DIRECTIVE_RULE, `${DIRECTIVE} names an unknown rule "${id}"`);
      else if (context.activeRuleIds.includes(id) && !used[i]!.has(id)) {
        report(UNUSED_DIRECTIVE_RULE, `unused ${DIRECTIVE} directive: no ${id} problem on line ${directive.line + 1}`);
      }
    }
  });
  return kept;
}

function directiveFinding(
  ruleId: string,
  message: string,
  directive: Directive,
  context: SuppressionContext,
): FileFinding {
  return {
    ruleId,
    severity: DIRECTIVE_RULES[ruleId]!.severity,
    message,
    location: { file: context.lines.range(context.displayPath, directive.start, directive.end) },
    fingerprint: fingerprintOf(ruleId, context.displayPath, context.text.slice(directive.start, directive.end)),
  };
}

function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
