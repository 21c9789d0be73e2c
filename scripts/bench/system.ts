import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

// Command-line tools the benchmark needs from the system, installed from apt on demand when missing.

const APT_TIMEOUT_MS = 300_000;
let aptUpdated = false;

/** Returns undefined when `command` is there (after installing `aptPackage` if needed), else why not. */
export function ensureAptCommand(command: string, aptPackage: string, log: (line: string) => void): string | undefined {
  if (isOnPath(command)) return undefined;
  log(`${command} is missing: installing the apt package ${aptPackage}`);
  const run = (args: string[]) =>
    spawnSync("apt-get", args, {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: APT_TIMEOUT_MS,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  if (!aptUpdated) {
    aptUpdated = true;
    run(["update", "-qq"]);
  }
  const result = run(["install", "-y", "-qq", aptPackage]);
  if (isOnPath(command)) return undefined;
  const why = result.error?.message ?? result.stderr?.toString().trim().split("\n").pop() ?? `exit ${result.status}`;
  return `${command} not available (apt-get install ${aptPackage}: ${why})`;
}

function isOnPath(command: string): boolean {
  if (command.includes("/")) return existsSync(command);
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}
