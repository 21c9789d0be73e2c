import { analyzeSource } from "../codemod/analyze.js";
import type { Analysis } from "../core/fix.js";
import { isJavaScriptLike, languageOf, type Language } from "../core/language.js";
import { LineIndex } from "../core/positions.js";
import type { FileRule, Problem } from "../core/rule.js";
import { DEFAULT_API_VERSION, extensionPorts } from "../imds.js";
import { packageInfo } from "../package-info.js";
import { stateless } from "../pipeline/prefilter.js";
import { loadParser, type ParseText } from "../syntax/index.js";
import { FILE_RULES } from "../../rules/index.js";

// `msi2imds/eslint-plugin`: the rules that read JavaScript and TypeScript, as ESLint rules with the same
// ids, messages and analysis as `msi2imds lint`, for teams whose gate is ESLint. The codemod's rewrite is
// offered as a suggestion, never an autofix: it changes what the code does at run time (another endpoint,
// another method), which ESLint leaves to a person's choice. ESLint's own types are not imported, so the
// package needs no ESLint at run time; the shapes below are the parts of its rule API used here.

interface EslintFixer {
  replaceTextRange(range: [number, number], text: string): unknown;
}

interface EslintSourceCode {
  text: string;
  getLocFromIndex(index: number): { line: number; column: number };
}

interface EslintContext {
  filename: string;
  sourceCode: EslintSourceCode;
  options: readonly { ports?: number[] }[];
  report(descriptor: {
    messageId: string;
    data?: Record<string, string | number>;
    loc: { start: { line: number; column: number }; end: { line: number; column: number } };
    suggest?: { messageId: string; fix(fixer: EslintFixer): unknown[] }[];
  }): void;
}

export interface EslintRule {
  meta: {
    type: "problem";
    docs: { description: string; url: string; recommended: boolean };
    hasSuggestions: boolean;
    messages: Record<string, string>;
    schema: object[];
    defaultOptions: object[];
  };
  create(context: EslintContext): Record<string, () => void>;
}

/** The message of the one suggestion: the same rewrite `msi2imds fix` makes. */
const SUGGESTION = "rewriteToImds";

const OPTIONS_SCHEMA = {
  type: "object",
  properties: {
    ports: {
      type: "array",
      items: { type: "integer", minimum: 1, maximum: 65535 },
      description: "ports the extension listened on besides 50342 and 50343",
    },
  },
  additionalProperties: false,
};

function toEslintRule(rule: FileRule): EslintRule {
  const { meta } = rule;
  const prefilters = new Map<string, RegExp[]>();
  const prefilterOf = (ports: readonly number[]): RegExp[] => {
    const key = ports.join(",");
    let patterns = prefilters.get(key);
    if (patterns) return patterns;
    patterns = rule.prefilter(ports).map(stateless);
    prefilters.set(key, patterns);
    return patterns;
  };
  return {
    meta: {
      type: "problem",
      docs: { description: meta.description, url: meta.docsUrl, recommended: true },
      hasSuggestions: meta.fixable,
      messages: {
        ...meta.messages,
        ...(meta.fixable ? { [SUGGESTION]: "Call IMDS instead: the rewrite msi2imds fix makes." } : {}),
      },
      schema: [OPTIONS_SCHEMA],
      defaultOptions: [{}],
    },
    create(context) {
      const { sourceCode } = context;
      return {
        Program() {
          const ports = extensionPorts(context.options[0]?.ports ?? []);
          const text = sourceCode.text;
          // The prefilter is the rule's promise of where it can find anything; elsewhere it costs nothing.
          if (!prefilterOf(ports).some((pattern) => pattern.test(text))) return;
          const language = javascriptLanguageOf(context.filename);
          let analysis: Analysis | undefined;
          const javascript = (): Analysis => {
            analysis ??= analyzeSource({
              path: context.filename,
              displayPath: context.filename,
              text,
              ports,
              apiVersion: DEFAULT_API_VERSION,
            });
            // As lint does: a file the analysis cannot parse gives no findings from it.
            return analysis.parseErrors > 0 ? { findings: [], parseErrors: analysis.parseErrors } : analysis;
          };
          rule.check({
            path: context.filename,
            displayPath: context.filename,
            text,
            language,
            ports,
            options: rule.options ?? {},
            lines: new LineIndex(text),
            javascript,
            // Lock files are not read inside ESLint: a version-aware rule gives its version-free advice.
            dependency: () => undefined,
            syntax: () => PARSERS[language === "typescript" ? "typescript" : "javascript"](text),
            report: (problem) => context.report(descriptorOf(problem, sourceCode)),
          });
        },
      };
    },
  };
}

function descriptorOf(problem: Problem, sourceCode: EslintSourceCode) {
  const edits = problem.fix;
  return {
    messageId: problem.messageId,
    ...(problem.data ? { data: { ...problem.data } } : {}),
    loc: { start: sourceCode.getLocFromIndex(problem.start), end: sourceCode.getLocFromIndex(problem.end) },
    ...(edits
      ? {
          suggest: [
            {
              messageId: SUGGESTION,
              fix: (fixer: EslintFixer) => edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text)),
            },
          ],
        }
      : {}),
  };
}

/** ESLint lints .vue, .svelte or virtual files too: anything not named TypeScript is read as JavaScript. */
function javascriptLanguageOf(filename: string): Language {
  const language = languageOf(filename);
  return isJavaScriptLike(language) ? language : "javascript";
}

const JS_RULES = FILE_RULES.filter((rule) => rule.languages.some((language) => isJavaScriptLike(language)));

// ESLint's rules run synchronously, so the grammars some rules read are loaded when the plugin is imported
// (flat config imports it), not when a file first needs them.
const [javascriptParser, typescriptParser] = await Promise.all([loadParser("javascript"), loadParser("typescript")]);
const PARSERS: Record<"javascript" | "typescript", ParseText> = {
  javascript: javascriptParser,
  typescript: typescriptParser,
};

const rules: Record<string, EslintRule> = Object.fromEntries(
  JS_RULES.map((rule) => [rule.meta.id, toEslintRule(rule)]),
);

const { name, version } = packageInfo();

interface FlatConfig {
  name: string;
  plugins: Record<string, unknown>;
  rules: Record<string, "error" | "warn">;
}

const plugin: { meta: { name: string; version: string }; rules: typeof rules; configs: { recommended: FlatConfig } } = {
  meta: { name, version },
  rules,
  configs: { recommended: { name: "msi2imds/recommended", plugins: {}, rules: {} } },
};

/** Every rule at its severity in msi2imds lint: `export default [msi2imds.configs.recommended]`. */
plugin.configs.recommended.plugins.msi2imds = plugin;
plugin.configs.recommended.rules = Object.fromEntries(
  JS_RULES.map(({ meta }) => [`msi2imds/${meta.id}`, meta.severity === "error" ? "error" : "warn"]),
);

export default plugin;
