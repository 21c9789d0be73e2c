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
};

export interface Directive {
  /** 1-based line of the comment; it applies to the next line. */
  line: number;
  ruleIds: string[];
  start: number;
  end: number;
}

/** How much of a line a directive reads: rule ids and a reason fit many times over, and a generated one-line
 * file of directives is read in time that grows with its size, not with its square. */
const MAX_DIRECTIVE = 4096;

/** Finds directives written in a comment form the language has; `--` starts the free-text reason. */
export function parseDirectives(text: string, language: Language, lines: LineIndex): Directive[] {
  const openers = COMMENT_OPENERS[language];
  const directives: Directive[] = [];
  for (let at = text.indexOf(DIRECTIVE); at !== -1; at = text.indexOf(DIRECTIVE, at + DIRECTIVE.length)) {
    const line = lines.spanAt(at);
    if (!followsOpener(text, line.start, at, openers)) continue;
    const restStart = at + DIRECTIVE.length;
    const rest = text.slice(restStart, Math.min(line.end, restStart + MAX_DIRECTIVE));
    const ids = rest.replace(/(\*\/|#>)\s*$/, "").split(/\s--(?:\s|$)/)[0]!;
    directives.push({
      line: lines.position(at).line,
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
  const directives = parseDirectives(context.text, context.language, context.lines);
  const used = directives.map(() => new Set<string>());
  const byNextLine = new Map<number, number[]>();
  directives.forEach((d, i) => {
    const onLine = byNextLine.get(d.line + 1);
    if (onLine) onLine.push(i);
    else byNextLine.set(d.line + 1, [i]);
  });
  const kept = findings.filter((finding) => {
    if (!("file" in finding.location)) return true;
    const candidates = byNextLine.get(finding.location.file.line) ?? [];
    const index = candidates.find((i) => directives[i]!.ruleIds.includes(finding.ruleId));
    if (index === undefined) return true;
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

/** Whether the line's text before `at`, trailing white space aside, ends in one of the comment openers. */
function followsOpener(text: string, lineStart: number, at: number, openers: readonly string[]): boolean {
  let last = at - 1;
  while (last >= lineStart && text[last]!.trim() === "") last--;
  return openers.some(
    (opener) => last + 1 - opener.length >= lineStart && text.startsWith(opener, last + 1 - opener.length),
  );
}
