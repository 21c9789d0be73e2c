import type { Ecosystem, PinnedVersion } from "./dependency.js";
import type { Analysis } from "./fix.js";
import type { Severity, TextEdit } from "./finding.js";
import type { Language } from "./language.js";
import type { LineIndex } from "./positions.js";
import type { SyntaxTree } from "./syntax-tree.js";

// A rule is an object whose metadata the engine enforces (ESLint's model): a fix from a rule that did not
// declare itself fixable throws, and so does a message id the rule did not declare. The id is the
// kebab-case stem of its file in rules/, and its docs URL is derived from the id (typescript-eslint's
// RuleCreator), so SARIF and editors link to the same page.

export interface RuleMeta {
  /** Kebab-case, equal to the file stem in rules/. */
  id: string;
  /** One sentence: what it flags and why. */
  description: string;
  severity: Severity;
  fixable: boolean;
  /** The rule's page on the web. */
  docsUrl: string;
  /** What the rule says, by message id; `{{name}}` is filled from a problem's data. */
  messages: Readonly<Record<string, string>>;
}

export interface Problem {
  messageId: string;
  data?: Readonly<Record<string, string | number>>;
  /**
   * "warning" where the evidence is weaker than the rule's (a Cloud Shell path, a test): the finding is a
   * warning whatever the rule's severity. The rule's own setting still decides whether it runs at all.
   */
  severity?: "warning";
  /** Offsets into the file text. */
  start: number;
  end: number;
  fix?: readonly TextEdit[];
}

/**
 * Where the document around a code block says its samples run, when the block itself does not say: a page
 * about Cloud Shell shows the extension's URL because Cloud Shell serves it.
 */
export interface DocumentSetting {
  path: "cloudShell";
  /** What in the document says so, for messages: "this document mentions Cloud Shell". */
  evidence: string;
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
  /** The rule's options: its declared defaults, overridden by the config. */
  options: Readonly<Record<string, boolean>>;
  lines: LineIndex;
  /** The codemod's analysis of a JS/TS file, computed at most once per file and shared by all rules. */
  javascript(): Analysis;
  /** The file's syntax tree (parsed at most once per file text, shared by all rules); needs `syntax: true`. */
  syntax(): SyntaxTree;
  /** The version of a library the file's project uses, from the nearest lock file or manifest; read once a run. */
  dependency(ecosystem: Ecosystem, name: string): PinnedVersion | undefined;
  /** For a code block of a document: where the document says its samples run. */
  setting?: DocumentSetting | undefined;
  report(problem: Problem): void;
}

export interface FileRule {
  kind: "file";
  meta: RuleMeta;
  languages: readonly Language[];
  /** Calls context.javascript(): the engine loads the codemod's analysis (and TypeScript) for it. */
  javascriptAnalysis?: boolean;
  /** Calls context.syntax(): the engine loads the language's parser for it, once the prefilter has passed. */
  syntax?: boolean;
  /** Switches the config may set (`"rules": { id: ["warn", { name: true }] }`), with their defaults. */
  options?: Readonly<Record<string, boolean>>;
  /**
   * Patterns a file must match for check() to find anything there; a file none of them matches is never
   * read as text. Each matches with its own flags: case-insensitive (`i`) where what check() looks for is.
   * Asked per language (undefined: a file typed by its text), so code can be screened for less than templates.
   */
  prefilter(ports: readonly number[], language?: Language): readonly RegExp[];
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

/** A rule as its file writes it: everything but the docs URL, which the creator derives from the id. */
export type RuleDefinition<R extends Rule> = Omit<R, "meta"> & { meta: Omit<RuleMeta, "docsUrl"> };

const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** Makes the function rules are defined with, for docs published at `docsUrl(id)`. */
export function ruleCreator(docsUrl: (id: string) => string) {
  return function defineRule<R extends Rule>(definition: RuleDefinition<R>): R {
    const meta: RuleMeta = { ...definition.meta, docsUrl: docsUrl(definition.meta.id) };
    if (!RULE_ID.test(meta.id)) throw new Error(`rule id "${meta.id}" is not kebab-case`);
    if (Object.keys(meta.messages).length === 0) throw new Error(`rule ${meta.id} declares no messages`);
    const rule = { ...definition, meta } as R;
    if (rule.kind !== "file") return rule;
    const check = rule.check.bind(rule);
    return {
      ...rule,
      check(context: FileRuleContext) {
        check({
          ...context,
          report(problem) {
            if (problem.fix && !meta.fixable)
              throw new Error(`rule ${meta.id} reported a fix but is not declared fixable`);
            messageOf(meta, problem); // throws on an undeclared message id or a missing placeholder
            context.report(problem);
          },
        });
      },
    };
  };
}

/** The text of a problem's message: its template with the data filled in. */
export function messageOf(
  meta: Pick<RuleMeta, "id" | "messages">,
  problem: Pick<Problem, "messageId" | "data">,
): string {
  const template = Object.hasOwn(meta.messages, problem.messageId) ? meta.messages[problem.messageId] : undefined;
  if (template === undefined)
    throw new Error(`rule ${meta.id} reported message id "${problem.messageId}", which it does not declare`);
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = problem.data?.[name];
    if (value === undefined) throw new Error(`rule ${meta.id}: message "${problem.messageId}" needs {{${name}}}`);
    return String(value);
  });
}
