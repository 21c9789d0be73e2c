import assert from "node:assert/strict";
import { type Dirent, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import type { FileRule } from "../../src/core/rule.js";
import { holdsOtherLanguages, languageOf, languageOfText } from "../../src/core/language.js";
import { extensionPorts } from "../../src/imds.js";
import { lintFiles, type EngineResult } from "../../src/lint/engine.js";
import { MANIFEST_READERS } from "../../src/files/manifests.js";
import { FILE_RULES } from "../../rules/index.js";

// The fixture conventions, read without the test runner (the tests and `npm run eval` share them), in
// fixtures/<rule-id>/:
//   <case>.valid.<ext>                        no finding at all
//   <case>.review.<ext> + <case>.review.json  EVERY finding, as [{ line, column, endLine, endColumn, messageId }]
//                                             (plus `message`, a substring, where one id words many findings,
//                                             and `severity` where it is not the rule's own)
//   <case>.input.<ext> + <case>.output.<ext>  the rule fixes: output must differ, and a second run changes nothing
//   <case>.input.<ext> + <case>.review.json   an input whose remaining findings are listed (fixable rules only)
//   <case>.<kind>.md / .rst                   a document: its code blocks are read in their languages
// Any other file, a case without its pair, or a fixture in a language the rule does not read fails.

export const FIXTURES_DIR = resolve(import.meta.dirname, "../../fixtures");

export interface ExpectedFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  messageId: string;
  /** A substring of the message, for rules whose one message id words many findings. */
  message?: string;
  /** Checked when given: "warning" where the rule reports weaker evidence than its own severity. */
  severity?: "error" | "warning";
}

export interface FixtureCase {
  name: string;
  kind: "valid" | "review" | "input";
  file: string;
  output?: string;
  expected?: ExpectedFinding[];
}

const FIXTURE_NAME = /^(.+?)\.(valid|review|input|output)\.([^/]+)$/;

export function ruleById(id: string): FileRule {
  const rule = FILE_RULES.find((r) => r.meta.id === id);
  assert.ok(rule, `rule ${id} is not registered in src/lint/registry.ts`);
  return rule;
}

/**
 * Reads fixtures/<id>/ and checks the conventions before any case runs. Its subfolders are projects: their
 * lock files and manifests (a Gemfile.lock pinning an old SDK) sit beside their cases and are no cases.
 */
export function loadFixtureCases(rule: FileRule, dir = join(FIXTURES_DIR, rule.meta.id)): FixtureCase[] {
  const all = [dir, ...projectFolders(dir)].flatMap((folder) => casesIn(rule, folder, relative(dir, folder)));
  assert.ok(
    all.some((c) => c.kind === "valid"),
    `${rule.meta.id}: needs at least one .valid case`,
  );
  assert.ok(
    all.some((c) => c.kind !== "valid"),
    `${rule.meta.id}: needs at least one invalid (.review or .input) case`,
  );
  return all;
}

