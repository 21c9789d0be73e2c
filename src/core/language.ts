// What language a file is, from its name alone: rules declare the languages they read.

export type Language =
  | "javascript"
  | "typescript"
  | "python"
  | "csharp"
  | "java"
  | "go"
  | "ruby"
  | "powershell"
  | "shell"
  | "yaml"
  | "dockerfile"
  | "json"
  | "bicep"
  | "terraform";

const BY_EXTENSION = new Map<string, Language>(
  Object.entries({
    js: "javascript",
    jsx: "javascript",
    mjs: "javascript",
    cjs: "javascript",
    ts: "typescript",
    tsx: "typescript",
    mts: "typescript",
    cts: "typescript",
    py: "python",
    cs: "csharp",
    java: "java",
    go: "go",
    rb: "ruby",
    ps1: "powershell",
    psm1: "powershell",
    psd1: "powershell",
    sh: "shell",
    bash: "shell",
    zsh: "shell",
    ksh: "shell",
    yml: "yaml",
    yaml: "yaml",
    json: "json",
    jsonc: "json",
    bicep: "bicep",
    tf: "terraform",
    hcl: "terraform",
  } satisfies Record<string, Language>),
);

export const JS_TS_EXTENSIONS: readonly string[] = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];
export const KNOWN_EXTENSIONS: readonly string[] = [...BY_EXTENSION.keys()];
export const KNOWN_FILE_NAMES: readonly string[] = ["Dockerfile", "Containerfile"];

/**
 * Asked of every file a walk yields, more than once: only the extension is lowercased, and a name only when
 * it can be a Dockerfile's.
 */
export function languageOf(path: string): Language | undefined {
  const start = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1;
  const dot = path.lastIndexOf(".");
  const extension = dot < start ? undefined : path.slice(dot + 1).toLowerCase();
  const initial = path.charCodeAt(start) | 0x20; // ASCII lower case
  if (initial === 0x64 /* d */ || initial === 0x63 /* c */ || extension === "dockerfile") {
    const lower = path.slice(start).toLowerCase();
    if (
      lower === "dockerfile" ||
      lower === "containerfile" ||
      lower.startsWith("dockerfile.") ||
      lower.endsWith(".dockerfile")
    )
      return "dockerfile";
  }
  return extension === undefined ? undefined : BY_EXTENSION.get(extension);
}

export function isJavaScriptLike(language: Language | undefined): language is "javascript" | "typescript" {
  return language === "javascript" || language === "typescript";
}
