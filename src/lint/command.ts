import { Command } from "commander";

// Placeholder until the lint job lands: declares the command so the CLI's shape is settled.
export function lintCommand(): Command {
  return new Command("lint").description("(not built yet)").action(() => {
    throw new Error("msi2imds lint is not built yet");
  });
}
