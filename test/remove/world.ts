import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { ArmEmulator, LoggedRequest } from "../emulator/arm-emulator.js";
import {
  scaleSetId,
  virtualMachineId,
  type Fleet,
  type FleetExtension,
  type FleetScaleSet,
  type FleetVirtualMachine,
} from "../emulator/fleet.js";
import { RemovalEmulator, type RemovalRouteOptions } from "../emulator/removal.js";
import { startScanEnvironment, type CliResult, type ScanEnvironment } from "../emulator/scan-environment.js";

// One test's world: the scan's emulator environment (HTTPS ARM emulator, fake IMDS for the CLI's
// ManagedIdentityCredential) with the removal routes, a temp dir for reports, and the spawned `msi2imds remove`.

export const SUBSCRIPTION = "00000000-0000-4000-8000-0000000000aa";
const CLI = resolve(import.meta.dirname, "../../dist/src/cli.js");

export const miExtension = (name = "ManagedIdentityExtensionForLinux"): FleetExtension => ({
  name,
  publisher: "Microsoft.ManagedIdentity",
  type: "ManagedIdentityExtensionForLinux",
  typeHandlerVersion: "1.0",
  settings: { port: 50342 },
});
const monitor = (): FleetExtension => ({
  name: "AzureMonitorLinuxAgent",
  publisher: "Microsoft.Azure.Monitor",
  type: "AzureMonitorLinuxAgent",
});

export function vm(name: string, identity = "SystemAssigned", extension = miExtension()): FleetVirtualMachine {
  return {
    name,
    resourceGroup: "rg-apps",
    location: "westeurope",
    osType: "Linux",
    identity: { type: identity },
    extensions: [monitor(), extension],
  };
}

export function scaleSet(name: string, upgradePolicy: FleetScaleSet["upgradePolicy"]): FleetScaleSet {
  return {
    name,
    resourceGroup: "rg-apps",
    location: "westeurope",
    osType: "Linux",
    identity: { type: "SystemAssigned" },
    orchestrationMode: "Uniform",
    upgradePolicy,
    extensions: [monitor(), miExtension()],
  };
}

export function fleetOf(vms: FleetVirtualMachine[], scaleSets: FleetScaleSet[] = []): Fleet {
  return {
    subscriptions: [
      { subscriptionId: SUBSCRIPTION, displayName: "Removal", state: "Enabled", virtualMachines: vms, scaleSets },
    ],
  };
}

export const vmId = (name: string) => virtualMachineId(SUBSCRIPTION, { resourceGroup: "rg-apps", name });
export const vmssId = (name: string) => scaleSetId(SUBSCRIPTION, { resourceGroup: "rg-apps", name });
export const extensionId = (machineId: string, name = "ManagedIdentityExtensionForLinux") =>
  `${machineId}/extensions/${name}`;

/** A scan report as `msi2imds scan --format json` writes it, for the machines named. */
export function scanReport(
  engine: "arm" | "graph",
  machines: { id: string; kind: "virtualMachine" | "virtualMachineScaleSet"; identity?: string; extension?: string }[],
): unknown {
  return {
    tool: { name: "msi2imds", version: "0.1.0" },
    engine,
    scannedAt: "2026-11-29T00:00:00.000Z",
    summary: { subscriptions: 1, virtualMachines: machines.length, scaleSets: 0, findings: machines.length, errors: 0 },
    findings: machines.map((m) => ({
      resourceId: m.id,
      subscriptionId: SUBSCRIPTION,
      resourceGroup: "rg-apps",
      kind: m.kind,
      name: m.id.split("/").pop(),
      location: "westeurope",
      osType: "Linux",
      extension: {
        name: m.extension ?? "ManagedIdentityExtensionForLinux",
        type: "ManagedIdentityExtensionForLinux",
        publisher: "Microsoft.ManagedIdentity",
        typeHandlerVersion: "1.0",
        provisioningState: "Succeeded",
        port: 50342,
      },
      identity: { type: m.identity ?? "SystemAssigned", userAssignedIdentities: [] },
      recommendedAction: "Remove the extension.",
    })),
    errors: [],
  };
}

export interface World {
  /** The scan's emulator world (ARM emulator, fake IMDS, child environment) with the removal routes added. */
  environment: ScanEnvironment;
  arm: ArmEmulator;
  removal: RemovalEmulator;
  dir: string;
  /** Writes a scan report into the world's dir and returns its path. */
  report(json: unknown, name?: string): string;
  remove(args: readonly string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  /**
   * Runs the CLI on a pseudo-terminal (util-linux `script`), typing `input` at the y/N question; stdout and
   * stderr arrive mixed.
   */
  removeOnTerminal(args: readonly string[], input: string): Promise<CliResult>;
  /** Starts the CLI and hands back the child before it ends (for interruption tests). */
  start(args: readonly string[]): { child: ChildProcess; done: Promise<CliResult> };
  requests(method: string, pathIncludes?: string): LoggedRequest[];
  close(): Promise<void>;
}

export async function startWorld(fleet: Fleet, options: RemovalRouteOptions = {}): Promise<World> {
  const removal = new RemovalEmulator(options);
  const environment = await startScanEnvironment({ fleet, routes: removal.routes, readBucket: null });
  const { arm } = environment;
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-remove-"));
  const cli = (args: readonly string[]) => [
    process.execPath,
    CLI,
    "remove",
    "--auth",
    "managed-identity",
    "--arm-endpoint",
    arm.url,
    ...args,
  ];
  const start = (args: readonly string[], options: { terminalInput?: string; extraEnv?: NodeJS.ProcessEnv } = {}) => {
    const { terminalInput } = options;
    const [command, ...argv] =
      terminalInput === undefined ? cli(args) : ["script", "-qec", cli(args).map(shellQuote).join(" "), "/dev/null"];
    const env = { ...environment.env, ...options.extraEnv };
    const child = spawn(command!, argv, {
      cwd: dir,
      env,
      stdio: [terminalInput === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      // Typed only once the question is up, as a person would: the prompt has the terminal in raw mode by then.
      if (terminalInput !== undefined && stdout.includes("[y/N]") && child.stdin!.writable)
        child.stdin!.end(terminalInput);
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const done = new Promise<CliResult>((resolveRun, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolveRun({ code, stdout, stderr }));
    });
    return { child, done };
  };
  return {
    environment,
    arm,
    removal,
    dir,
    report(json, name = "report.json") {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(json));
      return path;
    },
    remove: (args, extraEnv) => start(args, { extraEnv }).done,
    removeOnTerminal: (args, input) => start(args, { terminalInput: input }).done,
    start: (args) => start(args),
    requests: (method, pathIncludes = "") =>
      arm.requests.filter((r) => r.method === method && r.path.toLowerCase().includes(pathIncludes.toLowerCase())),
    async close() {
      await environment.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits (bounded) until `ready` holds; throws when it never does. */
export async function until(ready: () => boolean, what: string, attempts = 400): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (ready()) return;
    await sleep(25);
  }
  throw new Error(`gave up waiting for ${what}`);
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}
