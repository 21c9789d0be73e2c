import { fingerprintOf, type Finding, type TextEdit } from "../../core/finding.js";
import type { Language } from "../../core/language.js";
import { LineIndex } from "../../core/positions.js";
import type { ConcreteNode } from "../../syntax/index.js";
import { commandAt } from "../../../rules/support/extent.js";
import { innermost } from "./nodes.js";

// `az login --msi` and `--msi-port N`: the Azure CLI's first managed-identity sign-in, which asked the VM
// extension on that port. `az login --identity` asks IMDS, and a port means nothing there: the switch is
// renamed and the port dropped, wherever the command sits (a line, `$(…)`, backticks). Reported under the
// rule lint reports them with, so one directive covers both.

export const AZ_LOGIN_RULE_ID = "no-legacy-msi-sdk";

const LOGIN = /\baz\s+login\b/g;
/** As lint reads it: the switch may close a command substitution or a quote. */
const SWITCH = /(?<=\s)--msi(?:-port)?(?=[\s=)`"';|&]|$)/g;
/** What follows `--msi-port`: `=N`, or a word after white space (quoted or not). */
const PORT_VALUE = /^(?:=[^\s;|&)`]*|[ \t]+(?:"[^"\n]*"|'[^'\n]*'|[^\s;|&)`]+))/;

export function azLoginFindings(text: string, root: ConcreteNode, language: Language, displayPath: string): Finding[] {
  const lines = new LineIndex(text);
  const source = { text, lines };
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  const logins = [...text.matchAll(LOGIN)];
  for (const [i, login] of logins.entries()) {
    if (innermost(root, login.index, login.index + 1, (node) => node.type === "comment")) continue;
    const command = commandAt(source, login.index, language);
    const end = Math.min(command.end, logins[i + 1]?.index ?? command.end);
    for (const m of text.slice(login.index, end).matchAll(SWITCH)) {
      const start = login.index + m.index;
      const edit = switchEdit(text, start, m[0]);
      const range = lines.range(displayPath, start, start + m[0].length);
      const occurrence = seen.get(m[0]) ?? 0;
      seen.set(m[0], occurrence + 1);
      findings.push({
        ruleId: AZ_LOGIN_RULE_ID,
        severity: "error",
        messageId: "azLoginMsi",
        message:
          m[0] === "--msi"
            ? "az login --msi asked the deprecated Managed Identity VM extension; the fix makes it az login --identity (IMDS)."
            : "az login --msi-port named the deprecated Managed Identity VM extension's port; the fix removes it (IMDS has none).",
        location: { file: range },
        fix: [edit],
        fingerprint: fingerprintOf(AZ_LOGIN_RULE_ID, displayPath, m[0], occurrence),
      });
    }
  }
  return findings;
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
