import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import { startArmEmulator, type ArmEmulator } from "./arm-emulator.js";
import { generateFleet, loadFleet } from "./fleet.js";
import { armError } from "./router.js";

// The emulator itself, spoken to over raw HTTPS: what the scanner (and `remove`) rely on it to enforce.

const SUB_A = "6a1f4c2e-0b7d-4e55-9c1a-2f3b4d5e6f70";
const COMPUTE = "api-version=2026-03-01";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

function call(
  arm: ArmEmulator,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, arm.url);
    const req = request(
      url,
      {
        method,
        ca: arm.caPem,
        headers: {
          ...(options.token === "" ? {} : { authorization: `Bearer ${options.token ?? "t"}` }),
          "content-type": "application/json",
        },
      },
      (res) => {
        let text = "";
        res
          .setEncoding("utf8")
          .on("data", (c: string) => (text += c))
          .on("end", () => {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            });
          });
      },
    );
    req.on("error", reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

describe("ARM emulator", () => {
  let arm: ArmEmulator;
  before(async () => {
    arm = await startArmEmulator({
      fleet: loadFleet("sample"),
      pageSize: 2,
      readBucket: { capacity: 3, refillPerSecond: 0.001 },
    });
  });
  after(() => arm.close());

  it("serves https on 127.0.0.1 with a certificate the exported CA signs", () => {
    assert.match(arm.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(arm.caPem, /BEGIN CERTIFICATE/);
  });

  it("requires a bearer token (401) and a known api-version (400)", async () => {
    const unauthenticated = await call(arm, "GET", "/subscriptions?api-version=2022-12-01", { token: "" });
    assert.equal(unauthenticated.status, 401);
    assert.deepEqual(
      unauthenticated.body,
      armError(401, "InvalidAuthenticationToken", "The access token is missing or invalid.").body,
    );
    const drift = await call(arm, "GET", "/subscriptions?api-version=2016-06-01");
    assert.equal(drift.status, 400);
    assert.equal((drift.body.error as { code: string }).code, "InvalidApiVersionParameter");
  });

  it("pages with absolute https nextLinks on its own host", async () => {
    const first = await call(arm, "GET", "/subscriptions?api-version=2022-12-01");
    assert.equal((first.body.value as unknown[]).length, 2);
    const next = first.body.nextLink as string;
    assert.ok(next.startsWith(`${arm.url}/subscriptions?`), next);
    const second = await call(arm, "GET", new URL(next).pathname + new URL(next).search);
    assert.equal((second.body.value as unknown[]).length, 1);
    assert.equal(second.body.nextLink, undefined);
  });

  it("lists carry extension ids only; a VM GET inlines them; an empty extension list is {}", async () => {
    const base = `/subscriptions/${SUB_A}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines`;
    const list = await call(arm, "GET", `${base}?${COMPUTE}`);
    const web01 = (list.body.value as { name: string; resources: Record<string, unknown>[] }[]).find(
      (v) => v.name === "web-01",
    )!;
    assert.deepEqual(Object.keys(web01.resources[0]!), ["id"]);
    const clean = await call(arm, "GET", `${base}/clean-01/extensions?${COMPUTE}`);
    assert.deepEqual(clean.body, {});
  });

  it("throttles each subscription with a token bucket: remaining-reads header, then 429 + Retry-After", async () => {
    const path = `/subscriptions/${SUB_A}/providers/Microsoft.Compute/virtualMachineScaleSets?${COMPUTE}`;
    const remaining: string[] = [];
    let throttled: Reply | undefined;
    for (let i = 0; i < 4 && !throttled; i++) {
      const reply = await call(arm, "GET", path);
      if (reply.status === 429) throttled = reply;
      else remaining.push(String(reply.headers["x-ms-ratelimit-remaining-subscription-reads"]));
    }
    assert.ok(throttled, "never throttled");
    assert.ok(Number(throttled.headers["retry-after"]) >= 1);
    assert.equal((throttled.body.error as { code: string }).code, "TooManyRequests");
    assert.ok(remaining.length > 0 && remaining.every((r) => /^\d+$/.test(r)));
    assert.ok(arm.requests.some((r) => r.injected === "throttle"));
  });

  it("answers only its own Resource Graph queries", async () => {
    const reply = await call(
      arm,
      "POST",
      "/providers/Microsoft.ResourceGraph/resources?api-version=2021-06-01-preview",
      {
        body: { subscriptions: [SUB_A], query: "Resources | project id", options: { resultFormat: "objectArray" } },
      },
    );
    assert.equal(reply.status, 400);
  });

  it("takes extra routes, and its fleet is live state", async () => {
    arm.addRoute({
      name: "virtualMachineExtensions.delete",
      method: "DELETE",
      apiVersions: ["2026-03-01"],
      pattern: new RegExp(
        [
          String.raw`^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute`,
          String.raw`\/virtualMachines\/([^/]+)\/extensions\/([^/]+)$`,
        ].join(""),
        "i",
      ),
      handle(r) {
        const vm = r.context.fleet.subscriptions[0]!.virtualMachines.find((v) => v.name === r.params[2])!;
        vm.extensions = vm.extensions.filter((e) => e.name !== r.params[3]);
        return { status: 204 };
      },
    });
    const ext =
      `/subscriptions/${SUB_A}/resourceGroups/rg-web/providers/Microsoft.Compute` +
      `/virtualMachines/web-02/extensions`;
    assert.equal((await call(arm, "DELETE", `${ext}/msi?${COMPUTE}`)).status, 204);
    // SUB_A's read bucket is drained by the test above (deletes do not draw on it): look at the state itself.
    assert.deepEqual(arm.fleet.subscriptions[0]!.virtualMachines.find((v) => v.name === "web-02")!.extensions, []);
  });

  it("generates fleets of any size, deterministically", () => {
    const a = generateFleet({ subscriptions: 3, vmsPerSubscription: 25, scaleSetsPerSubscription: 2 });
    assert.deepEqual(a, generateFleet({ subscriptions: 3, vmsPerSubscription: 25, scaleSetsPerSubscription: 2 }));
    assert.equal(a.subscriptions.length, 3);
    assert.equal(a.subscriptions[2]!.virtualMachines.length, 25);
    assert.equal(new Set(a.subscriptions.map((s) => s.subscriptionId)).size, 3);
  });
});
