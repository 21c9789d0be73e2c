import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import type { LoggedRequest, ScriptedFault } from "../emulator/arm-emulator.js";
import { computeRoutes } from "../emulator/compute-routes.js";
import { loadFleet } from "../emulator/fleet.js";
import { startScanEnvironment } from "../emulator/scan-environment.js";
import type { EmulatorRequest, Route } from "../emulator/router.js";
import { assertSurvived, expectedFindings, findingKeys, scanSampleWith, sortedExpected } from "./scan-helpers.js";

// ARM as a flaky network and a hostile endpoint make it: every kind of call the scan makes is retried,
// nothing waits forever, a paged list cannot loop or lead the token to another host, and the scan says
// when it is incomplete (exit 2) instead of passing for a complete one.

const SUB_A = "6a1f4c2e-0b7d-4e55-9c1a-2f3b4d5e6f70";
const VMS_A = `/subscriptions/${SUB_A}/providers/Microsoft.Compute/virtualMachines`;
const SCALE_SETS_A = `/subscriptions/${SUB_A}/providers/Microsoft.Compute/virtualMachineScaleSets`;
const WEB_01 = `/subscriptions/${SUB_A}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01`;
const GRAPH = "/providers/Microsoft.ResourceGraph/resources";

function outcomesOf(log: LoggedRequest[], path: string | RegExp): string[] {
  return log
    .filter((r) => (typeof path === "string" ? r.path.toLowerCase() === path.toLowerCase() : path.test(r.path)))
    .map((r) => (r.status === 0 ? "no answer" : String(r.status)));
}

/** Four failures of the kinds given, on one call: the fifth and last attempt succeeds. */
function fourFailures(path: string | RegExp, kinds: ("429" | "429+Retry-After" | "408" | "500" | "503" | "reset")[]) {
  return kinds.map((kind): ScriptedFault => {
    if (kind === "reset") return { path, drop: "reset" };
    if (kind === "429+Retry-After") return { path, status: 429, code: "TooManyRequests", retryAfterSeconds: 0 };
    return { path, status: Number(kind), code: "Transient" };
  });
}

/** A built-in list route whose nextLink is rewritten in subscription A. */
function relinked(name: string, rewrite: (nextLink: string | undefined, request: EmulatorRequest) => string): Route {
  const builtIn = computeRoutes.find((r) => r.name === name)!;
  return {
    ...builtIn,
    async handle(request) {
      const response = await builtIn.handle(request);
      if (!request.url.pathname.includes(SUB_A)) return response;
      const body = response.body as { value: unknown[]; nextLink?: string };
      return { ...response, body: { ...body, nextLink: rewrite(body.nextLink, request) } };
    },
  };
}

describe("every call the scan makes is retried", () => {
  it("GET /subscriptions and Resource Graph: 429 without Retry-After, 408, 503 and a reset connection", async () => {
    const outcome = await scanSampleWith(
      {
        faults: [
          ...fourFailures(/^\/subscriptions$/, ["429", "408", "reset", "503"]),
          ...fourFailures(GRAPH, ["429", "reset", "503", "408"]),
        ],
      },
      "--engine",
      "graph",
    );
    assertSurvived(outcome);
    // Each then goes on to its next page.
    const retried = ["429", "408", "no answer", "503", "200"];
    assert.deepEqual(outcomesOf(outcome.log, /^\/subscriptions$/).slice(0, 5), retried);
    assert.deepEqual(outcomesOf(outcome.log, GRAPH).slice(0, 5), ["429", "no answer", "503", "408", "200"]);
  });

  it("GET /subscriptions/{id}: 429 with Retry-After, 500, 503 and a reset connection", async () => {
    const subscriptions = loadFleet("sample").subscriptions.map((s) => s.subscriptionId);
    const path = `/subscriptions/${SUB_A}`;
    const outcome = await scanSampleWith(
      { faults: fourFailures(new RegExp(`^${path}$`), ["429+Retry-After", "500", "503", "reset"]) },
      ...subscriptions.flatMap((id) => ["--subscription", id]),
    );
    assertSurvived(outcome);
    assert.deepEqual(outcomesOf(outcome.log, path), ["429", "500", "503", "no answer", "200"]);
  });
});

