import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonReporter, textReporter, type FileReport } from "../../src/formatters/fix-report.js";

// fix prints as the files come: what it prints must be what one print at the end would have been.

const FILES: FileReport[] = [
  { path: "src/a.ts", status: "changed", review: [], before: "fetch('http://localhost:50342/oauth2/token')\n", after: "fetch('http://169.254.169.254/metadata/identity/oauth2/token')\n" },
  { path: "src/b \"quoted\".ts", status: "skipped", reason: "does not parse (1 syntax error(s))", review: [] },
  { path: "src/c.ts", status: "unchanged", review: [{ line: 3, column: 7, message: "left unfixed: a port\tfrom config" }] },
  { path: "src/d \"q\" \\ é\u2028.ts", status: "unchanged", review: [] },
];

function collect(): { write: (text: string) => void; chunks: string[] } {
  const chunks: string[] = [];
  return { write: (text) => chunks.push(text), chunks };
}

test("the streamed JSON is byte for byte JSON.stringify of the whole report, for none, one and several files", () => {
  for (const files of [[], FILES.slice(0, 1), FILES]) {
    const out = collect();
    const reporter = jsonReporter(out.write);
    for (const file of files) reporter.add(file);
    const summary = reporter.finish(12);
    const entries = files.map(({ path, status, reason, review }) => ({ path, status, ...(reason ? { reason } : {}), review }));
    assert.equal(out.chunks.join(""), `${JSON.stringify({ files: entries, summary }, null, 2)}\n`);
    assert.deepEqual(JSON.parse(out.chunks.join("")).summary, summary);
  }
});

test("a diff is printed when its file is done, the review list and summary at the end", () => {
  const out = collect();
  const reporter = textReporter(out.write, { color: false, written: false });
  reporter.add(FILES[0]!);
  assert.match(out.chunks.join(""), /^--- a\/src\/a\.ts\n\+\+\+ b\/src\/a\.ts\n@@/, "the diff is out before the next file");
  reporter.add(FILES[1]!);
  reporter.add(FILES[2]!);
  const summary = reporter.finish(5);
  assert.deepEqual(summary, { changed: 1, unchanged: 1, skipped: 1, errors: 0, review: 1 });
  const text = out.chunks.join("");
  assert.match(text, /\nNeeds review:\n {2}src\/c\.ts:3:7 {2}left unfixed: a port\tfrom config\n\nskipped src\/b "quoted"\.ts: does not parse/);
  assert.match(text, /\n1 to change, 1 unchanged, 1 skipped, 0 error\(s\), 1 need review \(5 ms\) — dry run, nothing written; add --write to apply\n$/);
});
