import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrefilter } from "../../src/pipeline/prefilter.js";
import { standaloneNumber } from "../../src/core/patterns.js";
import { screenFiles, type PatternSet, type ScreenChannel } from "../../src/pipeline/screen.js";
import {
  allocateScreenMemory,
  BATCH_FILES,
  CLAIMED,
  CLEAR,
  DONE,
  FREE,
  phaseOf,
  QUEUED,
  READY,
  SLOTS,
  slotState,
  stateIndex,
  type ScreenRequest,
} from "../../src/pipeline/screen-protocol.js";
import { screeningService } from "../../src/pipeline/screen-service.js";
import { readCandidate } from "../../src/files/text-file.js";

// Screening marks a file clear only where reading it and running the prefilter found nothing, in walk
// order, whatever the second thread does: answers, never begins, stops half way. The real thread is run
// from the build (Node 20 runs no tsx hooks in a worker).

const PATTERNS = [new RegExp(standaloneNumber(50342)), /oauth2\/token/i];
const SET: PatternSet = { patterns: PATTERNS, prefilter: createPrefilter(PATTERNS) };
const MAX_BYTES = 4096;

interface File {
  path: string;
}

/** A tree of `count` files, every kind screening must tell apart, in several folders; paths in walk order. */
function tree(count: number): { root: string; files: File[] } {
  const root = mkdtempSync(join(tmpdir(), "msi2imds-screen-"));
  const kinds: [string, string | Buffer][] = [
    ["plain.ts", "export const a = 1;\n"],
    ["port.js", "const port = 50342;\n"],
    ["longer-number.js", "const id = 503421;\n"],
    ["path.py", 'URL = "http://localhost:1/OAuth2/Token"\n'],
    [
      "utf16.ps1",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("$u = 'http://localhost:50342/oauth2/token'", "utf16le")]),
    ],
    ["binary.bin", Buffer.from([0x00, 0x35, 0x30, 0x33, 0x34, 0x32, 0x00])],
    ["large.js", `// ${"x".repeat(MAX_BYTES)}\n`],
    ["notes.md", "50342\n"],
  ];
  const files: File[] = [];
  for (let i = 0; i < count; i++) {
    // Each kind in turn at first, then mixed, so that no two batches look alike.
    const [name, content] = kinds[i < kinds.length ? i : (Math.imul(i, 2654435761) >>> 13) % kinds.length]!;
    const dir = join(root, `d${String(Math.floor(i / 100)).padStart(3, "0")}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${String(i).padStart(5, "0")}-${name}`);
    writeFileSync(path, content);
    files.push({ path });
  }
  return { root, files };
}

/** Markdown is not read at all: no patterns. */
const screenWith = (file: File) => (file.path.endsWith(".md") ? undefined : SET);

function expectedVerdicts(files: File[]): boolean[] {
  return files.map(
    (file) => screenWith(file) !== undefined && readCandidate(file.path, SET.prefilter, MAX_BYTES).kind === "no-match",
  );
}

/** A second thread as the main thread sees it, whose behaviour the test decides. */
function fakeChannel(
  onPost: (request: ScreenRequest, channel: ScreenChannel) => void,
): ScreenChannel & { posted: ScreenRequest[] } {
  const memory = allocateScreenMemory();
  Atomics.store(memory.control, READY, 1);
  const posted: ScreenRequest[] = [];
  const channel = {
    ...memory,
    posted,
    post: (request: ScreenRequest) => {
      posted.push(request);
      onPost(request, channel);
    },
  };
  return channel;
}

test("without a thread, a file is clear exactly when reading it finds nothing, in the order given", (t) => {
  const { root, files } = tree(3 * BATCH_FILES + 5);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const screened = [...screenFiles(files, screenWith, { maxFileBytes: MAX_BYTES })];
  assert.deepEqual(
    screened.map((s) => s.file),
    files,
  );
  const verdicts = screened.map((s) => s.clear);
  assert.deepEqual(verdicts, expectedVerdicts(files));
  // Each kind once: plain, longer number clear; the port, the path in any case, UTF-16, binary, too large and
  // markdown not.
  assert.deepEqual(verdicts.slice(0, 8), [true, false, true, false, false, false, false, false]);
});

