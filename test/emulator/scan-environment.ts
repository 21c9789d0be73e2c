import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { mintedToken, startFakeIdentityEndpoint, type FakeIdentityEndpoint } from "../fakes/identity-endpoint.js";
import { startArmEmulator, type ArmEmulator, type ArmEmulatorOptions } from "./arm-emulator.js";

// A scan's whole world without Azure: the ARM emulator plus a fake IMDS from which the real
// ManagedIdentityCredential gets the only token the emulator accepts. Used by the tests, the demo and
// the benchmark; `cli()` runs the built CLI against it in a child process.

export const ARM_RESOURCE = "https://management.azure.com";
const CLI = resolve(import.meta.dirname, "../../dist/src/cli.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ScanEnvironment {
  arm: ArmEmulator;
  imds: FakeIdentityEndpoint;
  /** The bearer token the emulator accepts: never to appear in any output. */
  token: string;
  /** Environment for a spawned CLI: trusts the emulator's CA, finds the fake IMDS, no proxy. */
  env: NodeJS.ProcessEnv;
  /** `scan` arguments that point at the emulator with managed-identity auth and short retry delays. */
  scanArgs: string[];
  cli(args: readonly string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  close(): Promise<void>;
}

function childEnv(arm: ArmEmulator, imds: FakeIdentityEndpoint): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(AZURE_|IDENTITY_|MSI_|IMDS_)/.test(name) || /^(https?|all)_proxy$/i.test(name)) delete env[name];
  }
  return {
    ...env,
    NODE_EXTRA_CA_CERTS: arm.caPath,
    AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
}

export function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export async function startScanEnvironment(options: ArmEmulatorOptions): Promise<ScanEnvironment> {
  const token = mintedToken("imds", ARM_RESOURCE);
  const imds = await startFakeIdentityEndpoint({ kind: "imds" });
  const arm = await startArmEmulator({ acceptToken: (t) => t === token, ...options });
  const env = childEnv(arm, imds);
  return {
    arm,
    imds,
    token,
    env,
    scanArgs: ["scan", "--auth", "managed-identity", "--arm-endpoint", arm.url, "--retry-delay-ms", "10"],
    cli: (args, extraEnv = {}) => runNode([CLI, ...args], { ...env, ...extraEnv }),
    async close() {
      await arm.close();
      await imds.close();
    },
  };
}
