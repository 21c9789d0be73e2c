import assert from "node:assert/strict";
import { test } from "node:test";
import type { FileFinding } from "../../src/core/finding.js";
import type { FixFileReport, FixSummary } from "../../src/core/report.js";
import { fixJsonRenderer, fixTextRenderer, reviewItem, type FixRenderer } from "../../src/formatters/fix-report.js";

// fix prints as the files come: what it prints must be what one print at the end would have been.

const REVIEW: FileFinding = {
  ruleId: "no-extension-endpoint",
  severity: "error",
  messageId: "review",
  message: "a port\tfrom config",
  location: { file: { path: "src/c.ts", line: 3, column: 7, endLine: 3, endColumn: 30 } },
  fix: [{ start: 0, end: 1, text: "x" }],
  fingerprint: "0123456789abcdef0123456789abcdef",
};

const FILES: FixFileReport[] = [
  {
    path: "src/a.ts",
    status: "changed",
    review: [],
    before: "fetch('http://localhost:50342/oauth2/token')\n",
    after: "fetch('http://169.254.169.254/metadata/identity/oauth2/token')\n",
    notes: ["URL also appears in a log line (line 2): it now names the IMDS URL"],
  },
  { path: 'src/b "quoted".ts', status: "skipped", reason: "does not parse (1 syntax error(s))", review: [] },
  { path: "src/c.ts", status: "unchanged", review: [REVIEW] },
  { path: 'src/d "q" \\ é\u2028.ts', status: "unchanged", review: [] },
];

function summarize(files: readonly FixFileReport[]): FixSummary {
  const count = (status: FixFileReport["status"]) => files.filter((f) => f.status === status).length;
  return {
    changed: count("changed"),
    unchanged: count("unchanged"),
    skipped: count("skipped"),
    errors: count("error"),
    review: files.reduce((n, f) => n + f.review.length, 0),
  };
}

function render(renderer: FixRenderer, files: readonly FixFileReport[], elapsedMs = 12): string[] {
  return [renderer.start(), ...files.map((f) => renderer.file(f)), renderer.end(summarize(files), elapsedMs)];
}

test("the streamed JSON is byte for byte JSON.stringify of the whole report, for none, one and several files", () => {
  for (const files of [[], FILES.slice(0, 1), FILES]) {
    const text = render(fixJsonRenderer(), files).join("");
    const entries = files.map(({ path, status, reason, notes, review }) => ({
      path,
      status,
      ...(reason ? { reason } : {}),
      ...(notes ? { notes } : {}),
      review: review.map(reviewItem),
    }));
    assert.equal(text, `${JSON.stringify({ files: entries, summary: summarize(files) }, null, 2)}\n`);
  }
});

test("a review item carries the finding's range, rule and fingerprint; an unfixed fix says so", () => {
  assert.deepEqual(reviewItem(REVIEW), {
    line: 3,
    column: 7,
    endLine: 3,
    endColumn: 30,
    ruleId: "no-extension-endpoint",
    severity: "error",
    message: "left unfixed: a port\tfrom config",
    fingerprint: REVIEW.fingerprint,
  });
});

test("a diff is rendered when its file is done, the review list and summary at the end", () => {
  const [start, a, b, c, d, end] = render(fixTextRenderer({ color: false, written: false }), FILES, 5);
  assert.equal(start, "");
  assert.match(a!, /^--- a\/src\/a\.ts\n\+\+\+ b\/src\/a\.ts\n@@/, "the diff is out with its file");
  assert.match(a!, /\nnote: URL also appears in a log line \(line 2\): it now names the IMDS URL\n$/, "notes under it");
  assert.deepEqual([b, c, d], ["", "", ""]);
  assert.match(
    end!,
    new RegExp(
      [
        String.raw`^Needs review: 1 item in 1 file\n {2}src\/c\.ts \(1 item\)\n {4}src\/c\.ts:3:7 {2}left unfixed: a port\tfrom config\n\n`,
        String.raw`skipped src\/b "quoted"\.ts: does not parse`,
      ].join(""),
    ),
  );
  assert.match(
    end!,
    new RegExp(
      [
        String.raw`\n1 to change, 2 unchanged, 1 skipped, 0 error\(s\), 1 need review \(5 ms\) — `,
        String.raw`dry run, nothing written; add --write to apply\n$`,
      ].join(""),
    ),
  );
});

test("findings with one message read as one item per file, with their lines; the summary counts items", () => {
  const at = (line: number): FileFinding => ({
    ...REVIEW,
    fix: undefined,
    message: "new MSIVmTokenCredentials(): move to ManagedIdentityCredential",
    location: { file: { path: "test/creds.test.js", line, column: 17, endLine: line, endColumn: 60 } },
  });
  const other = { ...at(2), message: "another reason" };
  const file: FixFileReport = {
    path: "test/creds.test.js",
    status: "unchanged",
    review: [at(5), other, at(9), at(13)],
  };
  const [, , end] = render(fixTextRenderer({ color: false, written: true }), [file]);
  assert.equal(
    end!.split("\n").slice(0, 4).join("\n"),
    [
      "Needs review: 2 items in 1 file",
      "  test/creds.test.js (2 items)",
      "    test/creds.test.js:5:17  ×3 (lines 5, 9, 13)  new MSIVmTokenCredentials(): move to ManagedIdentityCredential",
      "    test/creds.test.js:2:17  another reason",
    ].join("\n"),
  );
  assert.match(end!, /0 error\(s\), 2 need review/);
});
