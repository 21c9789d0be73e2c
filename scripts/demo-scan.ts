// `npm run demo:scan [-- scan options]`: a fleet scan without an Azure account. Starts the HTTPS ARM
// emulator with fixtures/fleets/sample.json and a fake IMDS, then runs the built CLI against them:
//   npm run demo:scan -- --engine graph --format markdown
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { loadFleet } from "../test/emulator/fleet.js";
import { startScanEnvironment } from "../test/emulator/scan-environment.js";

const env = await startScanEnvironment({ fleet: loadFleet("sample"), pageSize: 2 });
try {
  const args = [resolve(import.meta.dirname, "../dist/src/cli.js"), ...env.scanArgs, ...process.argv.slice(2)];
  process.stderr.write(
    `ARM emulator on ${env.arm.url}, fake IMDS on ${env.imds.url}\n$ msi2imds ${args.slice(1).join(" ")}\n\n`,
  );
  const code = await new Promise<number | null>((done) =>
    spawn(process.execPath, args, { env: env.env, stdio: "inherit" }).on("close", done),
  );
  const routes = new Map<string, number>();
  for (const request of env.arm.requests)
    routes.set(request.route ?? "(none)", (routes.get(request.route ?? "(none)") ?? 0) + 1);
  process.stderr.write(
    `\nexit code ${code}; the emulator served ${env.arm.requests.length} requests: ` +
      `${[...routes].map(([r, n]) => `${r} ×${n}`).join(", ")}\n`,
  );
  // Findings (exit 1) are the point of the demo; only a broken scan fails it.
  process.exitCode = code === 0 || code === 1 ? 0 : 2;
} finally {
  await env.close();
}
