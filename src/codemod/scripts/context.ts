import type { ConcreteNode } from "../../syntax/index.js";
import type { Located } from "../findings.js";
import type { UrlSettings } from "../url.js";
import type { UrlOccurrence } from "./extension-url.js";

// What every script rewrite (Python, shell, PowerShell) is given, and what it gives back.

export interface ScriptContext {
  displayPath: string;
  text: string;
  root: ConcreteNode;
  settings: UrlSettings;
}

export interface ScriptPlan {
  /** Call sites rewritten or left for a person. */
  sites: Located[];
}

/** Plans the rewrites of a file of one language, from the extension URLs found in its text. */
export type ScriptPlanner = (context: ScriptContext, urls: readonly UrlOccurrence[]) => ScriptPlan;
