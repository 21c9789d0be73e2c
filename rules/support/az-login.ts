import type { Language } from "../../src/core/language.js";
import { commandAt, type Source } from "./extent.js";
import { matches } from "./matches.js";

// The Azure CLI's first managed-identity sign-in, `az login --msi` and `--msi-port N`, which asked the VM
// extension: where lint reports it and fix renames it, found once.

export interface AzLoginSwitch {
  /** Where its `az login` starts: the switches of one command share it. */
  login: number;
  start: number;
  /** `--msi` or `--msi-port`, as written. */
  option: string;
}

/** The --msi switches of every `az login` outside a comment, its continuation lines joined. */
export function azLoginMsiSwitches(
  source: Source,
  language: Language,
  inComment: (offset: number) => boolean,
): AzLoginSwitch[] {
  const found: AzLoginSwitch[] = [];
  const logins = [...matches(source.text, /\baz\s+login\b/g)];
  for (const [i, login] of logins.entries()) {
    if (inComment(login.index)) continue;
    const command = commandAt(source, login.index, language);
    // Its switches end where its command does, or where the next `az login` starts on the same line.
    const end = Math.min(command.end, logins[i + 1]?.index ?? command.end);
    // The switch may close a command substitution or a quote: $(az login --msi), `az login --msi`.
    const switches = /(?<=\s)--msi(?:-port)?(?=[\s=)`"';|&]|$)/g;
    for (const m of matches(source.text.slice(login.index, end), switches))
      found.push({ login: login.index, start: login.index + m.index, option: m[0] });
  }
  return found;
}
