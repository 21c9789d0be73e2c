import type { ts } from "../ts.js";
import type { TextEdit } from "../../core/finding.js";
import type { UrlSettings } from "../url.js";

export interface CodemodContext {
  /** The quote character the file's string literals use most. */
  quote: string;
  settings: UrlSettings;
}

/** What a recognised client call needs: a rewrite (all edits together) or a person. */
export type CallOutcome =
  | {
      kind: "rewrite";
      client: string;
      host: string;
      port: number | undefined;
      edits: TextEdit[];
      notes: string[];
      /** What a person should know once the rewrite is made (other uses of a constant it changed, say). */
      remarks: string[];
      literals: ts.Node[];
      constants: readonly ts.Node[];
      /** Made on a client instance whose defaults the rewrite edits: every call on it must be rewritten too. */
      instance?: ts.VariableDeclaration;
    }
  | { kind: "review"; client: string; reason: string; literals: ts.Node[] };
