// `npm run demo:scan`: the whole fleet job without an Azure account, on the HTTPS ARM emulator holding
// fixtures/fleets/sample.json and a fake IMDS: scan, the removal plan, the removal, and a scan again that
// finds nothing left. The CLI runs from its sources through tsx, so nothing needs building first.
//   npm run demo:scan -- --engine graph     (extra options go to every scan and remove)
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { loadFleet } from "../test/emulator/fleet.js";
import { RemovalEmulator } from "../test/emulator/removal.js";
import { startScanEnvironment } from "../test/emulator/scan-environment.js";

const CLI = resolve(import.meta.dirname, "../src/cli.ts");
const extra = process.argv.slice(2);

const removal = new RemovalEmulator();
const env = await startScanEnvironment({ fleet: loadFleet("sample"), pageSize: 2, routes: removal.routes });
// Where the fleet is and who signs in; the scan's own --retry-delay-ms is for scan only.
const fleetArgs = ["--auth", "managed-identity", "--arm-endpoint", env.arm.url];

/** One step of the walk: the command as a person would type it, then the command itself. */
async function step(title: string, args: string[]): Promise<number | null> {
  process.stderr.write(`\n── ${title}\n$ msi2imds ${args.join(" ")}\n\n`);
  return new Promise((done) =>
    spawn(process.execPath, ["--import", "tsx", CLI, ...args], { env: env.env, stdio: "inherit" }).on("close", done),
  );
}

try {
  process.stderr.write(`ARM emulator on ${env.arm.url}, fake IMDS on ${env.imds.url}\n`);
  const codes = [
    await step("1. scan: every machine that still has the extension", env.scanArgs.concat(extra)),
    await step("2. remove without --yes: the plan, nothing changed", ["remove", ...fleetArgs, ...extra]),
    await step("3. remove --yes: machines without an identity too (--force), scale sets upgraded", [
      "remove",
      ...fleetArgs,
      "--yes",
      "--force",
      "--upgrade-instances",
      "--poll-interval",
      "50",
      ...extra,
    ]),
    await step("4. scan again: nothing left", env.scanArgs.concat(extra)),
  ];
  const deletes = env.arm.requests.filter((r) => r.method === "DELETE").length;
  process.stderr.write(
    `\nexit codes ${codes.join(", ")}; the emulator served ${env.arm.requests.length} requests, ${deletes} DELETEs\n`,
  );
  // Findings before (1), a plan not applied (1), everything removed (0), a clean fleet (0): anything else fails.
  process.exitCode = codes.join() === "1,1,0,0" ? 0 : 2;
} finally {
  await env.close();
}
