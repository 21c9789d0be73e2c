import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Finding, isFileFinding } from "../../src/core/finding.js";
import { fixUntilStable } from "../../src/core/fix.js";
import { languageOf, REWRITTEN_SCRIPT_LANGUAGES, type Language } from "../../src/core/language.js";
import {
  analyzeScript,
  isScriptLanguage,
  loadScriptParser,
  SCRIPT_RULE_ID,
  type ScriptTrees,
} from "../../src/codemod/scripts/analyze.js";
import { AZ_LOGIN_RULE_ID } from "../../src/codemod/scripts/az-login.js";
import { scriptPrefilter } from "../../src/codemod/scripts/prefilter.js";
import { decodeText, stampOf } from "../../src/files/text-file.js";
import { DEFAULT_API_VERSION, EXTENSION_DEFAULT_PORT } from "../../src/imds.js";
import { createPrefilter } from "../../src/pipeline/prefilter.js";

// Every fixture of fix for Python, shell and PowerShell: pairs byte for byte (and a second run changes
// nothing, leaving only what <name>.output.json lists for a person), valid files untouched and unflagged,
// review files reported exactly as their .review.json lists and left as they are.

const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));
/** Each folder's language, the rule its rewrites are reported under, and whether it has cases for a person. */
const FOLDERS: Record<string, { language: Language; ruleId: string; review: boolean }> = {
  "fix-python": { language: "python", ruleId: SCRIPT_RULE_ID, review: true },
  "fix-shell": { language: "shell", ruleId: SCRIPT_RULE_ID, review: true },
  "fix-powershell": { language: "powershell", ruleId: SCRIPT_RULE_ID, review: true },
  // az login --msi is always rewritten: nothing is left for a person.
  "fix-az-login": { language: "shell", ruleId: AZ_LOGIN_RULE_ID, review: false },
};
const NAME = /^(.+)\.(input|output|valid|review)\.(py|sh|bash|ps1|psm1)$/;

it("core's list of rewritten scripts is the codemod's (lint's summary counts by it)", () => {
  const every = { javascript: 0, typescript: 0, python: 0, csharp: 0, java: 0, go: 0, ruby: 0, powershell: 0 };
  const more = {
    shell: 0,
    yaml: 0,
    dockerfile: 0,
    json: 0,
    bicep: 0,
    terraform: 0,
    php: 0,
    docs: 0,
    notebook: 0,
    text: 0,
  };
  const languages = Object.keys({ ...every, ...more } satisfies Record<Language, number>) as Language[];
  assert.deepEqual(languages.filter(isScriptLanguage).sort(), [...REWRITTEN_SCRIPT_LANGUAGES].sort());
});

interface Expected {
  line: number;
  column: number;
  message: string;
}

function encode(original: { bom: boolean }, text: string): Buffer {
  const body = Buffer.from(text, "utf8");
  return original.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

function assertFindings(found: readonly Finding[], expected: Expected[]): void {
  const seen = found.map((f) => {
    assert.equal(f.fix, undefined, "a case for a person carries no fix");
    const at = isFileFinding(f) ? f.location.file : undefined;
    return { line: at?.line, column: at?.column, message: f.message };
  });
  assert.equal(seen.length, expected.length, JSON.stringify(seen, null, 2));
  expected.forEach((want, i) => {
    assert.deepEqual([seen[i]!.line, seen[i]!.column], [want.line, want.column], JSON.stringify(seen[i]));
    assert.ok(seen[i]!.message.includes(want.message), `"${seen[i]!.message}" lacks "${want.message}"`);
  });
}

for (const [folder, { language, ruleId, review }] of Object.entries(FOLDERS)) {
  describe(`fix's ${folder} fixtures`, () => {
    const dir = join(FIXTURES, folder);
    const names = readdirSync(dir).sort();
    const cases = names.map((n) => NAME.exec(n)).filter((m): m is RegExpExecArray => m !== null);
    let parse: (text: string) => ScriptTrees;
    before(async () => {
      parse = await loadScriptParser(language);
    });
    const read = (name: string) => {
      const bytes = readFileSync(join(dir, name));
      const decoded = decodeText(bytes, stampOf(statSync(join(dir, name))));
      if (!decoded.ok) throw new Error(`${name}: ${decoded.reason}`);
      assert.equal(languageOf(name), language);
      return { bytes, ...decoded.file };
    };
    const analyzer = (name: string) => (text: string) =>
      analyzeScript(
        {
          path: join(dir, name),
          displayPath: name,
          text,
          ports: [EXTENSION_DEFAULT_PORT],
          apiVersion: DEFAULT_API_VERSION,
        },
        parse(text),
      );
    const prefilter = createPrefilter(scriptPrefilter([EXTENSION_DEFAULT_PORT]));
    const expected = (name: string): Expected[] =>
      existsSync(join(dir, name)) ? (JSON.parse(readFileSync(join(dir, name), "utf8")) as Expected[]) : [];

    it("holds pairs, valid and review cases", () => {
      assert.ok(cases.filter((m) => m[2] === "input").length >= (review ? 4 : 1));
      assert.ok(cases.some((m) => m[2] === "valid"));
      assert.equal(
        cases.some((m) => m[2] === "review"),
        review,
      );
    });

    for (const [input, stem, kind, extension] of cases) {
      if (kind === "input") {
        it(`pair ${input}`, () => {
          const source = read(input);
          const analyze = analyzer(input);
          assert.ok(prefilter(source.bytes), "the prefilter missed the file");
          const first = analyze(source.text);
          assert.equal(first.parseErrors, 0);
          assert.ok(first.findings.length > 0 && first.findings.every((f) => f.fix && f.fix.length > 0));
          assert.ok(first.findings.every((f) => f.ruleId === ruleId));
          const fixed = fixUntilStable(source.text, analyze);
          assert.equal(fixed.rejected, undefined);
          const want = readFileSync(join(dir, `${stem}.output.${extension}`));
          assert.equal(encode(source, fixed.text).toString("utf8"), want.toString("utf8"));
          assert.ok(encode(source, fixed.text).equals(want), "byte-exact output");
          // Second run: nothing left to fix, only what a person must see.
          const again = analyze(fixed.text);
          assert.equal(again.parseErrors, 0);
          assertFindings(again.findings, expected(`${stem}.output.json`));
          assert.equal(fixUntilStable(fixed.text, analyze).text, fixed.text);
        });
      } else if (kind === "valid") {
        it(`valid ${input}`, () => {
          const source = read(input);
          const analysis = analyzer(input)(source.text);
          assert.equal(analysis.parseErrors, 0);
          assert.deepEqual(
            analysis.findings.map((f) => f.message),
            [],
          );
          assert.equal(fixUntilStable(source.text, analyzer(input)).text, source.text);
        });
      } else if (kind === "review") {
        it(`review ${input}`, () => {
          const source = read(input);
          const analyze = analyzer(input);
          assert.ok(prefilter(source.bytes), "the prefilter missed the file");
          const analysis = analyze(source.text);
          assert.equal(analysis.parseErrors, 0);
          assertFindings(analysis.findings, expected(`${stem}.review.json`));
          assert.equal(fixUntilStable(source.text, analyze).text, source.text);
        });
      }
    }
  });
}
