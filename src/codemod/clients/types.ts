import type { ts } from "../ts.js";
import type { Outcome } from "../findings.js";
import type { UrlSettings } from "../url.js";

export interface CodemodContext {
  /** The quote character the file's string literals use most. */
  quote: string;
  settings: UrlSettings;
}

/** What a recognised client call needs (see Outcome), with the literals and constants it reads the URL from. */
export type CallOutcome =
  | (Extract<Outcome, { kind: "rewrite" }> & { literals: ts.Node[]; constants: readonly ts.Node[] })
  | (Extract<Outcome, { kind: "review" }> & { literals: ts.Node[] });
