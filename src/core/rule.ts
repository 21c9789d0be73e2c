import type { Analysis } from "./fix.js";
import type { Severity, TextEdit } from "./finding.js";
import type { LineIndex } from "./positions.js";
import type { Language } from "./language.js";

// A rule is an object whose metadata the engine enforces (ESLint's model): a fix from a rule that did
// not declare itself fixable throws, and the id must be the kebab-case stem of its file in rules/.

export interface RuleMeta {
  /** Kebab-case, equal to the file stem in rules/. */
  id: string;
  /** One sentence: what it flags and why. */
  description: string;
  severity: Severity;
  fixable: boolean;
}

export interface Problem {
  message: string;
  /** Offsets into the file text. */
  start: number;
  end: number;
  fix?: readonly TextEdit[];
}

export interface FileRuleContext {
  /** Absolute path. */
  path: string;
  /** What reports show (relative, forward slashes). */
  displayPath: string;
  text: string;
  language: Language;
  /** The extension's ports: defaults plus configured extras. */
  ports: readonly number[];
  lines: LineIndex;
  /** The codemod's analysis of a JS/TS file, computed at most once per file and shared by all rules. */
  javascript(): Analysis;
  report(problem: Problem): void;
}

export interface FileRule {
  kind: "file";
  meta: RuleMeta;
  languages: readonly Language[];
  /** Calls context.javascript(): the engine loads the codemod's analysis (and TypeScript) for it. */
  javascriptAnalysis?: boolean;
  /**
   * Patterns a file must match for check() to find anything there; a file none of them matches is never
   * read as text. Each matches with its own flags: case-insensitive (`i`) where what check() looks for is.
   */
  prefilter(ports: readonly number[]): readonly RegExp[];
  check(context: FileRuleContext): void;
}

export interface FleetExtension {
  publisher?: string | undefined;
  type?: string | undefined;
}

export interface FleetRule {
  kind: "fleet";
  meta: RuleMeta;
  /** The Resource Graph query, kept as data in rules/<id>.kql. */
  query(): string;
  matches(extension: FleetExtension): boolean;
}

export type Rule = FileRule | FleetRule;

const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export function defineRule<T extends Rule>(rule: T): T {
  if (!RULE_ID.test(rule.meta.id)) throw new Error(`rule id "${rule.meta.id}" is not kebab-case`);
  if (rule.kind !== "file" || rule.meta.fixable) return rule;
  const check = rule.check.bind(rule);
  return {
    ...rule,
    check(context: FileRuleContext) {
      check({
        ...context,
        report(problem) {
          if (problem.fix) throw new Error(`rule ${rule.meta.id} reported a fix but is not declared fixable`);
          context.report(problem);
        },
      });
    },
  };
}
