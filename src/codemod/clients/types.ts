import type { ts } from "../ts.js";
import type { Outcome } from "../findings.js";
import type { UrlSettings } from "../url.js";

export interface CodemodContext {
  /** The quote character the file's string literals use most. */
  quote: string;
  settings: UrlSettings;
}

/** What a recognised client call needs: the codemod's Outcome, with the JS/TS syntax it rests on. */
export type CallOutcome =
  | (Extract<Outcome, { kind: "rewrite" }> & {
      /** What a person should know once the rewrite is made (other uses of a constant it changed, say). */
      remarks: string[];
      literals: ts.Node[];
      constants: readonly ts.Node[];
      /** Made on a client instance whose defaults the rewrite edits: every call on it must be rewritten too. */
      instance?: ts.VariableDeclaration;
    })
  | (Extract<Outcome, { kind: "review" }> & { literals: ts.Node[] });
