import { Command } from "commander";

// Placeholder until the remove job lands: declares the command so the CLI's shape is settled.
export function removeCommand(): Command {
  return new Command("remove").description("(not built yet)").action(() => {
    throw new Error("msi2imds remove is not built yet");
  });
}
