import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeSource } from "../../src/codemod/analyze.js";
import { codemodPrefilter } from "../../rules/support/extension-call-prefilter.js";
import { fixUntilStable } from "../../src/core/fix.js";
import { createPrefilter } from "../../src/pipeline/prefilter.js";
import { decodeText, stampOf } from "../../src/files/text-file.js";
import { DEFAULT_API_VERSION, extensionPorts } from "../../src/imds.js";

// Every fixture of fixtures/no-extension-endpoint: pairs byte for byte (and a second run changes nothing),
// valid files untouched and unflagged, review files reported exactly as their .review.json lists.

const DIR = fileURLToPath(new URL("../../fixtures/no-extension-endpoint", import.meta.url));
const NAME = /^(.+)\.(input|output|valid|review)\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
// Folders hold projects with their own package.json or lock file: the old SDKs are judged by the version those
// pin (legacy-sdk/). The runtime proofs run the top-level pairs only; the old SDKs are not installed here.
const names = (readdirSync(DIR, { recursive: true }) as string[]).map((n) => n.split(sep).join("/")).sort();

/** The ports fix and lint check by default. */
const PORTS = extensionPorts();

function read(name: string) {
  const bytes = readFileSync(join(DIR, name));
  const decoded = decodeText(bytes, stampOf(statSync(join(DIR, name))));
  if (!decoded.ok) throw new Error(`${name}: ${decoded.reason}`);
  return { bytes, ...decoded.file };
}

function analyzer(name: string) {
  return (text: string) =>
    analyzeSource({
      path: join(DIR, name),
      displayPath: name,
      text,
      ports: PORTS,
      apiVersion: DEFAULT_API_VERSION,
    });
}

function encode(original: { bom: boolean }, text: string): Buffer {
  const body = Buffer.from(text, "utf8");
  return original.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

const cases = names.map((n) => NAME.exec(n)).filter((m): m is RegExpExecArray => m !== null);
const inputs = cases.filter((m) => m[2] === "input");

test("the fixture folder holds pairs, valid and review cases", () => {
  assert.ok(inputs.length >= 20, `only ${inputs.length} pairs`);
  assert.ok(cases.some((m) => m[2] === "valid"));
  assert.ok(cases.some((m) => m[2] === "review"));
  for (const m of cases.filter((c) => c[2] === "review")) {
    assert.ok(names.includes(`${m[1]}.review.json`), `${m[0]} has no .review.json`);
  }
});

for (const m of inputs) {
  const [input, stem, , ext] = m;
  test(`pair ${input}`, () => {
    const output = `${stem}.output.${ext}`;
    assert.ok(names.includes(output), `${output} is missing`);
    const source = read(input);
    const expected = readFileSync(join(DIR, output));
    const analyze = analyzer(input);
    assert.ok(createPrefilter(codemodPrefilter(PORTS))(source.bytes), "the prefilter missed the file");
    const first = analyze(source.text);
    assert.equal(first.parseErrors, 0);
    assert.ok(
      first.findings.length > 0 && first.findings.every((f) => f.fix && f.fix.length > 0),
      "every finding carries a fix",
    );
    const fixed = fixUntilStable(source.text, analyze);
    assert.equal(fixed.rejected, undefined);
    assert.equal(encode(source, fixed.text).toString("utf8"), expected.toString("utf8"));
    assert.ok(encode(source, fixed.text).equals(expected), "byte-exact output");

    // Second run: the output is final.
    const again = analyze(fixed.text);
    assert.deepEqual(again.findings, [], "the output is flagged again");
    assert.equal(fixUntilStable(fixed.text, analyze).text, fixed.text);
  });
}

for (const m of cases.filter((c) => c[2] === "valid")) {
  test(`valid ${m[0]}`, () => {
    const source = read(m[0]);
    const analyze = analyzer(m[0]);
    const analysis = analyze(source.text);
    assert.equal(analysis.parseErrors, 0);
    assert.deepEqual(
      analysis.findings.map((f) => f.message),
      [],
    );
    assert.equal(fixUntilStable(source.text, analyze).text, source.text);
  });
}

for (const m of cases.filter((c) => c[2] === "review")) {
  test(`review ${m[0]}`, () => {
    const source = read(m[0]);
    const analyze = analyzer(m[0]);
    const expected = JSON.parse(readFileSync(join(DIR, `${m[1]}.review.json`), "utf8")) as {
      line: number;
      column: number;
      message: string;
    }[];
    assert.ok(createPrefilter(codemodPrefilter(PORTS))(source.bytes), "the prefilter missed the file");
    const analysis = analyze(source.text);
    assert.equal(analysis.parseErrors, 0);
    const found = analysis.findings.map((f) => {
      assert.equal(f.fix, undefined, "a review case carries no fix");
      assert.equal(f.ruleId, "no-extension-endpoint");
      const at = "file" in f.location ? f.location.file : undefined;
      return { line: at?.line, column: at?.column, message: f.message };
    });
    assert.equal(found.length, expected.length, JSON.stringify(found, null, 2));
    expected.forEach((want, i) => {
      assert.equal(found[i]!.line, want.line);
      assert.equal(found[i]!.column, want.column);
      assert.ok(found[i]!.message.includes(want.message), `"${found[i]!.message}" lacks "${want.message}"`);
    });
    assert.equal(fixUntilStable(source.text, analyze).text, source.text);
  });
}
