// The test run's report: every failure in full, passes only counted, the slowest files named, and one
// closing line "N passed, N failed" that people and CI read. Used by scripts/run-tests.mjs.
import { relative } from "node:path";
import { inspect } from "node:util";

const SLOWEST = 5;

export default async function* shortReport(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  /** file → seconds its top-level tests took, and what it wrote on stderr (shown only if it failed). */
  const files = new Map();
  const fileOf = (data) => {
    const name = data.file ? relative(process.cwd(), data.file) : "(no file)";
    if (!files.has(name)) files.set(name, { ms: 0, stderr: "", failed: false, names: [] });
    return files.get(name);
  };
  const started = Date.now();
  for await (const { type, data } of source) {
    if (type === "test:stderr") fileOf(data).stderr += data.message;
    if (type === "test:start") fileOf(data).names[data.nesting] = data.name;
    if (type !== "test:pass" && type !== "test:fail") continue;
    const file = fileOf(data);
    if (data.nesting === 0) file.ms += data.details?.duration_ms ?? 0;
    if (data.details?.type === "suite") {
      // A suite fails when one of its tests did (already told), or on its own, as a hook that threw.
      if (type === "test:fail" && data.details.error?.failureType !== "subtestsFailed") {
        counts.failed++;
        file.failed = true;
        yield failure(data, file);
      }
      continue;
    }
    if (data.skip) counts.skipped++;
    else if (data.todo) counts.todo++;
    else if (type === "test:pass") counts.passed++;
    else {
      counts.failed++;
      file.failed = true;
      yield failure(data, file);
    }
  }
  // A batch of test files (scripts/run-tests.mjs) writes stderr as one process: shown when any test failed.
  const batches = process.env.MSI2IMDS_TEST_BATCHES && relative(process.cwd(), process.env.MSI2IMDS_TEST_BATCHES);
  for (const [name, file] of files) {
    const shown = file.failed || (counts.failed > 0 && Boolean(batches) && name.startsWith(`${batches}/`));
    if (shown && file.stderr.trim()) yield `\n── stderr of ${name} ──\n${file.stderr.trimEnd()}\n`;
  }
  const slowest = [...files]
    .filter(([, file]) => file.ms > 0)
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, SLOWEST)
    .map(([name, { ms }]) => `${(ms / 1000).toFixed(1)} s ${name}`);
  yield `\nslowest files: ${slowest.join(", ")}\n`;
  const extra = [counts.skipped && `${counts.skipped} skipped`, counts.todo && `${counts.todo} todo`].filter(Boolean);
  yield `${((Date.now() - started) / 1000).toFixed(1)} s\n`;
  yield `${counts.passed} passed, ${counts.failed} failed${extra.length ? `, ${extra.join(", ")}` : ""}\n`;
}

function failure(data, file) {
  const title = [...file.names.slice(0, data.nesting), data.name].join(" › ");
  const where = data.file ? relative(process.cwd(), data.file) : "";
  const error = data.details?.error;
  const cause = error?.cause ?? error;
  const text = cause instanceof Error ? (cause.stack ?? cause.message) : inspect(cause, { depth: 6 });
  const diff =
    cause && typeof cause === "object" && "actual" in cause && "expected" in cause && !text.includes("+ actual")
      ? `\nactual:   ${inspect(cause.actual, { depth: 6 })}\nexpected: ${inspect(cause.expected, { depth: 6 })}`
      : "";
  return `\n✖ ${title}  (${where})\n${indent(`${text}${diff}`)}\n`;
}

function indent(text) {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
