// Runs inside `unshare -rn` (a private network namespace where this process is root): brings up loopback,
// gives it 169.254.169.254, starts the fake IMDS there on port 80 and the fake extension on 127.0.0.1:50342 and
// :50343, and a proxy on 127.0.0.1:3128 that forwards nothing; then runs each job's command in turn and writes
// what every fake saw during each to the result file. Nothing outside the namespace is reachable, so a client
// that goes elsewhere fails.
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { startFakeIdentityEndpoint } from "./identity-endpoint.js";
import {
  DEFAULT_JOB_TIMEOUT_MS,
  type PrivateNetworkBatch,
  type PrivateNetworkJob,
  type PrivateNetworkResult,
} from "./private-network.js";

const batch = JSON.parse(process.env.PRIVATE_NETWORK_JOBS ?? "{}") as PrivateNetworkBatch;

for (const args of [
  ["link", "set", "lo", "up"],
  ["addr", "add", "169.254.169.254/32", "dev", "lo"],
]) {
  const ip = spawnSync("ip", args, { encoding: "utf8" });
  if (ip.status !== 0) throw new Error(`ip ${args.join(" ")}: ${ip.stderr}`);
}

const imds = await startFakeIdentityEndpoint({ kind: "imds", host: "169.254.169.254", port: 80 });
const extensions = await Promise.all(
  [50342, 50343].map((port) => startFakeIdentityEndpoint({ kind: "extension", host: "127.0.0.1", port })),
);
const proxied: PrivateNetworkResult["proxied"] = [];
const proxy = createServer((request, response) => {
  proxied.push({ method: request.method ?? "", url: request.url ?? "" });
  response.writeHead(502).end("the test proxy forwards nothing");
});
proxy.on("connect", (request, socket) => {
  proxied.push({ method: "CONNECT", url: request.url ?? "" });
  socket.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
});
await new Promise<void>((resolve) => proxy.listen(3128, "127.0.0.1", resolve));

const PROXY = "http://127.0.0.1:3128";
const results: PrivateNetworkResult[] = [];
for (const job of batch.jobs) {
  const seen = {
    imds: imds.requests.length,
    extension: extensions.map((e) => e.requests.length),
    proxied: proxied.length,
  };
  const child = await run(job);
  results.push({
    ...child,
    imds: imds.requests.slice(seen.imds),
    extension: extensions.flatMap((e, i) => e.requests.slice(seen.extension[i])),
    proxied: proxied.slice(seen.proxied),
  });
}
writeFileSync(batch.resultFile, JSON.stringify(results));
await Promise.all([imds.close(), ...extensions.map((e) => e.close())]);
proxy.close();

/** Asynchronous, so that the fakes in this process go on answering while the command runs. */
function run(job: PrivateNetworkJob): Promise<Pick<PrivateNetworkResult, "status" | "stdout" | "stderr">> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    LANG: "C.UTF-8",
    ...(job.proxy
      ? {
          http_proxy: PROXY,
          HTTP_PROXY: PROXY,
          https_proxy: PROXY,
          HTTPS_PROXY: PROXY,
          all_proxy: PROXY,
          ALL_PROXY: PROXY,
        }
      : {}),
    ...job.env,
  };
  return new Promise((resolve) => {
    const child = spawn(job.command, job.args, { cwd: job.cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), job.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS);
    child.on("error", (error) => {
      stderr += `${error.message}\n`;
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(job.stdin ?? "");
  });
}
