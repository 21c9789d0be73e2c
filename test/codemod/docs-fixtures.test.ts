import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { analyzeSource } from "../../src/codemod/analyze.js";
import { analyzeMarkdown, type BlockAnalyzer } from "../../src/codemod/docs/analyze.js";
import { onDocumentLines, rewritableBlocks } from "../../src/codemod/docs/blocks.js";
import { analyzeScript, loadScriptParser, type ScriptTrees } from "../../src/codemod/scripts/analyze.js";
import { isFileFinding } from "../../src/core/finding.js";
import { fixUntilStable } from "../../src/core/fix.js";
import type { Language } from "../../src/core/language.js";
import { DEFAULT_API_VERSION, EXTENSION_DEFAULT_PORT } from "../../src/imds.js";

// fix --docs: Markdown documents whose fenced code blocks are rewritten as files of their language. Pairs
// byte for byte (a second run changes nothing, leaving what <name>.output.json lists), review documents
// reported as their .review.json lists and left as they are.

const DIR = fileURLToPath(new URL("../../fixtures/fix-docs/", import.meta.url));
const names = readdirSync(DIR).sort();

interface Expected {
  line: number;
  column: number;
  message: string;
}

describe("fix --docs fixtures", () => {
  const parsers = new Map<Language, (text: string) => ScriptTrees>();
  before(async () => {
    for (const language of ["python", "shell", "powershell"] as const)
      parsers.set(language, await loadScriptParser(language));
  });
  const analyzeBlock: BlockAnalyzer = (language, input) =>
    language === "javascript" || language === "typescript"
      ? analyzeSource(input)
      : analyzeScript(input, parsers.get(language)!(input.text));
  const analyzer = (name: string) => (text: string) =>
    analyzeMarkdown(
      {
        path: join(DIR, name),
        displayPath: name,
        text,
        ports: [EXTENSION_DEFAULT_PORT],
        apiVersion: DEFAULT_API_VERSION,
      },
      analyzeBlock,
    );
  const expected = (name: string): Expected[] =>
    existsSync(join(DIR, name)) ? (JSON.parse(readFileSync(join(DIR, name), "utf8")) as Expected[]) : [];
  const check = (found: ReturnType<ReturnType<typeof analyzer>>["findings"], want: Expected[]) => {
    const seen = found.map((f) => ({ at: isFileFinding(f) ? [f.location.file.line, f.location.file.column] : [], f }));
    assert.equal(seen.length, want.length, JSON.stringify(found, null, 2));
    want.forEach((w, i) => {
      assert.deepEqual(seen[i]!.at, [w.line, w.column], seen[i]!.f.message);
      assert.equal(seen[i]!.f.fix, undefined);
      assert.ok(seen[i]!.f.message.includes(w.message), seen[i]!.f.message);
    });
  };

  it("reads each code block as a file of its language, its indentation removed; on the document's lines if asked", () => {
    const blocks = rewritableBlocks(
      "1. step\n\n   ```bash\n   curl x\n     -s\n   ```\n\n~~~ python title\nprint(1)\n~~~\n```\nplain\n```\n",
      false,
    );
    assert.deepEqual(
      blocks.map((b) => [b.language, b.text, b.indent]),
      [
        ["shell", "curl x\n  -s\n", 3],
        ["python", "print(1)\n", 0],
        ["text", "plain\n", 0],
      ],
    );
    assert.equal(onDocumentLines(blocks[1]!).text, `${"\n".repeat(8)}print(1)\n`);
  });

  for (const input of names.filter((n) => n.endsWith(".input.md"))) {
    it(`pair ${input}`, () => {
      const text = readFileSync(join(DIR, input), "utf8");
      const analyze = analyzer(input);
      const first = analyze(text);
      assert.ok(first.findings.some((f) => f.fix));
      const fixed = fixUntilStable(text, analyze, first);
      assert.equal(fixed.rejected, undefined);
      assert.equal(fixed.text, readFileSync(join(DIR, input.replace(".input.", ".output.")), "utf8"));
      check(analyze(fixed.text).findings, expected(input.replace(".input.md", ".output.json")));
      assert.equal(fixUntilStable(fixed.text, analyze).text, fixed.text);
    });
  }

  for (const input of names.filter((n) => n.endsWith(".review.md"))) {
    it(`review ${input}`, () => {
      const text = readFileSync(join(DIR, input), "utf8");
      const analyze = analyzer(input);
      check(analyze(text).findings, expected(input.replace(".md", ".json")));
      assert.equal(fixUntilStable(text, analyze).text, text);
    });
  }
});
