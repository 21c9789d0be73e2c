import { Command } from "commander";

// Placeholder until the scan job lands: declares the command so the CLI's shape is settled.
export function scanCommand(): Command {
  return new Command("scan").description("(not built yet)").action(() => {
    throw new Error("msi2imds scan is not built yet");
  });
}
