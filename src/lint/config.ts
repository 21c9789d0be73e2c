import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Severity } from "../core/finding.js";
import { UsageError } from "../core/exit-codes.js";
import { LineIndex } from "../core/positions.js";
import { describeFsError, readSmallTextFile, SMALL_FILE_LIMITS } from "../files/text-file.js";

// msi2imds.config.json: rule severities, ignore globs and extra extension ports. Found by walking up from
// the first target; every key is validated so a typo fails the run instead of silently doing nothing.
// `//` and `/* */` comments are allowed (JSONC, as tsconfig.json), so the file can explain itself.

export const CONFIG_FILE_NAME = "msi2imds.config.json";

export type RuleSetting = "off" | "warn" | "error";

export interface Config {
  /** Absolute path of the file read, or undefined when none was found. */
  path?: string | undefined;
  rules: Record<string, RuleSetting>;
  /** Options set for a rule: `"rules": { "<id>": ["error", { "<option>": true }] }`. */
  ruleOptions: Record<string, Record<string, boolean>>;
  /** gitignore-style patterns, relative to the config file's folder. */
  ignore: string[];
  ports: number[];
}

const RULE_SETTINGS: readonly RuleSetting[] = ["off", "warn", "error"];
const KNOWN_KEYS = ["$schema", "rules", "ignore", "ports"];

export function findConfigFile(startDir: string): string | undefined {
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The options each rule declares, by rule id: what a rule's options object may name. */
export type RuleOptionNames = Readonly<Record<string, readonly string[]>>;

/** Reads and validates a config file; `knownRuleIds` are the rules a `rules` key may name. */
export function loadConfig(
  path: string | undefined,
  knownRuleIds: readonly string[],
  optionNames: RuleOptionNames = {},
): Config {
  if (path === undefined) return { rules: {}, ruleOptions: {}, ignore: [], ports: [] };
  let raw: string;
  try {
    raw = readSmallTextFile(path, SMALL_FILE_LIMITS.config);
  } catch (error) {
    throw new UsageError(`cannot read config ${path}: ${describeFsError(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(withoutComments(raw));
  } catch (error) {
    // JSON.parse counts characters from the start; an editor counts lines and columns.
    const message = (error as Error).message.replace(/at position (\d+)/, (_, offset: string) => {
      const { line, column } = new LineIndex(raw).position(Number(offset));
      return `at line ${line}, column ${column}`;
    });
    throw new UsageError(`config ${path} is not valid JSON: ${message}`);
  }
  return { path, ...validateConfig(data, path, knownRuleIds, optionNames) };
}

export function validateConfig(
  data: unknown,
  path: string,
  knownRuleIds: readonly string[],
  optionNames: RuleOptionNames = {},
): Omit<Config, "path"> {
  const fail = (key: string, problem: string) => new UsageError(`config ${path}: "${key}" ${problem}`);
  if (!isRecord(data)) throw new UsageError(`config ${path}: the top level must be an object`);
  for (const key of Object.keys(data)) {
    if (!KNOWN_KEYS.includes(key)) throw fail(key, `is not a known key (expected ${KNOWN_KEYS.slice(1).join(", ")})`);
  }
  const rules: Record<string, RuleSetting> = {};
  const ruleOptions: Record<string, Record<string, boolean>> = {};
  if (data.rules !== undefined) {
    if (!isRecord(data.rules)) throw fail("rules", 'must be an object of rule id → "off" | "warn" | "error"');
    for (const [id, value] of Object.entries(data.rules)) {
      if (!knownRuleIds.includes(id))
        throw fail(`rules.${id}`, `is not a known rule (known: ${knownRuleIds.join(", ")})`);
      const [setting, options] = Array.isArray(value) && value.length === 2 ? value : [value, undefined];
      if (!RULE_SETTINGS.includes(setting as RuleSetting))
        throw fail(
          `rules.${id}`,
          `must be "off", "warn" or "error", or [setting, { options }], not ${JSON.stringify(value)}`,
        );
      rules[id] = setting as RuleSetting;
      if (options !== undefined)
        ruleOptions[id] = validateOptions(options, optionNames[id] ?? [], (problem) => fail(`rules.${id}[1]`, problem));
    }
  }
  const ignore: string[] = [];
  if (data.ignore !== undefined) {
    if (!Array.isArray(data.ignore)) throw fail("ignore", "must be an array of glob strings");
    data.ignore.forEach((glob, i) => {
      if (typeof glob !== "string" || glob.trim() === "") throw fail(`ignore[${i}]`, "must be a non-empty glob string");
      ignore.push(glob);
    });
  }
  const ports: number[] = [];
  if (data.ports !== undefined) {
    if (!Array.isArray(data.ports)) throw fail("ports", "must be an array of port numbers");
    data.ports.forEach((port, i) => {
      if (!isPort(port)) throw fail(`ports[${i}]`, `must be an integer from 1 to 65535, not ${JSON.stringify(port)}`);
      ports.push(port);
    });
  }
  return { rules, ruleOptions, ignore, ports };
}

function validateOptions(
  options: unknown,
  names: readonly string[],
  fail: (problem: string) => UsageError,
): Record<string, boolean> {
  if (!isRecord(options)) throw fail("must be an object of option → true | false");
  for (const [name, value] of Object.entries(options)) {
    if (!names.includes(name))
      throw fail(`has an unknown option "${name}" (known: ${names.length > 0 ? names.join(", ") : "none"})`);
    if (typeof value !== "boolean") throw fail(`option "${name}" must be true or false`);
  }
  return options as Record<string, boolean>;
}

export function isPort(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** The severity a rule runs at, or undefined when it is off. */
export function effectiveSeverity(setting: RuleSetting | undefined, fallback: Severity): Severity | undefined {
  if (setting === "off") return undefined;
  if (setting === "warn") return "warning";
  if (setting === "error") return "error";
  return fallback;
}

/** JSON text with its comments blanked out; strings (which may hold `//`, as URLs do) are left whole. */
export function withoutComments(text: string): string {
  return text.replace(/"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (match) =>
    match.startsWith('"') ? match : match.replace(/[^\n]/g, " "),
  );
}

/** What `lint --init` writes: every setting, commented, at its default. */
export function initialConfig(defaults: readonly { id: string; severity: Severity }[]): string {
  const rules = defaults
    .map(({ id, severity }) => `    // "${id}": "${severity === "error" ? "error" : "warn"}",`)
    .join("\n");
  return `// msi2imds lint configuration (JSON with comments). Found by msi2imds lint in the first target's folder
// or above. Every key is checked: an unknown key, rule id or value stops the run with exit 2.
{
  // Each rule "off", "warn" or "error"; a rule not named here runs at its default severity.
  "rules": {
${rules}
  },
  // Paths not to lint, as .gitignore lines relative to this file (files named on the command line still are).
  "ignore": [
    // "vendor/**"
  ],
  // Ports the extension listened on besides 50342 and 50343 (settings.port in its deployments).
  "ports": []
}
`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
