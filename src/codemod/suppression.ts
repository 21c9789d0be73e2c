import type { ts } from "./ts.js";
import type { TextEdit } from "../core/finding.js";
import { languageOf } from "../core/language.js";
import { suppressedLines } from "../core/suppressions.js";

// Sites under a msi2imds-disable directive stay byte for byte as they are, under fix --write and lint --fix
// alike: a call a directive covers is not rewritten, and neither is any other call whose rewrite would edit a
// covered line (a URL constant it shares, say).

export interface Suppression {
  /** Whether the directive covers the line the node starts on. */
  covers(node: ts.Node): boolean;
  /** The first covered line an edit touches, if any. */
  touchedLine(edits: readonly TextEdit[]): number | undefined;
}

export function suppressionOf(file: ts.SourceFile, ruleId: string): Suppression | undefined {
  const covered = suppressedLines(file.text, languageOf(file.fileName) ?? "typescript", ruleId);
  if (!covered) return undefined;
  const lineOf = (offset: number) => file.getLineAndCharacterOfPosition(offset).line + 1;
  return {
    covers: (node) => covered(lineOf(node.getStart(file))),
    touchedLine(edits) {
      for (const edit of edits) {
        for (let line = lineOf(edit.start); line <= lineOf(edit.end); line++) if (covered(line)) return line;
      }
      return undefined;
    },
  };
}
