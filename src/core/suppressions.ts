import { fingerprintOf, type FileFinding, type Finding, type Severity } from "./finding.js";
import { escapeRegExp } from "./patterns.js";
import { LineIndex } from "./positions.js";
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
  php: ["#", "//", "/*"],
  // In a doc, a directive sits in a code block, in that block's comment syntax, or in an HTML comment.
  docs: ["<!--", "#", "//", "/*", "<#"],
  // A notebook's directives are read in each cell, in the cell's language.
  notebook: [],
  text: ["#", "//", ";", "<!--"],
};

export interface Directive {
  kind: "next-line" | "disable" | "enable";
  /** 1-based line of the comment (its last, for a comment over several lines). */
  line: number;
  /** A next-line directive before a document's code block covers the block, through this line. */
  lastLine?: number;
  ruleIds: string[];
  start: number;
  end: number;
}

const DIRECTIVE_WORD = /msi2imds-(disable-next-line|disable|enable)(?![\w-])/g;
/** Every directive starts with this; a text without it has none. */
const DIRECTIVE_PREFIX = "msi2imds-";

/**
 * How much of a line a directive reads: rule ids and a reason fit many times over, and a generated one-line
 * file of directives is read in time that grows with its size, not with its square.
 */
const MAX_DIRECTIVE = 4096;

/**
 * Finds directives written in a comment form the language has; `--` starts the free-text reason. In a
 * document, `blocks` are its code blocks: a next-line directive before one covers it whole.
 */
export function parseDirectives(
  text: string,
  language: Language,
  lines = new LineIndex(text),
  blocks: readonly BlockLines[] = [],
): Directive[] {
  const openers = COMMENT_OPENERS[language];
  const directives: Directive[] = [];
  for (const match of text.matchAll(DIRECTIVE_WORD)) {
    const at = match.index;
    const line = lines.spanAt(at);
    // A directive on a line of a comment that spans lines counts from the comment's last line.
    const commentEnd = followsOpener(text, line.start, at, openers)
      ? at
      : enclosingCommentEnd(text, line.start, at, openers);
    if (commentEnd === undefined) continue;
    const restStart = at + match[0].length;
    const rest = text.slice(restStart, Math.min(line.end, restStart + MAX_DIRECTIVE)).replace(/\r$/, "");
    const ids = rest.replace(CLOSER_AT_END, "").split(/\s--(?:\s|$)/)[0]!;
    const word = match[1] as "disable-next-line" | "disable" | "enable";
    const kind = word === "disable-next-line" ? "next-line" : word;
    const lineNumber = lines.position(commentEnd).line;
    const lastLine = kind === "next-line" ? blockAfter(lines, lineNumber, blocks) : undefined;
    directives.push({
      kind,
      line: lineNumber,
      ...(lastLine === undefined ? {} : { lastLine }),
      ruleIds: ids.split(/[\s,]+/).filter((id) => id !== ""),
      start: at,
      end: restStart + rest.length,
    });
  }
  return directives;
}

/** A document's code block by its 1-based lines: from the one that opens it (a fence, a directive) to its last. */
export interface BlockLines {
  first: number;
  last: number;
}

/** The last line of the block that opens on the first line after `line` that is not blank, if one does. */
function blockAfter(lines: LineIndex, line: number, blocks: readonly BlockLines[]): number | undefined {
  const next = blocks.find((block) => block.first > line);
  if (!next) return undefined;
  for (let between = line + 1; between < next.first; between++)
    if (lines.lineText(between).trim() !== "") return undefined;
  return next.last;
}

const CLOSERS: Readonly<Record<string, string>> = { "/*": "*/", "<#": "#>", "<!--": "-->" };
/** A block comment's closer ending a directive's line: not part of its rule ids. */
const CLOSER_AT_END = new RegExp(`(?:${Object.values(CLOSERS).map(escapeRegExp).join("|")})\\s*$`);

/**
 * Where the block comment closes that a directive starting its own line stands in, opened on a line before
 * (`<!--`, a line break, the directive, `-->`); undefined when it stands in none.
 */
