// What language a file is, from its name alone: rules declare the languages they read.

export type Language =
  | "javascript" | "typescript" | "python" | "csharp" | "java" | "go" | "ruby" | "powershell" | "shell"
  | "yaml" | "dockerfile" | "json" | "bicep" | "terraform";

const BY_EXTENSION: Record<string, Language> = {
  js: "javascript", jsx: "javascript", mjs: "javascript", cjs: "javascript",
  ts: "typescript", tsx: "typescript", mts: "typescript", cts: "typescript",
  py: "python", cs: "csharp", java: "java", go: "go", rb: "ruby",
  ps1: "powershell", psm1: "powershell", psd1: "powershell",
  sh: "shell", bash: "shell", zsh: "shell", ksh: "shell",
  yml: "yaml", yaml: "yaml",
  json: "json", jsonc: "json",
  bicep: "bicep", tf: "terraform", hcl: "terraform",
};

export const JS_TS_EXTENSIONS: readonly string[] = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];
export const KNOWN_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION);
export const KNOWN_FILE_NAMES: readonly string[] = ["Dockerfile", "Containerfile"];

export function languageOf(path: string): Language | undefined {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const lower = base.toLowerCase();
  if (lower === "dockerfile" || lower === "containerfile" || lower.startsWith("dockerfile.") || lower.endsWith(".dockerfile")) return "dockerfile";
  const dot = lower.lastIndexOf(".");
  return dot === -1 ? undefined : BY_EXTENSION[lower.slice(dot + 1)];
}

export function isJavaScriptLike(language: Language | undefined): language is "javascript" | "typescript" {
  return language === "javascript" || language === "typescript";
}
