import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SCAN_CSV_COLUMNS } from "../../src/formatters/csv.js";
import type { ScanJson } from "../../src/formatters/scan-json.js";
import { loadFleet } from "../emulator/fleet.js";
import { startScanEnvironment, type CliResult, type ScanEnvironment } from "../emulator/scan-environment.js";
import { assertNoToken, expectedFindings, findingKeys, parseCsv, parseReport, sortedExpected } from "./scan-helpers.js";

// End to end: the built CLI, the real Azure SDK clients and ManagedIdentityCredential, against the HTTPS
// ARM emulator serving fixtures/fleets/sample.json two items per page.

const SUB_A = "6a1f4c2e-0b7d-4e55-9c1a-2f3b4d5e6f70";
const SUB_B = "7b2e5d3f-1c8e-4f66-8d2b-3a4c5e6f7081";
const SUB_DISABLED = "8c3f6e4a-2d9f-4a77-9e3c-4b5d6f708192";

describe("msi2imds scan against the emulator", () => {
  let env: ScanEnvironment;
  const results: CliResult[] = [];
  const scan = async (...args: string[]): Promise<CliResult> => {
    const result = await env.cli([...env.scanArgs, ...args]);
    results.push(result);
    return result;
  };

  // The default table scan: two tests read the same run.
  let table: Promise<CliResult> | undefined;
  const tableScan = (): Promise<CliResult> => {
    table ??= scan();
    return table;
  };

  before(async () => {
    env = await startScanEnvironment({ fleet: loadFleet("sample"), pageSize: 2 });
  });
  after(async () => {
    assertNoToken(env.token, ...results);
    await env.close();
  });

  let armReport: ScanJson;

  it("arm engine: exactly the expected findings, every port and identity kind, exit 1", async () => {
    const result = await scan("--format", "json");
    assert.equal(result.code, 1, result.stderr);
    armReport = parseReport(result);
    assert.deepEqual(findingKeys(armReport), sortedExpected(expectedFindings()));
    assert.deepEqual(armReport.summary, {
      subscriptions: 2,
      virtualMachines: 11,
      scaleSets: 4,
      findings: 8,
      errors: 0,
    });
    assert.deepEqual(armReport.errors, []);
    assert.equal(armReport.engine, "arm");
    assert.equal(armReport.tool.name, "msi2imds");
    assert.deepEqual(Object.keys(armReport), ["tool", "engine", "scannedAt", "summary", "findings", "errors"]);
    assert.match(result.stderr, new RegExp(`skipped subscription ${SUB_DISABLED} \\(Disabled\\)`));
  });

  it("describes each finding fully and advises by identity and upgrade policy", () => {
    const byName = new Map(armReport.findings.map((f) => [f.name, f]));
    const web03 = byName.get("web-03")!;
    assert.equal(web03.ruleId, "vm-extension-installed");
    assert.equal(web03.severity, "error");
    assert.match(web03.fingerprint, /^[0-9a-f]{32}$/);
    assert.equal(
      new Set(armReport.findings.map((f) => f.fingerprint)).size,
      armReport.findings.length,
      "fingerprints tell findings apart",
    );
    assert.match(
      web03.message,
      new RegExp(
        [
          "^VM web-03 still has the Managed Identity VM extension VMSS-WAD-extension ",
          String.raw`\(ManagedIdentityExtensionForLinux, port 50343\)`,
        ].join(""),
      ),
    );
    const { ruleId, severity, fingerprint, message, ...machine } = web03;
    void [ruleId, severity, fingerprint, message];
    assert.deepEqual(machine, {
      resourceId: `/subscriptions/${SUB_A}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-03`,
      subscriptionId: SUB_A,
      resourceGroup: "rg-web",
      kind: "virtualMachine",
      name: "web-03",
      location: "westeurope",
      osType: "Linux",
      extension: {
        name: "VMSS-WAD-extension",
        type: "ManagedIdentityExtensionForLinux",
        publisher: "Microsoft.ManagedIdentity",
        typeHandlerVersion: "1.0",
        provisioningState: "Succeeded",
        port: 50343,
      },
      identity: {
        type: "UserAssigned",
        userAssignedIdentities: [
          `/subscriptions/${SUB_A}/resourceGroups/rg-identity/providers/Microsoft.ManagedIdentity` +
            `/userAssignedIdentities/app-id`,
        ],
      },
      recommendedAction: "Move the machine's code to IMDS, then remove the extension.",
    });
    assert.match(byName.get("web-02")!.recommendedAction, /^Assign a managed identity first/);
    assert.match(byName.get("batch-auto")!.recommendedAction, /^Assign a managed identity first/);
    assert.doesNotMatch(byName.get("batch-auto")!.recommendedAction, /Manual/);
    assert.match(byName.get("batch-uniform")!.recommendedAction, /upgrade policy is Manual/);
    assert.equal(byName.get("batch-uniform")!.kind, "virtualMachineScaleSet");
    assert.equal(byName.get("flex-pool_a1b2c3")!.kind, "virtualMachine", "a flexible scale set member is a VM");
    assert.ok(!byName.has("flex-pool"), "the flexible scale set itself has no extensions");
    assert.equal(byName.get("dev-01")!.extension.provisioningState, "Failed");
    assert.equal(byName.get("web-04")!.identity.userAssignedIdentities.length, 2);
  });

  it(
    "followed every page, authenticated every request, " + "and never touched the Disabled subscription's resources",
    () => {
      const log = env.arm.requests;
      assert.ok(
        log.every((r) => r.authorized),
        "an unauthenticated request reached the emulator",
      );
      const vmPages = log.filter((r) => r.route === "virtualMachines.listAll" && r.subscriptionId === SUB_A);
      assert.deepEqual(
        vmPages.map((r) => r.query.$skiptoken ?? "0"),
        ["0", "2", "4", "6", "8"],
      );
      assert.equal(log.filter((r) => r.route === "subscriptions.list").length, 2);
      assert.equal(log.filter((r) => r.route === "virtualMachineExtensions.list").length, 11);
      assert.ok(!log.some((r) => r.subscriptionId === SUB_DISABLED));
      assert.ok(log.every((r) => r.status === 200));
      const imds = env.imds.requests;
      assert.ok(
        imds.length >= 1 &&
          imds.every((r) => r.status === 200 && r.tokenRequest?.resource === "https://management.azure.com"),
      );
    },
  );

  it("graph engine: the same findings and summary as the arm engine", async () => {
    const before = env.arm.requests.length;
    const result = await scan("--engine", "graph", "--format", "json");
    assert.equal(result.code, 1, result.stderr);
    const report = parseReport(result);
    assert.equal(report.engine, "graph");
    assert.deepEqual(report.findings, armReport.findings);
    assert.deepEqual(report.summary, armReport.summary);
    const queries = env.arm.requests.slice(before).filter((r) => r.route === "resourceGraph.resources");
    assert.ok(queries.length > 2, "paged with $skipToken");
    for (const q of queries) {
      const body = q.body as { subscriptions: string[]; options: Record<string, unknown> };
      assert.deepEqual([...body.subscriptions].sort(), [SUB_A, SUB_B]);
      assert.equal(body.options.resultFormat, "objectArray");
      assert.equal(body.options.$top, 1000);
    }
    assert.ok(
      queries.some((q) => typeof (q.body as { options: Record<string, unknown> }).options.$skipToken === "string"),
    );
  });

  it("--subscription and --resource-group narrow the scan", async () => {
    const bOnly = parseReport(await scan("--subscription", SUB_B, "--format", "json"));
    assert.deepEqual(
      bOnly.findings.map((f) => f.name),
      ["dev-01"],
    );
    assert.equal(bOnly.summary.subscriptions, 1);
    for (const engine of ["arm", "graph"]) {
      const batch = parseReport(await scan("--engine", engine, "--resource-group", "RG-BATCH", "--format", "json"));
      assert.deepEqual(
        batch.findings.map((f) => f.name).sort(),
        ["batch-auto", "batch-uniform", "flex-pool_a1b2c3"],
        engine,
      );
      assert.deepEqual([batch.summary.virtualMachines, batch.summary.scaleSets], [1, 4], engine);
    }
  });

  it("exits 0 when nothing is found", async () => {
    const result = await scan("--resource-group", "rg-dev", "--subscription", SUB_A);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no findings in 0 VMs and 0 scale sets across 1 subscriptions/);
  });

  it("CSV parses back to the findings, one row each", async () => {
    const result = await scan("--format", "csv");
    assert.equal(result.code, 1);
    const [header, ...rows] = parseCsv(result.stdout);
    assert.deepEqual(header, [...SCAN_CSV_COLUMNS]);
    assert.equal(rows.length, armReport.findings.length);
    for (const [i, finding] of armReport.findings.entries()) {
      const row: Record<string, string | undefined> = Object.fromEntries(header!.map((name, c) => [name, rows[i]![c]]));
      assert.equal(row.resourceId, finding.resourceId);
      assert.equal(row.port, String(finding.extension.port));
      assert.equal(row.identityType, finding.identity.type);
      assert.equal(row.recommendedAction, finding.recommendedAction);
      assert.equal(row.userAssignedIdentities, finding.identity.userAssignedIdentities.join(";"));
    }
  });

  it("Markdown tables are well formed", async () => {
    const result = await scan("--format", "markdown");
    assert.equal(result.code, 1);
    const lines = result.stdout.split("\n");
    assert.equal(lines[0], "# Managed Identity VM extension: fleet scan");
    const cells = (line: string) => line.replace(/\\\|/g, "").split("|").length;
    let tables = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!/^\| --- /.test(lines[i + 1] ?? "")) continue;
      tables++;
      const width = cells(lines[i]!);
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith("|"); j++)
        assert.equal(cells(lines[j]!), width, `row ${j}: ${lines[j]}`);
    }
    assert.equal(tables, 2);
    assert.equal(lines.filter((l) => l.startsWith("| VM ") || l.startsWith("| Scale set ")).length, 8);
  });

  it("--output writes the report to a file and nothing to stdout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "msi2imds-scan-"));
    try {
      const file = join(dir, "report.json");
      const result = await scan("--format", "json", "--output", file);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.deepEqual((JSON.parse(readFileSync(file, "utf8")) as ScanJson).findings, armReport.findings);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an unwritable --output does not lose the scan: one-line error, the report on stdout, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "msi2imds-scan-"));
    try {
      writeFileSync(join(dir, "a-file"), "");
      const result = await scan("--format", "json", "--output", join(dir, "a-file", "report.json"));
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /cannot write .*report\.json: not a directory; the report follows on stdout/);
      assert.doesNotMatch(result.stderr, /\.tmp|\n\s+at /, "neither the temp file nor a stack trace");
      assert.deepEqual((JSON.parse(result.stdout) as ScanJson).findings, armReport.findings);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the table names every finding and the totals", async () => {
    const result = await tableScan();
    assert.equal(result.code, 1);
    for (const name of [
      "web-01",
      "web-02",
      "web-03",
      "web-04",
      "flex-pool_a1b2c3",
      "batch-uniform",
      "batch-auto",
      "dev-01",
    ])
      assert.match(result.stdout, new RegExp(`\\b${name}\\b`));
    assert.doesNotMatch(result.stdout, /decoy|clean-0/);
    assert.match(result.stdout, /8 findings in 11 VMs and 4 scale sets across 2 subscriptions \(engine arm\)/);
  });

  it("the table shows what a person acts on: extension names, subscription names, a failed state, actions once", async () => {
    const result = await tableScan();
    const rows = new Map(
      result.stdout
        .split("\n")
        .filter((line) => /^(VM|VMSS) /.test(line))
        .map((line) => [line.split(/\s+/)[1]!, line]),
    );
    assert.equal(rows.size, 8);
    // The extension's name, not its type: web-02 carries the extension under the name "msi".
    assert.match(rows.get("web-02")!, /\bProduction\s+msi\s+1\.0\s+50342\s+None\b/);
    assert.match(rows.get("dev-01")!, /\bDevelopment\s+ManagedIdentityExtensionForWindows\b.*\bFailed$/);
    assert.doesNotMatch(rows.get("web-01")!, /Succeeded|Failed/);
    assert.match(
      result.stdout,
      /^KIND +NAME +RESOURCE GROUP +SUBSCRIPTION +EXTENSION +VERSION +PORT +IDENTITY +STATE$/m,
    );
    const actions = result.stdout.split("\n").filter((line) => line.includes("Move the machine's code to IMDS"));
    assert.deepEqual(
      actions.map((line) => /^ {2}(\d+) machines? \(/.exec(line)?.[1]),
      ["5", "2", "1"],
      "each recommended action once, with how many machines it applies to",
    );
    assert.match(result.stdout, /^ {2}2 machines \(batch-auto, web-02\): Assign a managed identity first/m);
  });

  it("Azure SDK verbose logging still prints no token", async () => {
    const result = await env.cli([...env.scanArgs, "--subscription", SUB_B, "--format", "json"], {
      AZURE_LOG_LEVEL: "verbose",
    });
    results.push(result);
    assert.equal(result.code, 1);
    assert.ok(result.stderr.length > 0, "verbose logging produced output to search");
  });
});