test("batches a thread never begins are taken back and screened by the main thread", (t) => {
  const { root, files } = tree(6 * BATCH_FILES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const channel = fakeChannel(() => undefined);
  const screened = [...screenFiles(files, screenWith, { maxFileBytes: MAX_BYTES, channel: () => channel })];
  assert.ok(channel.posted.length >= 2, "batches were sent");
  assert.deepEqual(
    screened.map((s) => s.file),
    files,
  );
  assert.deepEqual(
    screened.map((s) => s.clear),
    expectedVerdicts(files),
  );
  const states = Array.from({ length: SLOTS }, (_, slot) => phaseOf(Atomics.load(channel.control, stateIndex(slot))));
  assert.deepEqual(states, Array(SLOTS).fill(FREE), "every batch sent was taken back, none waited out");
  // A set of patterns crosses once, with the first batch that needs it.
  assert.equal(channel.posted.filter((r) => r.newSets.length > 0).length, 1);
});

test("a batch the thread finished is taken from its verdicts, not screened again", (t) => {
  const { root, files } = tree(6 * BATCH_FILES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  // A thread that answers at once and calls every file clear, the port and the UTF-16 file too.
  const channel = fakeChannel((request, { control, verdicts }) => {
    const queued = slotState(request.ticket, QUEUED);
    assert.equal(
      Atomics.compareExchange(control, stateIndex(request.slot), queued, slotState(request.ticket, CLAIMED)),
      queued,
    );
    verdicts.fill(CLEAR, request.slot * BATCH_FILES, (request.slot + 1) * BATCH_FILES);
    Atomics.store(control, stateIndex(request.slot), slotState(request.ticket, DONE));
  });
  const screened = [...screenFiles(files, screenWith, { maxFileBytes: MAX_BYTES, channel: () => channel })];
  assert.deepEqual(
    screened.map((s) => s.file),
    files,
  );
  const sent = new Set(channel.posted.flatMap((r) => r.paths));
  assert.ok(sent.size > 0);
  const expected = expectedVerdicts(files);
  for (const [i, { file, clear }] of screened.entries())
    assert.equal(clear, sent.has(file.path) || expected[i], file.path);
});

test(
  "a request that reaches the thread after its batch was taken back claims nothing, " + "even in a slot used again",
  (t) => {
    const { root, files } = tree(48 * BATCH_FILES);
    t.after(() => rmSync(root, { recursive: true, force: true }));
    // The real service, always more messages behind the main thread than it may have outstanding, as a busy
    // thread is: most batches are taken back, and their slots sent again, before their requests arrive.
    const memory = allocateScreenMemory();
    const service = screeningService(memory, MAX_BYTES);
    const inbox: ScreenRequest[] = [];
    let served = 0;
    const channel: ScreenChannel = {
      ...memory,
      post(request) {
        inbox.push(structuredClone(request));
        if (inbox.length > SLOTS / 2) {
          service.serve(inbox.shift()!);
          served++;
        }
      },
    };
    const screened = [...screenFiles(files, screenWith, { maxFileBytes: MAX_BYTES, channel: () => channel })];
    assert.ok(served > 10, `${served} requests served`);
    assert.deepEqual(
      screened.map((s) => s.file),
      files,
    );
    assert.deepEqual(
      screened.map((s) => s.clear),
      expectedVerdicts(files),
    );
  },
);

test("a thread that stops half way through a batch is given up on; the main thread screens the rest", (t) => {
  const { root, files } = tree(8 * BATCH_FILES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const channel = fakeChannel((request, { control }) => {
    // Claimed, and never finished.
    Atomics.compareExchange(
      control,
      stateIndex(request.slot),
      slotState(request.ticket, QUEUED),
      slotState(request.ticket, CLAIMED),
    );
  });
  const started = performance.now();
  const screened = [
    ...screenFiles(files, screenWith, { maxFileBytes: MAX_BYTES, channel: () => channel, stallMs: 100 }),
  ];
  assert.deepEqual(
    screened.map((s) => s.file),
    files,
  );
  assert.deepEqual(
    screened.map((s) => s.clear),
    expectedVerdicts(files),
  );
  assert.ok(
    channel.posted.length < files.length / BATCH_FILES,
    `${channel.posted.length} batches sent and lost; the others screened here`,
  );
  assert.ok(performance.now() - started >= 100, "waited for the thread before giving up on it");
});

test("a loop that stops early ends the screening", (t) => {
  const { root, files } = tree(16 * BATCH_FILES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  let read = 0;
  let closed = false;
  const counting = (function* () {
    try {
      for (const file of files) {
        read++;
        yield file;
      }
    } finally {
      closed = true;
    }
  })();
  for (const { file } of screenFiles(counting, screenWith, { maxFileBytes: MAX_BYTES })) {
    if (file === files[10]) break;
  }
  assert.ok(read < files.length, `the walk stopped (${read} of ${files.length} taken)`);
  assert.ok(closed, "and was closed");
});

test("the built second thread screens a share of a large tree and agrees with the main thread", (t) => {
  const { root, files } = tree(40 * BATCH_FILES);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dist = (module: string) => JSON.stringify(new URL(`../../dist/src/${module}.js`, import.meta.url).href);
  const script =
    `
    const { screenFiles } = await import(${dist("pipeline/screen")});
    const { SecondThread } = await import(${dist("pipeline/second-thread")});
    const { PROGRESS } = await import(${dist("pipeline/screen-protocol")});
    const { readFileSync } = await import("node:fs");
    const files = JSON.parse(readFileSync(0, "utf8"));
    const { createPrefilter } = await import(${dist("pipeline/prefilter")});
    const patterns = [new RegExp(${JSON.stringify(PATTERNS[0]!.source)}), /oauth2\\/token/i];
    const set = { patterns, prefilter: createPrefilter(patterns) };
    const thread = SecondThread.start(${MAX_BYTES}, new URL(${dist("codemod/analyze")}));
    // Screening starts once the thread is up, as it does from the walk's start on a large tree.
    while (Atomics.load(thread.screening.control, 0) !== 1) await new Promise((r) => setTimeout(r, 5));
    const screened = [...screenFiles(files, (f) => (f.path.endsWith(".md") ? undefined : set), ` +
    `{ maxFileBytes: ${MAX_BYTES}, channel: () => thread.screening })];
    await thread.close();
    process.stdout.write(JSON.stringify({ order: screened.map((s) => s.file.path), ` +
    `clear: screened.map((s) => s.clear), ` +
    `byThread: Atomics.load(thread.screening.control, PROGRESS) }));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    input: JSON.stringify(files),
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout) as { order: string[]; clear: boolean[]; byThread: number };
  assert.deepEqual(
    result.order,
    files.map((f) => f.path),
  );
  assert.deepEqual(result.clear, expectedVerdicts(files));
  assert.ok(
    result.byThread > 0 && result.byThread < files.length,
    `the thread screened ${result.byThread} of ${files.length} files`,
  );
});