function enclosingCommentEnd(
  text: string,
  lineStart: number,
  at: number,
  openers: readonly string[],
): number | undefined {
  if (text.slice(lineStart, at).trim() !== "") return undefined;
  for (const opener of openers) {
    const closer = CLOSERS[opener];
    const open = closer === undefined ? -1 : text.lastIndexOf(opener, lineStart);
    if (open === -1) continue;
    const closes = text.indexOf(closer!, open + opener.length);
    if (closes === -1) return text.length;
    if (closes > at) return closes;
  }
  return undefined;
}

/**
 * Which directive covers a line for a rule: a next-line directive on the line before, or the nearest disable
 * above it with no enable of that rule in between. Built once per file; each question is a map lookup and a
 * binary search, so a file with many directives and many findings costs n log n, not their product.
 */
export function coverageOf(directives: readonly Directive[]): (line: number, ruleId: string) => number {
  const nextLine = new Map<string, number>();
  const blocks = new Map<string, { line: number; index: number; disables: boolean }[]>();
  directives.forEach((directive, index) => {
    for (const id of directive.ruleIds) {
      if (directive.kind === "next-line") {
        for (let line = directive.line + 1; line <= (directive.lastLine ?? directive.line + 1); line++) {
          const key = `${line}\0${id}`;
          if (!nextLine.has(key)) nextLine.set(key, index);
        }
      } else {
        const events = blocks.get(id) ?? [];
        events.push({ line: directive.line, index, disables: directive.kind === "disable" });
        blocks.set(id, events);
      }
    }
  });
  return (line, ruleId) => {
    const direct = nextLine.get(`${line}\0${ruleId}`);
    if (direct !== undefined) return direct;
    const events = blocks.get(ruleId);
    if (!events) return -1;
    // The last block directive above the line decides (directives come in text order).
    let low = 0;
    let high = events.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (events[middle]!.line < line) low = middle + 1;
      else high = middle;
    }
    const last = events[low - 1];
    return last?.disables ? last.index : -1;
  };
}

/** Whether a fix or finding on these lines is under a directive for `ruleId` (what fixes must leave alone). */
export function suppressedLines(
  text: string,
  language: Language,
  ruleId: string,
): ((line: number) => boolean) | undefined {
  if (!text.includes(DIRECTIVE_PREFIX)) return undefined;
  const directives = parseDirectives(text, language);
  if (directives.length === 0) return undefined;
  const covering = coverageOf(directives);
  return (line) => covering(line, ruleId) !== -1;
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
  /** A document's code blocks. */
  blocks?: readonly BlockLines[];
}

/** Drops the findings a directive covers and adds findings for invalid and unused directives. */
export function applySuppressions(findings: readonly FileFinding[], context: SuppressionContext): FileFinding[] {
  if (!context.text.includes(DIRECTIVE_PREFIX)) return [...findings];
  const directives = parseDirectives(context.text, context.language, context.lines, context.blocks);
  const covering = coverageOf(directives);
  const used = directives.map(() => new Set<string>());
  const kept = findings.filter((finding) => {
    if (!("file" in finding.location)) return true;
    const index = covering(finding.location.file.line, finding.ruleId);
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
        const where =
          directive.kind !== "next-line"
            ? "in the lines it covers"
            : directive.lastLine
              ? "in the code block after it"
              : `on line ${directive.line + 1}`;
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

/** Whether the line's text before `at`, trailing white space aside, ends in one of the comment openers. */
function followsOpener(text: string, lineStart: number, at: number, openers: readonly string[]): boolean {
  let last = at - 1;
  while (last >= lineStart && text[last]!.trim() === "") last--;
  return openers.some(
    (opener) => last + 1 - opener.length >= lineStart && text.startsWith(opener, last + 1 - opener.length),
  );
}

/** The findings no directive covers: what a fix run reports (it has no use for the directive findings). */
export function unsuppressed<F extends Finding>(
  findings: readonly F[],
  text: string,
  language: Language,
  blocks: readonly BlockLines[] = [],
): F[] {
  if (!text.includes(DIRECTIVE_PREFIX)) return [...findings];
  const covering = coverageOf(parseDirectives(text, language, new LineIndex(text), blocks));
  return findings.filter(
    (finding) => !("file" in finding.location) || covering(finding.location.file.line, finding.ruleId) === -1,
  );
}
