import { dirname, relative, resolve, sep } from "node:path";
import ignore from "ignore";
import type { Severity } from "../core/finding.js";
import { languageOf } from "../core/language.js";
import { DIRECTIVE_RULES } from "../core/suppressions.js";
import { extensionPorts } from "../imds.js";
import { FILE_RULES } from "../../rules/index.js";
import { initialConfig, type RuleSetting } from "./config.js";
import { enabledRules, lintConfig } from "./run.js";

// What lint would do, said without linting: the rules it knows (--list-rules), the settings one file gets
// (--print-config) and a first config file (--init).

export interface RuleListing {
  id: string;
  severity: Severity;
  fixable: boolean;
  /** The languages it reads; empty for the suppression-directive checks, which read every file. */
  languages: string[];
  description: string;
  docsUrl?: string;
}

export function listRules(): RuleListing[] {
  const fileRules = FILE_RULES.map(({ meta, languages }) => ({
    id: meta.id,
    severity: meta.severity,
    fixable: meta.fixable,
    languages: [...languages],
    description: meta.description,
    docsUrl: meta.docsUrl,
  }));
  const directives = Object.entries(DIRECTIVE_RULES).map(([id, { severity, description }]) => ({
    id,
    severity,
    fixable: false,
    languages: [],
    description,
  }));
  return [...fileRules, ...directives].sort((a, b) => (a.id < b.id ? -1 : 1));
}

export interface FileConfig {
  file: string;
  /** The config file in force, relative to cwd; null when there is none. */
  configFile: string | null;
  language: string | null;
  /** Left out by the config's `ignore` (a file named on the command line is linted all the same). */
  ignored: boolean;
  ports: number[];
  /** Every rule that reads this kind of file, at the severity it runs at. */
  rules: Record<string, RuleSetting>;
}

export function configForFile(file: string, options: { config?: string | undefined }, cwd: string): FileConfig {
  const config = lintConfig([file], options, cwd);
  const absolute = resolve(cwd, file);
  const language = languageOf(absolute) ?? null;
  const rules: Record<string, RuleSetting> = {};
  const running = new Map(enabledRules(config).map(({ rule, severity }) => [rule.meta.id, severity]));
  for (const rule of FILE_RULES) {
    if (language === null || !rule.languages.includes(language)) continue;
    const severity = running.get(rule.meta.id);
    rules[rule.meta.id] = severity === undefined ? "off" : severity === "error" ? "error" : "warn";
  }
  const fromConfig = config.path ? relative(dirname(config.path), absolute).split(sep).join("/") : undefined;
  return {
    file,
    configFile: config.path ? relative(cwd, config.path) || config.path : null,
    language,
    ignored: Boolean(fromConfig && !fromConfig.startsWith("..") && ignore().add(config.ignore).ignores(fromConfig)),
    ports: extensionPorts([...config.ports]),
    rules,
  };
}

/** The text of a first msi2imds.config.json: every rule listed at its default, commented out. */
export function initialConfigText(): string {
  return initialConfig(listRules());
}
