import type { Analysis } from "../core/fix.js";

// The codemod's ts-morph analysis, loaded only when a JS/TS file passes the prefilter, so `lint` over a
// repository without such files never loads TypeScript.

export interface AnalyzeInput {
  path: string;
  displayPath: string;
  text: string;
  ports: readonly number[];
  apiVersion: string;
}

export type AnalyzeSource = (input: AnalyzeInput) => Analysis;

let loaded: Promise<AnalyzeSource> | undefined;

export function loadJavaScriptAnalysis(): Promise<AnalyzeSource> {
  loaded ??= (async () => {
    // A specifier in a variable: the codemod's module is typed by its own job, this one only needs the call.
    const specifier = "../codemod/analyze.js";
    const module = (await import(specifier)) as { analyzeSource?: unknown };
    if (typeof module.analyzeSource !== "function") throw new Error("src/codemod/analyze.js does not export analyzeSource()");
    return module.analyzeSource as AnalyzeSource;
  })();
  return loaded;
}
