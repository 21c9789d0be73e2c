import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, it } from "node:test";
import { mintedToken } from "../fakes/identity-endpoint.js";
import { loadFleet } from "../emulator/fleet.js";
import type { ArmEmulatorOptions } from "../emulator/arm-emulator.js";
import { startScanEnvironment, type ScanEnvironment } from "../emulator/scan-environment.js";
import { assertNoToken, parseReport } from "./scan-helpers.js";

// The scan command's surface: help, usage errors (exit 2, one line), unreachable endpoints, failed sign-in,
// and the Azure CLI credential through a fake `az`.

const SUB_B = "7b2e5d3f-1c8e-4f66-8d2b-3a4c5e6f7081";

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * IMDS as it answers on a VM without a managed identity: 400, which the credential takes for "no identity here"
 * at once (a closed port would be retried with backoff first).
 */
async function withoutManagedIdentity<T>(test: (imdsUrl: string) => Promise<T>): Promise<T> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "invalid_request", error_description: "Identity not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await test(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function withEnvironment(
  options: Partial<ArmEmulatorOptions>,
  test: (env: ScanEnvironment) => Promise<void>,
): Promise<void> {
  const env = await startScanEnvironment({ fleet: loadFleet("sample"), ...options });
  try {
    await test(env);
  } finally {
    await env.close();
  }
}

