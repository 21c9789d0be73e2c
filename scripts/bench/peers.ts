import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

// The AST-based peers (ast-grep, ESLint with one no-restricted-syntax rule), installed on demand into a
// scratch folder: they are not project dependencies. Each is given one rule that flags a string or
// template whose text holds the extension's host:port, the best a one-rule config of that tool can do.

export const PEER_PACKAGES: Record<string, string> = {
  "@ast-grep/cli": "0.51.1",
  eslint: "10.15.0",
  "@typescript-eslint/parser": "8.74.0",
  typescript: "5.9.3",
};

const INSTALL_TIMEOUT_MS = 300_000;

export interface Peers {
  dir: string;
  astGrep: string;
  astGrepRules: string;
  eslint: string;
  eslintConfig: string;
}

/** Installs the peers if needed and writes their one-rule configs; returns why not when it cannot. */
export function preparePeers(dir: string, corpusRoot: string, hostPortPattern: string): Peers | string {
  mkdirSync(dir, { recursive: true });
  if (!installed(dir)) {
    // A package.json of its own, so npm installs here and never touches the project's.
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "msi2imds-bench-peers", private: true }, null, 2));
    const specs = Object.entries(PEER_PACKAGES).map(([name, version]) => `${name}@${version}`);
    const result = spawnSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--save-exact", ...specs], {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: INSTALL_TIMEOUT_MS,
    });
    if (!installed(dir))
      return `peers not installed (npm install: ${result.error?.message ?? lastLine(result.stderr?.toString())})`;
  }
  const peers: Peers = {
    dir,
    astGrep: join(dir, "node_modules/@ast-grep/cli/ast-grep"),
    astGrepRules: join(dir, "ast-grep-rules.yml"),
    eslint: join(dir, "node_modules/eslint/bin/eslint.js"),
    eslintConfig: join(dir, "eslint.config.mjs"),
  };
  writeFileSync(peers.astGrepRules, astGrepRules(hostPortPattern));
  writeFileSync(peers.eslintConfig, eslintConfig(corpusRoot, hostPortPattern));
  return peers;
}

function installed(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    return Object.entries(PEER_PACKAGES).every(
      ([name, version]) =>
        manifest.dependencies?.[name] === version && existsSync(join(dir, "node_modules", name, "package.json")),
    );
  } catch {
    return false;
  }
}

/** One rule per ast-grep language, since a rule applies to one language (its file extensions). */
function astGrepRules(pattern: string): string {
  return `${["JavaScript", "TypeScript", "Tsx"]
    .map((language) =>
      [
        `id: extension-endpoint-${language.toLowerCase()}`,
        `language: ${language}`,
        "severity: error",
        "message: Managed Identity VM extension endpoint",
        "rule:",
        "  any:",
        "    - kind: string",
        `      regex: '${pattern}'`,
        "    - kind: template_string",
        `      regex: '${pattern}'`,
      ].join("\n"),
    )
    .join("\n---\n")}\n`;
}

function eslintConfig(corpusRoot: string, pattern: string): string {
  // esquery regular expressions end at the first slash, so the pattern must not contain one.
  const rule = JSON.stringify([
    "error",
    { selector: `Literal[value=/${pattern}/]`, message: "Managed Identity VM extension endpoint" },
    { selector: `TemplateElement[value.raw=/${pattern}/]`, message: "Managed Identity VM extension endpoint" },
  ]);
  return [
    'import tsParser from "@typescript-eslint/parser";',
    `const rules = { "no-restricted-syntax": ${rule} };`,
    "export default [",
    // The config lives outside the corpus: basePath makes its file patterns apply inside it.
    `  { basePath: ${JSON.stringify(corpusRoot)}, files: ["**/*.{js,mjs,cjs,jsx}"], ` +
      `languageOptions: { ecmaVersion: "latest", sourceType: "module" }, rules },`,
    `  { basePath: ${JSON.stringify(corpusRoot)}, files: ["**/*.{ts,mts,cts,tsx}"], ` +
      `languageOptions: { parser: tsParser }, rules },`,
    "];",
    "",
  ].join("\n");
}

function lastLine(text: string | undefined): string {
  return text?.trim().split("\n").pop() ?? "unknown error";
}