describe("nothing waits forever", () => {
  it("an answer that never comes is abandoned after --request-timeout and the request retried", async () => {
    const outcome = await scanSampleWith(
      { faults: [{ path: `${WEB_01}/extensions`, drop: "hang" }] },
      "--request-timeout",
      "2",
    );
    assertSurvived(outcome);
    assert.deepEqual(outcomesOf(outcome.log, `${WEB_01}/extensions`).slice(0, 1), ["no answer"]);
  });

  it("at the --timeout deadline the scan reports what it read, names the deadline and exits 2", async () => {
    const outcome = await scanSampleWith(
      { faults: [{ path: `${WEB_01}/extensions`, drop: "hang", times: Infinity }] },
      "--timeout",
      "2",
    );
    assert.equal(outcome.result.code, 2, outcome.result.stderr);
    const deadline = outcome.report.errors.find((e) => e.scope === "scan");
    assert.equal(deadline?.code, "Timeout");
    assert.match(deadline?.message ?? "", /^stopped at the --timeout deadline \(2 s\)/);
    const expected = sortedExpected(expectedFindings());
    for (const finding of findingKeys(outcome.report))
      assert.ok(expected.some((e) => e.resourceId === finding.resourceId));
    assert.ok(!findingKeys(outcome.report).some((f) => f.resourceId === WEB_01), "web-01 was never read");
  });

  it("a scan stuck on the very first call still writes its report at the deadline", async () => {
    const outcome = await scanSampleWith(
      { faults: [{ path: /^\/subscriptions$/, drop: "hang", times: Infinity }] },
      "--timeout",
      "1",
    );
    assert.equal(outcome.result.code, 2, outcome.result.stderr);
    assert.deepEqual(outcome.report.findings, []);
    assert.ok(outcome.report.errors.some((e) => e.scope === "scan"));
    assert.ok(
      outcome.report.errors.every((e) => e.code === "Timeout"),
      JSON.stringify(outcome.report.errors),
    );
  });
});

describe("paged lists cannot loop or leave ARM", () => {
  it("a nextLink to itself, or back to an earlier page, is a loop: reported for its scope, the rest scanned", async () => {
    const toItself = relinked(
      "virtualMachines.listAll",
      (_, request) => new URL(request.url.pathname + request.url.search, request.context.origin).href,
    );
    // Scale sets: page 1 → page 2 → page 1 …
    const backToFirst = relinked("virtualMachineScaleSets.listAll", (nextLink, request) => {
      const link = new URL(nextLink ?? request.url.href, request.context.origin);
      if (request.url.searchParams.get("$skiptoken") === "2") link.searchParams.delete("$skiptoken");
      return link.href;
    });
    const outcome = await scanSampleWith({ routes: [toItself, backToFirst] });
    assert.equal(outcome.result.code, 2);
    assert.equal(outcomesOf(outcome.log, VMS_A).length, 1, "the VM list's loop was followed");
    assert.equal(outcomesOf(outcome.log, SCALE_SETS_A).length, 2, "the scale sets' loop was followed");
    // Both lists' loops, one scope.
    assert.deepEqual(
      outcome.report.errors.map((e) => [e.scope, e.code]),
      [[`/subscriptions/${SUB_A}`, "NextLinkLoop"]],
    );
    const fromSubB = sortedExpected(expectedFindings()).filter((f) => !f.resourceId.includes(SUB_A));
    for (const finding of fromSubB)
      assert.ok(findingKeys(outcome.report).some((f) => f.resourceId === finding.resourceId));
  });

  it("a nextLink to another host is refused and never sent the token; the scan is not complete", async () => {
    // The emulator's own port under another name: a different origin, as a hostile page would name.
    const elsewhere = relinked("virtualMachines.listAll", (nextLink) =>
      nextLink === undefined ? "" : nextLink.replace("https://127.0.0.1:", "https://localhost:"),
    );
    const outcome = await scanSampleWith({ routes: [elsewhere] });
    assert.equal(outcome.result.code, 2);
    assert.deepEqual(
      outcome.log.filter((r) => !r.host.startsWith("127.0.0.1:")).map((r) => `${r.host} ${r.path}`),
      [],
      "a request went to the other host",
    );
    const refused = outcome.report.errors.find((e) => e.code === "LinkToOtherHost");
    assert.equal(refused?.scope, `/subscriptions/${SUB_A}`);
    assert.match(refused?.message ?? "", /refused to follow a link to https:\/\/localhost:\d+/);
  });
});

describe("secrets in error messages", () => {
  it("an ARM error that echoes the Authorization header and the token reaches the report redacted", async () => {
    const outcome = await scanSampleWith({
      faults: [
        {
          path: `${WEB_01}/extensions`,
          status: 403,
          code: "AuthorizationFailed",
          echoAuthorization: true,
          times: Infinity,
        },
      ],
    });
    assert.equal(outcome.result.code, 2);
    const error = outcome.report.errors.find((e) => e.scope === WEB_01);
    assert.match(error?.message ?? "", /^Scripted fault 403\. The request had Authorization: \[redacted\]/);
  });

  it("an identity endpoint's error that echoes a client secret and a JWT is said redacted", async () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJtYW5hZ2VtZW50In0.c2lnbmF0dXJlLXBhcnQ";
    const identity = createServer((_, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: "invalid_request",
          error_description: `Identity not found; client_secret=abcdefgh12345 Authorization: Bearer ${jwt}`,
        }),
      );
    });
    await new Promise<void>((resolve) => identity.listen(0, "127.0.0.1", resolve));
    const env = await startScanEnvironment({ fleet: loadFleet("sample") });
    try {
      const { port } = identity.address() as AddressInfo;
      const run = await env.cli(env.scanArgs, { AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${port}` });
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        /authentication failed .*Identity not found; client_secret=\[redacted\] Authorization: \[redacted\]/,
      );
      assert.ok(!run.stderr.includes("abcdefgh12345") && !run.stderr.includes(jwt));
    } finally {
      await env.close();
      identity.close();
    }
  });
});
