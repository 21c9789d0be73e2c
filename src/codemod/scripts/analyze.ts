import { compareFindings } from "../../core/finding.js";
import type { Analysis } from "../../core/fix.js";
import { languageOf, languageOfText, type Language } from "../../core/language.js";
import { unsuppressed } from "../../core/suppressions.js";
import type { AnalyzeSource, SourceInput } from "../../pipeline/analysis.js";
import { loadConcreteParser, loadParser, type ConcreteTree, type SyntaxTree } from "../../syntax/index.js";
import { cloudShellReason, HYBRID_REASON, toFindings, type Located } from "../findings.js";
import { codePathOf, inComment, testSetsMsiEndpoint, type CodePath } from "../../../rules/support/code-paths.js";
import { endpointSettingAt, hybridExtensionUrl } from "../../../rules/support/endpoint-patterns.js";
import type { ScriptPlanner } from "./context.js";
import { azLoginFindings } from "./az-login.js";
import { findExtensionUrls, type UrlOccurrence } from "./extension-url.js";
import { planPython } from "./python/plan.js";
import { planPowerShell } from "./powershell/plan.js";
import { planShell } from "./shell/plan.js";

// The codemod for scripts: Python, shell and PowerShell. One concrete syntax tree per file (the parsers lint
// uses); the extension URLs found in its text are followed to the calls that use them, each planned as text
// edits or left for a person with the reason; `az login --msi` becomes `--identity`; a line a suppression
// directive names is left alone.

/** The rule lint reports these files' extension URLs under, so one directive covers both. */
export const SCRIPT_RULE_ID = "no-extension-endpoint-text";

/** What fix walks into besides JS/TS (lint reads more: a file named on the command line may be .zsh or .psd1). */
export const SCRIPT_EXTENSIONS: readonly string[] = ["py", "sh", "bash", "ps1", "psm1"];

/** Where `az login` is a command of the script itself. */
const COMMAND_LANGUAGES: ReadonlySet<Language> = new Set(["shell", "powershell"]);

const PLANNERS: Partial<Record<Language, ScriptPlanner>> = {
  python: planPython,
  shell: planShell,
  powershell: planPowerShell,
};

export function isScriptLanguage(language: Language | undefined): boolean {
  return language !== undefined && PLANNERS[language] !== undefined;
}

/** The script language of a file: by its extension, or, when it has none msi2imds knows, by its #! line. */
export function scriptLanguageOf(path: string, text: string): Language | undefined {
  const language = languageOf(path);
  if (language) return isScriptLanguage(language) ? language : undefined;
  const sniffed = languageOfText(text);
  return isScriptLanguage(sniffed) ? sniffed : undefined;
}

/** What a script's analysis reads: the concrete tree its rewrites edit, the syntax tree lint's judgment uses. */
export interface ScriptTrees {
  concrete: ConcreteTree;
  syntax: SyntaxTree;
}

/** Loads the language's grammar (once per process); the function it gives parses a script both ways. */
export async function loadScriptParser(language: Language): Promise<(text: string) => ScriptTrees> {
  const [concrete, syntax] = await Promise.all([loadConcreteParser(language), loadParser(language)]);
  return (text) => ({ concrete: concrete(text), syntax: syntax(text) });
}

/**
 * The analysis of a script language, its grammar loaded; undefined for a language with no rewrites. What fix
 * runs, and `lint --fix` loads by this module's URL (lint never imports the codemod).
 */
export async function scriptAnalyzer(language: Language): Promise<AnalyzeSource | undefined> {
  if (!isScriptLanguage(language)) return undefined;
  const parse = await loadScriptParser(language);
  return (input) => analyzeScript(input, parse(input.text));
}

export function analyzeScript(input: SourceInput, { concrete: tree, syntax }: ScriptTrees): Analysis {
  const planner = PLANNERS[tree.language];
  if (!planner) throw new Error(`no rewrite for ${tree.language}`);
  const context = { displayPath: input.displayPath, text: input.text, root: tree.root, settings: input };
  const urls = findExtensionUrls(input.text, input.ports);
  const plan = planner(context, urls);
  // Judged as lint judges the same URL: a Cloud Shell, App Service, emulator or test path is left to a person.
  const sites = [...plan.sites, ...hybridSites(input, syntax)]
    .filter((site) => !testSetsMsiEndpoint(input.text, site.start, input.displayPath))
    .map((site) => asSetting(site, input.text) ?? onCodePath(site, syntax, input))
    .map((site) => (site.outcome.kind === "review" ? atUrl(site, urls) : site));
  const logins = COMMAND_LANGUAGES.has(tree.language)
    ? azLoginFindings(input.text, syntax, tree.language, input.displayPath)
    : [];
  const findings = [...toFindings(sites, input, { ruleId: SCRIPT_RULE_ID }), ...logins].sort(compareFindings);
  return { findings: unsuppressed(findings, input.text, tree.language), parseErrors: tree.errors };
}

const PATH_REASONS: Record<CodePath, (evidence: string) => string> = {
  cloudShell: cloudShellReason,
  appService: (evidence) =>
    `it is on an App Service / Functions code path (${evidence}), where the endpoint comes from IDENTITY_ENDPOINT; ` +
    "if this fallback can run on a VM, move it to IMDS by hand",
  emulator: (evidence) => `it is in an emulator or test double (${evidence}): it imitates the endpoint`,
  test: (evidence) => `it is in a test (${evidence}): move it to IMDS together with the code it tests`,
};

export function endpointSettingReason(setting: string): string {
  return `${setting} points Terraform (or Packer) at the extension: remove the setting (without it they ask IMDS)`;
}

/** A case for a person stands where lint's finding does: on the URL in it, not on its quote or its call. */
function atUrl(site: Located, urls: readonly UrlOccurrence[]): Located {
  const url = urls.find((u) => u.start >= site.start && u.start < site.end);
  return url ? { ...site, start: url.start, end: Math.min(site.end, Math.max(url.end, url.start + 1)) } : site;
}

/** IMDS's path on the extension's host and port: lint flags it and no rewrite can tell what was meant. */
function hybridSites(input: SourceInput, syntax: SyntaxTree): Located[] {
  return [...input.text.matchAll(hybridExtensionUrl())]
    .filter((m) => input.ports.includes(Number(m[1])) && !inComment(syntax, m.index))
    .map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
      outcome: { kind: "review", client: "url", reason: HYBRID_REASON },
    }));
}

/** A URL that is an endpoint setting's value (ARM_MSI_ENDPOINT=…): the setting goes, which a person decides. */
function asSetting(site: Located, text: string): Located | undefined {
  const setting = endpointSettingAt(text, site.start);
  if (!setting) return undefined;
  const reason = endpointSettingReason(setting);
  return { ...site, outcome: { kind: "review", client: site.outcome.client, reason, removal: true } };
}

function onCodePath(site: Located, syntax: SyntaxTree, input: SourceInput): Located {
  const path = codePathOf(syntax, site.start, site.end, input.displayPath, input.setting);
  if (!path) return site;
  const reason = PATH_REASONS[path.path](path.evidence);
  return { ...site, outcome: { kind: "review", client: site.outcome.client, reason, path: path.path } };
}
