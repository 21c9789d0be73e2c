import type { Analysis } from "../core/fix.js";
import type { SourceInput } from "../codemod/analyze.js";

// The codemod's ts-morph analysis, loaded only when a JS/TS file passes the prefilter, so `lint` over a
// repository without such files never loads TypeScript.

export type AnalyzeSource = (input: SourceInput) => Analysis;

let loaded: Promise<AnalyzeSource> | undefined;

export function loadJavaScriptAnalysis(): Promise<AnalyzeSource> {
  loaded ??= import("../codemod/analyze.js").then((module) => module.analyzeSource);
  return loaded;
}
