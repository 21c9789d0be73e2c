import { compareFindings, isFileFinding, type Finding } from "../../core/finding.js";
import type { Analysis } from "../../core/fix.js";
import { languageOf, languageOfText, type Language } from "../../core/language.js";
import { parseDirectives } from "../../core/suppressions.js";
import type { SourceInput } from "../../pipeline/analysis.js";
import type { ConcreteTree } from "../../syntax/index.js";
import { CLOUD_SHELL_REASON, readsCloudShellEndpoint, toFindings } from "../findings.js";
import type { ScriptPlanner } from "./context.js";
import { azLoginFindings } from "./az-login.js";
import { findExtensionUrls } from "./extension-url.js";
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

export function analyzeScript(input: SourceInput, tree: ConcreteTree): Analysis {
  const planner = PLANNERS[tree.language];
  if (!planner) throw new Error(`no rewrite for ${tree.language}`);
  const context = { displayPath: input.displayPath, text: input.text, root: tree.root, settings: input };
  const plan = planner(context, findExtensionUrls(input.text, input.ports));
  const sites = readsCloudShellEndpoint(input.text)
    ? plan.sites.map((site) => ({
        ...site,
        outcome: { kind: "review" as const, client: site.outcome.client, reason: CLOUD_SHELL_REASON },
      }))
    : plan.sites;
  const logins = COMMAND_LANGUAGES.has(tree.language)
    ? azLoginFindings(input.text, tree.root, tree.language, input.displayPath)
    : [];
  const findings = [...toFindings(sites, input, { ruleId: SCRIPT_RULE_ID }), ...(plan.findings ?? []), ...logins].sort(
    compareFindings,
  );
  return { findings: unsuppressed(findings, input.text, tree.language), parseErrors: tree.errors };
}

/** Drops what a `msi2imds-disable-next-line <rule>` directive on the line before names. */
function unsuppressed(findings: Finding[], text: string, language: Language): Finding[] {
  const directives = parseDirectives(text, language);
  if (directives.length === 0) return findings;
  return findings.filter(
    (finding) =>
      !isFileFinding(finding) ||
      !directives.some((d) => d.line + 1 === finding.location.file.line && d.ruleIds.includes(finding.ruleId)),
  );
}
