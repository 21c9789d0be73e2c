import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ALL_RULES } from "../rules/index.js";
import type { Rule } from "../src/core/rule.js";

// Generates the README's rule catalogue from the rules' own metadata, between markers, so the docs
// cannot drift from the code: `node --import tsx scripts/rule-catalogue.ts` rewrites it, and
// test/rules/catalogue.test.ts fails when README.md is stale.

export const ROOT = resolve(import.meta.dirname, "..");
export const README = join(ROOT, "README.md");
const START = "<!-- catalogue:rules -->";
const END = "<!-- /catalogue:rules -->";

export function renderCatalogue(rules: readonly Rule[]): string {
  const rows = rules.map((rule) => {
    const where = rule.kind === "file" ? rule.languages.join(", ") : "Azure fleet (scan)";
    return (
      `| [\`${rule.meta.id}\`](rules/${rule.meta.id}.md) | ${rule.meta.severity} ` +
      `| ${rule.meta.fixable ? "yes" : "no"} | ${where} | ${rule.meta.description.replace(/\|/g, "\\|")} |`
    );
  });
  return ["| rule | severity | fixable | reads | what it flags |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** README text with the catalogue between the markers replaced. */
export function withCatalogue(readme: string, catalogue: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${catalogue}\n${readme.slice(end)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const readme = readFileSync(README, "utf8");
  const updated = withCatalogue(readme, renderCatalogue(ALL_RULES));
  if (updated !== readme) writeFileSync(README, updated);
  process.stdout.write(updated === readme ? "README.md catalogue is up to date\n" : "README.md catalogue rewritten\n");
}
