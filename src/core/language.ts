// What language a file is: from its name, and for a name that says nothing (`.t`, `.txt`, `.env`, a script
// without an extension) from its first bytes. Rules declare the languages they read.

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
  | "terraform"
  | "php"
  /** Markdown and reStructuredText: their code blocks are read in their own languages. */
  | "docs"
  /** A Jupyter notebook: its cells are read in their own languages. */
  | "notebook"
  /** Any other text: settings files, templates, scripts in languages no rule knows. */
  | "text";

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
    php: "php",
    md: "docs",
    markdown: "docs",
    mdx: "docs",
    rst: "docs",
    ipynb: "notebook",
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

/**
 * Names whose bytes are never text: a walk does not read them. A file named on the command line is read
 * whatever its name (and reported as binary if it is).
 */
export const BINARY_EXTENSIONS: readonly string[] = [
  ...["png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "tif", "tiff", "psd"],
  ...["zip", "gz", "tgz", "bz2", "xz", "7z", "rar", "tar", "jar", "war", "ear", "nupkg", "whl", "egg"],
  ...["exe", "dll", "so", "dylib", "a", "o", "obj", "lib", "pdb", "class", "pyc", "pyo", "node", "wasm"],
  ...["woff", "woff2", "ttf", "otf", "eot", "pdf", "mp3", "mp4", "mov", "avi", "wav", "ogg", "webm"],
  ...["db", "sqlite", "bin", "dat", "pfx", "p12", "der", "snk", "keystore"],
];

const INTERPRETERS: readonly [RegExp, Language][] = [
  [/\b(?:ba|z|k|da|)sh\b/, "shell"],
  [/\bpython[\d.]*\b/, "python"],
  [/\bpwsh\b|\bpowershell\b/i, "powershell"],
  [/\bruby\b/, "ruby"],
  [/\bnode\b|\bdeno\b|\bbun\b/, "javascript"],
  [/\bphp\b/, "php"],
];

/**
 * The language of a file whose name gives none, from its text: the interpreter its #! line names, JSON
 * (an ARM template saved as .t, .txt or a Go template: it opens with `{` or `[`), else plain text.
 */
export function languageOfText(text: string): Language {
  const start = text.search(/\S/);
  if (text.startsWith("#!", start)) {
    const newline = text.indexOf("\n", start);
    const line = text.slice(start, newline === -1 ? undefined : newline);
    return INTERPRETERS.find(([pattern]) => pattern.test(line))?.[1] ?? "text";
  }
  if ((text[start] === "{" || text[start] === "[") && text.includes('"')) return "json";
  return "text";
}

const PROSE_NAME =
  /(?:^|[/\\])(?:[^/\\]*\.(?:txt|text|adoc|asciidoc|org|textile|rdoc|pod|html?|xhtml|[1-9]|man|log)|(?:changelog|changes|history|news|readme|notes|release[-_]?notes|authors|contributing)(?:\.[^/\\]*)?)$/i;

/** What a machine runs, whatever its name: cloud-init's user data (`cloud-init.txt`), a script with a `#!` line. */
const RUN_BY_A_MACHINE = /^\uFEFF?#(?:!|cloud-config\b|cloud-boothook\b|include\b|part-handler\b)/;

/**
 * A file named as prose (`CHANGELOG.txt`, `NEWS`, `notes.adoc`, a help page in HTML, a man page, a log): what
 * it says of the extension is history or instructions, reported as a document's code blocks are (warnings),
 * not as code. Unless its text is something a machine runs: `cloud-init.txt` is the user data the docs pass
 * to `az vm create --custom-data`.
 */
export function isProseFile(path: string, text: string): boolean {
  return PROSE_NAME.test(path) && !RUN_BY_A_MACHINE.test(text);
}

/** The scripts fix and lint --fix rewrite besides JS/TS (isScriptLanguage in the codemod; a test keeps them one). */
export const REWRITTEN_SCRIPT_LANGUAGES: readonly Language[] = ["python", "shell", "powershell"];

/** A document whose code is in other languages, each part read in its own: no rule reads it as a whole. */
export function holdsOtherLanguages(language: Language | undefined): language is "docs" | "notebook" {
  return language === "docs" || language === "notebook";
}

export function isJavaScriptLike(language: Language | undefined): language is "javascript" | "typescript" {
  return language === "javascript" || language === "typescript";
}
