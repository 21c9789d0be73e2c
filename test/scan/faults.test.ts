import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LoggedRequest } from "../emulator/arm-emulator.js";
import { assertSurvived, expectedFindings, findingKeys, scanSampleWith, sortedExpected } from "./scan-helpers.js";

// Each scripted fault is either survived (same findings as a clean run, exit 1) or reported as a scope
// in `errors` while the rest of the fleet is still scanned (exit 2). Every retry loop is bounded.

const SUB_A = "6a1f4c2e-0b7d-4e55-9c1a-2f3b4d5e6f70";
const SUB_B = "7b2e5d3f-1c8e-4f66-8d2b-3a4c5e6f7081";
const VMS_A = `/subscriptions/${SUB_A}/providers/Microsoft.Compute/virtualMachines`;
const WEB_01 = `/subscriptions/${SUB_A}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01`;
const WEB_03 = `/subscriptions/${SUB_A}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-03`;

function statusesFor(log: LoggedRequest[], path: string): number[] {
  return log.filter((r) => r.path.toLowerCase() === path.toLowerCase()).map((r) => r.status);
}

describe("scan faults", () => {
  it("429 with a Retry-After far too long is honoured only up to --max-retry-after", async () => {
    const outcome = await scanSampleWith(
      { faults: [{ path: `${WEB_01}/extensions`, status: 429, code: "TooManyRequests", retryAfterSeconds: 1200 }] },
      "--max-retry-after",
      "1",
    );
    assertSurvived(outcome);
    assert.deepEqual(statusesFor(outcome.log, `${WEB_01}/extensions`), [429, 200]);
  });

  it("429 without Retry-After (the SDK would give up) is backed off and retried", async () => {
    const outcome = await scanSampleWith({
      faults: [{ path: `${WEB_03}/extensions`, status: 429, code: "TooManyRequests", times: 2 }],
    });
    assertSurvived(outcome);
    assert.deepEqual(statusesFor(outcome.log, `${WEB_03}/extensions`), [429, 429, 200]);
  });

  it("503 with Retry-After and 500 are retried", async () => {
    const outcome = await scanSampleWith({
      faults: [
        { path: VMS_A, status: 503, code: "ServiceUnavailable", retryAfterSeconds: 0 },
        {
          path: `/subscriptions/${SUB_A}/providers/Microsoft.Compute/virtualMachineScaleSets`,
          status: 500,
          code: "InternalServerError",
        },
      ],
    });
    assertSurvived(outcome);
    assert.deepEqual(statusesFor(outcome.log, VMS_A).slice(0, 2), [503, 200]);
  });

  it("paces itself to x-ms-ratelimit-remaining-subscription-reads: a small bucket is never overrun", async () => {
    const outcome = await scanSampleWith({ readBucket: { capacity: 4, refillPerSecond: 40 } });
    assertSurvived(outcome);
    assert.ok(!outcome.log.some((r) => r.injected === "throttle"), "the scanner overran the read bucket");
    assert.ok(
      outcome.log.filter((r) => r.subscriptionId === SUB_A).length > 4,
      "the bucket was never at risk: the test proves nothing",
    );
  });

  it("retries are bounded: a VM that always answers 500 becomes an error after 5 attempts, exit 2", async () => {
    const outcome = await scanSampleWith({
      faults: [{ path: `${WEB_01}/extensions`, status: 500, code: "InternalServerError", times: Infinity }],
    });
    assert.equal(outcome.result.code, 2);
    assert.deepEqual(statusesFor(outcome.log, `${WEB_01}/extensions`), [500, 500, 500, 500, 500]);
    assert.deepEqual(outcome.report.errors, [
      { scope: WEB_01, status: 500, code: "InternalServerError", message: "Scripted fault 500." },
    ]);
    const expected = sortedExpected(expectedFindings()).filter((f) => f.resourceId !== WEB_01);
    assert.deepEqual(findingKeys(outcome.report), expected);
    assert.equal(outcome.report.summary.errors, 1);
  });

  it("a 403 AuthorizationFailed subscription is reported and the other is still scanned", async () => {
    const outcome = await scanSampleWith({
      faults: [
        { path: `/subscriptions/${SUB_B}/providers/`, status: 403, code: "AuthorizationFailed", times: Infinity },
      ],
    });
    assert.equal(outcome.result.code, 2);
    assert.equal(outcome.report.errors.length, 1);
    assert.deepEqual(
      { ...outcome.report.errors[0], message: "" },
      { scope: `/subscriptions/${SUB_B}`, status: 403, code: "AuthorizationFailed", message: "" },
    );
    assert.deepEqual(
      findingKeys(outcome.report),
      sortedExpected(expectedFindings()).filter((f) => !f.resourceId.includes(SUB_B)),
    );
    assert.equal(
      outcome.log.filter((r) => r.subscriptionId === SUB_B && r.path.includes("/providers/")).length,
      1,
      "nothing more asked of a forbidden subscription",
    );
  });

  it("a VM deleted mid-scan (404) is an error for that VM only", async () => {
    const outcome = await scanSampleWith({
      faults: [{ path: `${WEB_03}/extensions`, status: 404, code: "ResourceNotFound" }],
    });
    assert.equal(outcome.result.code, 2);
    assert.deepEqual(
      outcome.report.errors.map((e) => [e.scope, e.status, e.code]),
      [[WEB_03, 404, "ResourceNotFound"]],
    );
    assert.equal(outcome.report.findings.length, expectedFindings().length - 1);
  });

  it(
    "a list page that fails mid-scan (404 on page 3) is an error for the subscription; " +
      "the VMs already listed are still checked",
    async () => {
      const outcome = await scanSampleWith({
        faults: [
          { path: VMS_A, query: { $skiptoken: "4" }, status: 404, code: "ResourceGroupNotFound", times: Infinity },
        ],
      });
      assert.equal(outcome.result.code, 2);
      assert.deepEqual(
        outcome.report.errors.map((e) => [e.scope, e.status, e.code]),
        [[`/subscriptions/${SUB_A}`, 404, "ResourceGroupNotFound"]],
      );
      // Pages 1 and 2 held web-01 … web-04; the flexible scale set's member VM was on a later page.
      assert.deepEqual(
        findingKeys(outcome.report),
        sortedExpected(expectedFindings()).filter((f) => !f.resourceId.endsWith("/flex-pool_a1b2c3")),
      );
    },
  );

  it("a rejected token (401) stops nothing silently: exit 2 with the scope", async () => {
    const outcome = await scanSampleWith({ acceptToken: () => false });
    assert.equal(outcome.result.code, 2);
    assert.deepEqual(
      outcome.report.errors.map((e) => [e.scope, e.status]),
      [["/subscriptions", 401]],
    );
    assert.deepEqual(outcome.report.findings, []);
  });

  it("graph engine: a failing Resource Graph batch is an error, exit 2", async () => {
    const outcome = await scanSampleWith(
      {
        faults: [
          { path: "/providers/Microsoft.ResourceGraph/resources", status: 400, code: "BadRequest", times: Infinity },
        ],
      },
      "--engine",
      "graph",
    );
    assert.equal(outcome.result.code, 2);
    assert.equal(outcome.report.errors.length, 1);
    assert.match(outcome.report.errors[0]!.scope, /^Resource Graph batch 1 \(2 subscriptions/);
    assert.equal(outcome.report.errors[0]!.status, 400);
  });
});
