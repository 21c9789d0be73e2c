import { fingerprintOf, type FileFinding, type Finding, type Severity } from "./finding.js";
import type { LineIndex } from "./positions.js";
import type { Language } from "./language.js";

// Inline suppression as ESLint does it, stricter: `msi2imds-disable-next-line <rule>[, <rule>] -- reason` for
// the next line, `msi2imds-disable <rule>` … `msi2imds-enable <rule>` for the lines between (to the end of the
// file without an enable), in one of the file's own comment forms. A directive must name a known rule, and
// one that suppresses nothing is reported, so stale suppressions do not pile up. Fixes honour them too: a
// site a directive covers is left byte for byte as it is.

export const DIRECTIVE = "msi2imds-disable-next-line";
export const DISABLE_DIRECTIVE = "msi2imds-disable";
export const ENABLE_DIRECTIVE = "msi2imds-enable";
export const UNUSED_DIRECTIVE_RULE = "unused-disable-directive";
export const INVALID_DIRECTIVE_RULE = "invalid-disable-directive";

/** The severities of the engine's own findings about directives. */
export const DIRECTIVE_RULES: Readonly<Record<string, { severity: Severity; description: string }>> = {
  [UNUSED_DIRECTIVE_RULE]: {
    severity: "warning",
    description: "A msi2imds-disable-next-line or msi2imds-disable directive that suppressed nothing: remove it.",
  },
  [INVALID_DIRECTIVE_RULE]: {
    severity: "error",
    description: "A msi2imds-disable… or msi2imds-enable directive without a rule id, or naming an unknown rule.",
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
  kind: "next-line" | "disable" | "enable";
  /** 1-based line of the comment. */
  line: number;
  ruleIds: string[];
  start: number;
  end: number;
}

const DIRECTIVE_WORD = /msi2imds-(disable-next-line|disable|enable)(?![\w-])/g;

/** Finds directives written in a comment form the language has; `--` starts the free-text reason. */
export function parseDirectives(text: string, language: Language): Directive[] {
  const openers = COMMENT_OPENERS[language];
  const directives: Directive[] = [];
  for (const match of text.matchAll(DIRECTIVE_WORD)) {
    const at = match.index;
    const lineStart = text.lastIndexOf("\n", at) + 1;
    const before = text.slice(lineStart, at).trimEnd();
    if (!openers.some((opener) => before.endsWith(opener))) continue;
    const lineEnd = text.indexOf("\n", at);
    const rest = text.slice(at + match[0].length, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, "");
    const ids = rest.replace(/(\*\/|#>)\s*$/, "").split(/\s--(?:\s|$)/)[0]!;
    const word = match[1] as "disable-next-line" | "disable" | "enable";
    directives.push({
      kind: word === "disable-next-line" ? "next-line" : word,
      line: lineNumberAt(text, at),
      ruleIds: ids.split(/[\s,]+/).filter((id) => id !== ""),
      start: at,
      end: at + match[0].length + rest.length,
    });
  }
  return directives;
}

/**
 * Which directive covers `line` for `ruleId`, if any: a next-line directive on the line before, or the
 * nearest disable above it with no enable of that rule in between.
 */
export function coveringDirective(directives: readonly Directive[], line: number, ruleId: string): number {
  let open = -1;
  for (let i = 0; i < directives.length; i++) {
    const directive = directives[i]!;
    if (directive.line >= line) break;
    if (!directive.ruleIds.includes(ruleId)) continue;
    if (directive.kind === "next-line" && directive.line + 1 === line) return i;
    if (directive.kind === "disable") open = i;
    else if (directive.kind === "enable") open = -1;
  }
  return open;
}

/** Whether a fix or finding on these lines is under a directive for `ruleId` (what fixes must leave alone). */
export function suppressedLines(
  text: string,
  language: Language,
  ruleId: string,
): ((line: number) => boolean) | undefined {
  if (!text.includes("msi2imds-")) return undefined;
  const directives = parseDirectives(text, language);
  if (directives.length === 0) return undefined;
  return (line) => coveringDirective(directives, line, ruleId) !== -1;
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
  if (!context.text.includes("msi2imds-")) return [...findings];
  const directives = parseDirectives(context.text, context.language);
  const used = directives.map(() => new Set<string>());
  const kept = findings.filter((finding) => {
    if (!("file" in finding.location)) return true;
    const index = coveringDirective(directives, finding.location.file.line, finding.ruleId);
    if (index === -1) return true;
    used[index]!.add(finding.ruleId);
    return false;
  });
  directives.forEach((directive, i) => {
    const report = (ruleId: string, message: string) =>
      kept.push(directiveFinding(ruleId, message, directive, context));
    const name = NAMES[directive.kind];
    if (directive.ruleIds.length === 0) {
      report(INVALID_DIRECTIVE_RULE, `${name} needs a rule id, e.g. "${name} no-extension-endpoint -- reason"`);
      return;
    }
    for (const id of directive.ruleIds) {
      if (!context.knownRuleIds.includes(id)) report(INVALID_DIRECTIVE_RULE, `${name} names an unknown rule "${id}"`);
      // An enable suppresses nothing itself.
      else if (directive.kind !== "enable" && context.activeRuleIds.includes(id) && !used[i]!.has(id)) {
        const where = directive.kind === "next-line" ? `on line ${directive.line + 1}` : "in the lines it covers";
        report(UNUSED_DIRECTIVE_RULE, `unused ${name} directive: no ${id} problem ${where}`);
      }
    }
  });
  return kept;
}

const NAMES: Record<Directive["kind"], string> = {
  "next-line": DIRECTIVE,
  disable: DISABLE_DIRECTIVE,
  enable: ENABLE_DIRECTIVE,
};

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

/** The findings no directive covers: what a fix run reports (it has no use for the directive findings). */
export function unsuppressed<F extends Finding>(findings: readonly F[], text: string, language: Language): F[] {
  if (!text.includes("msi2imds-")) return [...findings];
  const directives = parseDirectives(text, language);
  return findings.filter(
    (finding) =>
      !("file" in finding.location) || coveringDirective(directives, finding.location.file.line, finding.ruleId) === -1,
  );
}
