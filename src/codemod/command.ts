import { Command } from "commander";

// Placeholder until the fix job lands: declares the command so the CLI's shape is settled.
export function fixCommand(): Command {
  return new Command("fix").description("(not built yet)").action(() => {
    throw new Error("msi2imds fix is not built yet");
  });
}
