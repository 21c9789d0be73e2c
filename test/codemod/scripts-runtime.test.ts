import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { mintedToken, type RecordedRequest, type TokenRequest } from "../fakes/identity-endpoint.js";
import { pythonWith, shellOf } from "../fakes/interpreters.js";
import {
  privateNetworkUnavailable,
  runAllInPrivateNetwork,
  type PrivateNetworkJob,
  type PrivateNetworkResult,
} from "../fakes/private-network.js";

// The Python and shell fixtures of `fix`, run: each input gets its tokens from the fake extension, and its
// rewritten output gets the very same tokens (same resource, same identity) from the strict fake IMDS, in a
// private network where a proxy is set that forwards nothing. A rewrite that compiles but sends a POST,
// drops api-version, the Metadata header or the identity, or goes through the proxy fails here.

const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const unavailable = privateNetworkUnavailable();
/** What the Python fixtures import beyond the standard library. */
const python = pythonWith(["requests", "httpx", "aiohttp"]);

function pairs(folder: string, extension: string): { input: string; output: string; name: string }[] {
  const dir = join(FIXTURES, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith(`.input.${extension}`))
    .sort()
    .map((name) => ({
      name: `${folder}/${name}`,
      input: join(dir, name),
      output: join(dir, name.replace(".input.", ".output.")),
    }));
}

const TOKEN = /fake-(?:extension|imds)-[0-9a-f]+/g;

/** The tokens a run printed, in order, and the token requests the endpoint granted, in the same order. */
function granted(run: PrivateNetworkResult, requests: RecordedRequest[]): { printed: string[]; asked: TokenRequest[] } {
  const detail = `status ${run.status}\nstdout: ${run.stdout}\nstderr: ${run.stderr}\n${JSON.stringify(requests)}`;
  assert.equal(run.status, 0, detail);
  assert.ok(requests.length > 0, `no token request reached the endpoint\n${detail}`);
  for (const request of requests) assert.equal(request.status, 200, detail);
  return { printed: run.stdout.match(TOKEN) ?? [], asked: requests.map((r) => r.tokenRequest!) };
}

/**
 * A run that got its tokens from one endpoint (the extension for an input, IMDS for an output) and never
 * from the other or through the proxy, each token it got printed. What it asked for.
 */
function tokensFrom(run: PrivateNetworkResult, endpoint: "extension" | "imds"): TokenRequest[] {
  const other = endpoint === "imds" ? "extension" : "imds";
  assert.deepEqual(run[other], [], `the ${endpoint === "imds" ? "output" : "input"} called the ${other}`);
  assert.deepEqual(run.proxied, [], "the run went through the proxy");
  const got = granted(run, run[endpoint]);
  assert.deepEqual(
    got.printed,
    got.asked.map((t) => mintedToken(endpoint, t.resource, t.selector)),
    `the run printed the tokens the ${endpoint} gave`,
  );
  return got.asked;
}

function scriptJob(path: string, proxy: boolean, env?: Record<string, string>): PrivateNetworkJob {
  const command = path.endsWith(".py") ? ("path" in python ? python.path : "python3") : shellOf(path);
  return { command, args: [path], cwd: FIXTURES, proxy, ...(env ? { env } : {}) };
}

/** Alpine's wget: BusyBox's applet, which has no --no-proxy (.ci/run installs busybox). */
const busybox = spawnSync("busybox", ["--list"], { encoding: "utf8" });
const busyboxHasWget = busybox.status === 0 && busybox.stdout.split("\n").includes("wget");

describe("fix's Python and shell fixtures, run before and after", { skip: unavailable }, () => {
  it("a python3 with requests, httpx and aiohttp is at hand (.ci/run installs them)", () => {
    assert.ok("path" in python, "missing" in python ? python.missing : "");
  });

  const cases = [...pairs("fix-python", "py"), ...pairs("fix-shell", "sh")];
  it("every language has pairs to run", () => {
    assert.ok(cases.filter((c) => c.name.startsWith("fix-python/")).length >= 5);
    assert.ok(cases.filter((c) => c.name.startsWith("fix-shell/")).length >= 5);
  });

  // Inputs without a proxy (the extension is on loopback, which clients would send to it too), outputs with;
  // outputs that call wget once more with BusyBox's wget first on the PATH.
  const runs = new Map<string, PrivateNetworkResult>();
  const busyboxRuns = new Map<string, PrivateNetworkResult>();
  const wgetCases = cases.filter(({ output }) => /\bwget\b/.test(readFileSync(output, "utf8")));
  const bin = mkdtempSync(join(tmpdir(), "msi2imds-busybox-"));
  after(() => rmSync(bin, { recursive: true, force: true }));
  before(() => {
    if (busyboxHasWget)
      symlinkSync(spawnSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" }).stdout.trim(), join(bin, "wget"));
    const busyboxEnv = { PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}` };
    const jobs = cases.flatMap(({ input, output }) => [scriptJob(input, false), scriptJob(output, true)]);
    const busyboxJobs = busyboxHasWget ? wgetCases.map(({ output }) => scriptJob(output, true, busyboxEnv)) : [];
    runAllInPrivateNetwork([...jobs, ...busyboxJobs]).forEach((result, i) => {
      if (i < jobs.length) runs.set(jobs[i]!.args[0]!, result);
      else busyboxRuns.set(busyboxJobs[i - jobs.length]!.args[0]!, result);
    });
  });

  it("BusyBox's wget is at hand, and some outputs call wget", () => {
    assert.ok(busyboxHasWget, "busybox with its wget applet (.ci/run installs it)");
    assert.ok(wgetCases.length >= 3);
  });

  for (const { name, output } of wgetCases) {
    it(`${name}: under BusyBox's wget too, from IMDS past a proxy`, () => {
      const asked = tokensFrom(busyboxRuns.get(output)!, "imds");
      assert.deepEqual(asked, tokensFrom(runs.get(output)!, "imds"), "what GNU wget's run asked");
    });
  }

  for (const { name, input, output } of cases) {
    it(`${name}: the extension's tokens before, the same from IMDS after, past a proxy`, () => {
      const asked = tokensFrom(runs.get(output)!, "imds");
      assert.deepEqual(
        asked,
        tokensFrom(runs.get(input)!, "extension"),
        "the output asks IMDS for the same resources and identities",
      );
    });
  }
});
