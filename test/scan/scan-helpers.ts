import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ScanJson } from "../../src/formatters/scan-json.js";
import type { ArmEmulatorOptions, LoggedRequest } from "../emulator/arm-emulator.js";
import { FLEETS_DIR, loadFleet } from "../emulator/fleet.js";
import { startScanEnvironment, type CliResult } from "../emulator/scan-environment.js";

// Shared by the scan tests: the expected findings, a strict CSV reader, and the no-token check.

export interface ExpectedFinding {
  resourceId: string;
  extension: string;
  port: number;
  identity: string;
}

export function expectedFindings(fleet = "sample"): ExpectedFinding[] {
  return (
    JSON.parse(readFileSync(join(FLEETS_DIR, `${fleet}.expected.json`), "utf8")) as { findings: ExpectedFinding[] }
  ).findings;
}

/** The report's findings reduced to what the expectation file states, in a stable order. */
export function findingKeys(report: ScanJson): ExpectedFinding[] {
  return report.findings
    .map((f) => ({
      resourceId: f.resourceId,
      extension: f.extension.name,
      port: f.extension.port,
      identity: f.identity.type,
    }))
    .sort((a, b) => a.resourceId.localeCompare(b.resourceId));
}

export function sortedExpected(expected: ExpectedFinding[]): ExpectedFinding[] {
  return [...expected].sort((a, b) => a.resourceId.localeCompare(b.resourceId));
}

export function parseReport(result: CliResult): ScanJson {
  return JSON.parse(result.stdout) as ScanJson;
}

/** RFC 4180: CRLF records, quoted fields with doubled quotes; throws on anything malformed. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        assert.ok(quote >= 0, "unterminated quoted field");
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      assert.ok(end >= 0, "record without CRLF");
      field = text.slice(i, i + end);
      assert.ok(!/["\r\n]/.test(field), `unquoted field with a special character: ${field}`);
      i += end;
    }
    row.push(field);
    if (text.startsWith("\r\n", i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else {
      assert.equal(text[i], ",", `unexpected character at ${i}`);
      i++;
    }
  }
  assert.equal(row.length, 0, "last record not terminated by CRLF");
  return rows;
}

export function assertNoToken(token: string, ...results: CliResult[]): void {
  for (const result of results) {
    assert.ok(!result.stdout.includes(token), "the bearer token appeared on stdout");
    assert.ok(!result.stderr.includes(token), "the bearer token appeared on stderr");
  }
}

/** A JSON scan of the sample fleet (two VMs a page) against an emulator set up with `options`. */
export interface ScanOutcome {
  result: CliResult;
  report: ScanJson;
  log: LoggedRequest[];
}

export async function scanSampleWith(options: Partial<ArmEmulatorOptions>, ...args: string[]): Promise<ScanOutcome> {
  const env = await startScanEnvironment({ fleet: loadFleet("sample"), pageSize: 2, ...options });
  try {
    const result = await env.cli([...env.scanArgs, "--format", "json", ...args]);
    assertNoToken(env.token, result);
    return { result, report: parseReport(result), log: env.arm.requests };
  } finally {
    await env.close();
  }
}

/** The fault was survived: the same findings as a clean run, no errors, exit 1. */
export function assertSurvived({ result, report }: ScanOutcome): void {
  assert.equal(result.code, 1, result.stderr);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(findingKeys(report), sortedExpected(expectedFindings()));
}