function projectFolders(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export const isManifest = (name: string): boolean =>
  Object.values(MANIFEST_READERS).some((reader) =>
    reader.files.some((file) => (typeof file === "string" ? file === name : file.test(name))),
  );

/** The cases of one folder; `project` (its path below the rule's folder) prefixes their names. */
function casesIn(rule: FileRule, dir: string, project: string): FixtureCase[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !(project && isManifest(entry.name)))
    .map((entry) => entry.name)
    .sort();
  const named = (name: string) => (project ? `${project}/${name}` : name);
  const cases = new Map<string, FixtureCase>();
  const outputs = new Map<string, string>();
  const expectations = new Map<string, string>();
  for (const name of names) {
    const match = FIXTURE_NAME.exec(name);
    assert.ok(
      match,
      `${rule.meta.id}: fixture "${named(name)}" does not follow <case>.(valid|review|input|output).<ext>`,
    );
    const [, caseName, kind, ext] = match as unknown as [string, string, FixtureCase["kind"] | "output", string];
    if (kind === "review" && ext === "json") {
      expectations.set(caseName, name);
      continue;
    }
    if (kind === "output") {
      outputs.set(caseName, name);
      continue;
    }
    // Valid cases pair with nothing, so one name may serve several languages.
    const key = kind === "valid" ? name : `${caseName}.${kind}`;
    assert.ok(!cases.has(key), `${rule.meta.id}: case "${key}" has two files; name them apart`);
    // A name that tells no language is typed by its text, as lint types it; documents and notebooks are read
    // by every rule, through their code blocks and cells.
    const language = languageOf(name) ?? languageOfText(readFileSync(join(dir, name), "utf8"));
    assert.ok(
      holdsOtherLanguages(language) || rule.languages.includes(language),
      `${rule.meta.id}: fixture "${named(name)}" is in a language the rule does not read (${language})`,
    );
    cases.set(key, { name: named(kind === "valid" ? name : caseName), kind, file: join(dir, name) });
  }
  for (const [caseName, output] of outputs) {
    const fixtureCase = cases.get(`${caseName}.input`);
    assert.ok(fixtureCase, `${rule.meta.id}: "${output}" has no matching .input file`);
    assert.ok(rule.meta.fixable, `${rule.meta.id}: "${output}" states a fix but the rule is not fixable`);
    fixtureCase.output = join(dir, output);
  }
  for (const [caseName, file] of expectations) {
    const fixtureCase = cases.get(`${caseName}.review`) ?? cases.get(`${caseName}.input`);
    assert.ok(fixtureCase, `${rule.meta.id}: "${file}" has no matching .review or .input file`);
    fixtureCase.expected = parseExpectations(join(dir, file));
  }
  for (const c of cases.values()) {
    if (c.kind === "review")
      assert.ok(
        c.expected,
        `${rule.meta.id}: review case "${c.name}" needs ${c.name}.review.json listing every finding`,
      );
    if (c.kind === "input")
      assert.ok(
        c.output || c.expected,
        `${rule.meta.id}: input case "${c.name}" needs an .output file (or a .review.json)`,
      );
    if (c.kind === "input")
      assert.ok(rule.meta.fixable, `${rule.meta.id}: input case "${c.name}" but the rule does not fix; use .review`);
  }
  return [...cases.values()];
}

function parseExpectations(path: string): ExpectedFinding[] {
  const data = JSON.parse(readFileSync(path, "utf8")) as unknown;
  assert.ok(
    Array.isArray(data) && data.length > 0,
    `${path}: must be a non-empty array of { line, column, endLine, endColumn, messageId }`,
  );
  for (const e of data as ExpectedFinding[]) {
    const positions = [e.line, e.column, e.endLine, e.endColumn].every((n) => Number.isInteger(n) && n >= 1);
    const words =
      typeof e.messageId === "string" &&
      e.messageId !== "" &&
      (e.message === undefined || (typeof e.message === "string" && e.message !== "")) &&
      (e.severity === undefined || e.severity === "error" || e.severity === "warning");
    assert.ok(positions && words, `${path}: bad entry ${JSON.stringify(e)}`);
  }
  return data as ExpectedFinding[];
}

export async function lintWithRule(
  rule: FileRule,
  path: string,
  options: { fix?: boolean; ports?: number[] } = {},
): Promise<EngineResult> {
  // Shown relative to the fixtures, as a repository's files are: where the checkout lives says nothing.
  const displayPath = relative(FIXTURES_DIR, path).startsWith("..") ? basename(path) : relative(FIXTURES_DIR, path);
  return lintFiles([{ path, displayPath, explicit: true }], {
    rules: [{ rule, severity: rule.meta.severity }],
    ports: extensionPorts(options.ports ?? []),
    fix: options.fix ?? false,
    knownRuleIds: FILE_RULES.map((r) => r.meta.id),
    analysis: CODEMOD_ANALYSIS,
  });
}

/** The JS/TS analysis the command line hands lint. */
export const CODEMOD_ANALYSIS = { module: new URL("../../src/codemod/analyze.js", import.meta.url) };