describe("msi2imds scan: command line", () => {
  it("--help lists the options and exits 0", async () => {
    await withEnvironment({}, async (env) => {
      const result = await env.cli(["scan", "--help"]);
      assert.equal(result.code, 0);
      for (const option of [
        "--auth",
        "--tenant",
        "--cloud",
        "--arm-endpoint",
        "--subscription",
        "--resource-group",
        "--engine",
        "--concurrency",
        "--format",
        "--output",
      ]) {
        assert.ok(result.stdout.includes(option), `help lacks ${option}`);
      }
      assert.equal(env.arm.requests.length, 0);
      const overview = await env.cli(["--help"]);
      assert.match(
        overview.stdout,
        /^ {2}scan \[options\] +find every VM/m,
        "worded like the other commands' descriptions",
      );
    });
  });

  it("takes -f, -o and --no-color like lint and remove", async () => {
    await withEnvironment({}, async (env) => {
      const dir = mkdtempSync(join(tmpdir(), "msi2imds-scan-"));
      try {
        const file = join(dir, "report.json");
        const result = await env.cli([...env.scanArgs, "-f", "json", "-o", file, "--no-color"]);
        assert.equal(result.code, 1, result.stderr);
        assert.equal(result.stdout, "");
        assert.equal(parseReport({ ...result, stdout: readFileSync(file, "utf8") }).summary.findings, 8);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it("usage errors exit 2 with one line and touch nothing", async () => {
    await withEnvironment({}, async (env) => {
      const cases: [string[], RegExp][] = [
        [["--bogus"], /unknown option '--bogus'\n\(run msi2imds scan --help for usage\)/],
        [
          ["--subscription", "not-a-guid"],
          /option '--subscription <id>' argument 'not-a-guid' is invalid. expected a subscription id/,
        ],
        [
          ["--arm-endpoint", "http://127.0.0.1:1"],
          /option '--arm-endpoint <url>' argument 'http:\/\/127.0.0.1:1' is invalid. expected an https:\/\/ URL/,
        ],
        [["--arm-endpoint", "not a url"], /argument 'not a url' is invalid. expected an https:\/\/ URL/],
        [["--engine", "sql"], /argument 'sql' is invalid/],
        [["--tenant", "contoso.onmicrosoft.com"], /^msi2imds: --tenant applies to --auth default and cli/],
        [
          ["--concurrency", "0"],
          /option '--concurrency <n>' argument '0' is invalid. expected a whole number from 1 to 256/,
        ],
      ];
      for (const [args, message] of cases) {
        const result = await env.cli(["scan", "--auth", "managed-identity", ...args]);
        assert.equal(result.code, 2, args.join(" "));
        assert.match(result.stderr, message);
        assert.equal(result.stdout, "");
      }
      assert.equal(env.arm.requests.length, 0);
      assert.equal(env.imds.requests.length, 0);
    });
  });

  it("an unreachable --arm-endpoint is an incomplete scan: exit 2 with the error in the report", async () => {
    await withEnvironment({}, async (env) => {
      const result = await env.cli([
        "scan",
        "--auth",
        "managed-identity",
        "--arm-endpoint",
        `https://127.0.0.1:${await closedPort()}`,
        "--retry-delay-ms",
        "1",
        "--format",
        "json",
      ]);
      assert.equal(result.code, 2, result.stderr);
      const report = parseReport(result);
      assert.deepEqual(
        report.errors.map((e) => [e.scope, e.status, e.code]),
        [["/subscriptions", null, "ECONNREFUSED"]],
      );
      assertNoToken(env.token, result);
    });
  });

  it("a credential that cannot get a token ends the scan with exit 2 and says so", async () => {
    await withEnvironment({}, async (env) => {
      const result = await env.cli([...env.scanArgs], {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${await closedPort()}`,
      });
      assert.equal(result.code, 2);
      assert.match(
        result.stderr,
        /^msi2imds: authentication failed \(--auth managed-identity\): ManagedIdentityCredential/m,
      );
      assert.equal(result.stdout, "");
      assert.ok(
        env.arm.requests.every((r) => r.authorized),
        "no request without a token",
      );
    });
  });

  it("when the default sign-in finds no credential, the hint says what to run", async () => {
    await withEnvironment({}, async (env) => {
      const result = await withoutManagedIdentity((imdsUrl) =>
        env.cli(["scan", "--arm-endpoint", env.arm.url], {
          AZURE_POD_IDENTITY_AUTHORITY_HOST: imdsUrl,
          PATH: "/usr/bin:/bin", // no az, azd or pwsh to sign in with
        }),
      );
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^msi2imds: authentication failed \(--auth default\): /m);
      assert.match(
        result.stderr,
        /^msi2imds: to sign in: sign in with `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or pick a credential with --auth cli\|managed-identity\|env$/m,
      );
    });
  });

  it("asks for the cloud's ARM scope even with a custom --arm-endpoint", async () => {
    const resource = "https://management.usgovcloudapi.net";
    await withEnvironment({ acceptToken: (t) => t === mintedToken("imds", resource) }, async (env) => {
      const result = await env.cli([
        ...env.scanArgs,
        "--cloud",
        "AzureUSGovernment",
        "--subscription",
        SUB_B,
        "--format",
        "json",
      ]);
      assert.equal(result.code, 1, result.stderr);
      assert.deepEqual([...new Set(env.imds.requests.map((r) => r.tokenRequest?.resource))], [resource]);
      assert.ok(env.arm.requests.every((r) => r.authorized));
    });
  });

  it("--auth cli gets its token from `az` for the ARM resource", async () => {
    const token = "az-cli-token-0123456789abcdef";
    const dir = mkdtempSync(join(tmpdir(), "msi2imds-az-"));
    try {
      await withEnvironment({ acceptToken: (t) => t === token }, async (env) => {
        const az = join(dir, "az");
        // Records its arguments, answers like `az account get-access-token --output json`.
        writeFileSync(
          az,
          `#!/bin/sh\necho "$@" > "${join(dir, "args")}"\n` +
            `echo '{"accessToken":"${token}","expiresOn":"2099-01-01 00:00:00.000000",` +
            `"expires_on":4070908800,"tokenType":"Bearer"}'\n`,
        );
        chmodSync(az, 0o755);
        const args = env.scanArgs.map((a) => (a === "managed-identity" ? "cli" : a));
        const result = await env.cli([...args, "--format", "json"], {
          PATH: `${dir}${delimiter}${process.env.PATH ?? ""}`,
        });
        assert.equal(result.code, 1, result.stderr);
        assert.equal(parseReport(result).summary.findings, 8);
        assertNoToken(token, result);
        assert.match(
          readFileSync(join(dir, "args"), "utf8"),
          /account get-access-token .*--resource https:\/\/management\.azure\.com/,
        );
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
