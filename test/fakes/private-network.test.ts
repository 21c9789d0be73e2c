import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { privateNetworkUnavailable, runInPrivateNetwork } from "./private-network.js";

// The harness that runs other languages' code against the fakes must itself be strict: the real endpoints'
// rules hold, a proxy in the environment is used by clients that do not bypass it, and nothing else answers.

const unavailable = privateNetworkUnavailable();

describe("private network for scripts", { skip: unavailable }, () => {
  it("curl reaches the fake extension (POST form) and the strict IMDS (GET, api-version, Metadata)", () => {
    const run = runInPrivateNetwork({
      command: "sh",
      args: [
        "-c",
        [
          "curl -s http://localhost:50342/oauth2/token --data 'resource=https://vault.azure.net' -H Metadata:true",
          "echo",
          "curl -s --noproxy '*' -G http://169.254.169.254/metadata/identity/oauth2/token" +
            " --data-urlencode api-version=2018-02-01 --data-urlencode resource=https://vault.azure.net -H Metadata:true",
        ].join("; "),
      ],
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.extension.length, 1);
    assert.equal(run.extension[0]!.status, 200);
    assert.equal(run.imds.length, 1);
    assert.deepEqual(
      [run.imds[0]!.method, run.imds[0]!.status, run.imds[0]!.tokenRequest?.resource],
      ["GET", 200, "https://vault.azure.net"],
    );
    assert.match(run.stdout, /"access_token":"fake-extension-[0-9a-f]+".*\n.*"access_token":"fake-imds-[0-9a-f]+"/s);
  });

  it("IMDS refuses a POST and a request without Metadata; the proxy gets what does not bypass it", () => {
    const run = runInPrivateNetwork({
      command: "sh",
      args: [
        "-c",
        "curl -s --noproxy '*' -X POST 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r' -H Metadata:true;" +
          "curl -s --noproxy '*' 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r';" +
          "curl -s 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r' -H Metadata:true",
      ],
      proxy: true,
    });
    assert.deepEqual(
      run.imds.map((r) => [r.method, r.status, r.error]),
      [
        ["POST", 405, "method_not_allowed"],
        ["GET", 400, "bad_request"],
      ],
    );
    assert.deepEqual(run.proxied, [
      { method: "GET", url: "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=r" },
    ]);
  });

  it("nothing outside the namespace answers", () => {
    const run = runInPrivateNetwork({ command: "curl", args: ["-s", "-m", "3", "http://93.184.216.34/"] });
    assert.notEqual(run.status, 0);
    assert.deepEqual([run.imds, run.extension, run.proxied], [[], [], []]);
  });
});
