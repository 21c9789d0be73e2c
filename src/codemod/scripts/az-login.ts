import { fingerprintOf, type Finding, type TextEdit } from "../../core/finding.js";
import type { Language } from "../../core/language.js";
import { LineIndex } from "../../core/positions.js";
import type { SyntaxTree } from "../../syntax/index.js";
import { azLoginMsiSwitches } from "../../../rules/support/az-login.js";

// `az login --msi` and `--msi-port N` (found as lint finds them, rules/support/az-login.ts): `az login
// --identity` asks IMDS, and a port means nothing there: the switch is renamed and the port dropped, wherever
// the command sits (a line, `$(…)`, backticks). Reported under the rule lint reports them with, so one
// directive covers both.

export const AZ_LOGIN_RULE_ID = "no-legacy-msi-sdk";

/** What follows `--msi-port`: `=N`, or a word after white space (quoted or not). */
const PORT_VALUE = /^(?:=[^\s;|&)`]*|[ \t]+(?:"[^"\n]*"|'[^'\n]*'|[^\s;|&)`]+))/;

export function azLoginFindings(text: string, syntax: SyntaxTree, language: Language, displayPath: string): Finding[] {
  const lines = new LineIndex(text);
  const seen = new Map<string, number>();
  return azLoginMsiSwitches({ text, lines }, language, syntax).map(({ start, option }) => {
    const range = lines.range(displayPath, start, start + option.length);
    const occurrence = seen.get(option) ?? 0;
    seen.set(option, occurrence + 1);
    return {
      ruleId: AZ_LOGIN_RULE_ID,
      severity: "error",
      messageId: "azLoginMsi",
      message:
        option === "--msi"
          ? "az login --msi asked the deprecated Managed Identity VM extension; the fix makes it az login --identity (IMDS)."
          : "az login --msi-port named the deprecated Managed Identity VM extension's port; the fix removes it (IMDS has none).",
      location: { file: range },
      fix: [switchEdit(text, start, option)],
      fingerprint: fingerprintOf(AZ_LOGIN_RULE_ID, displayPath, option, occurrence),
    };
  });
}

function switchEdit(text: string, start: number, name: string): TextEdit {
  if (name === "--msi") return { start, end: start + name.length, text: "--identity" };
  const value = PORT_VALUE.exec(text.slice(start + name.length, start + name.length + 200))?.[0] ?? "";
  // The blank before the switch goes with it, so no double space is left; a continuation line that held
  // nothing else goes whole.
  let from = start;
  while (from > 0 && (text[from - 1] === " " || text[from - 1] === "\t")) from--;
  const end = start + name.length + value.length;
  const atLineStart = from === 0 || text[from - 1] === "\n";
  const continued = atLineStart && /^[ \t]*[\\`]\r?\n/.exec(text.slice(end, end + 8));
  return { start: from, end: continued ? end + continued[0].length : end, text: "" };
}
