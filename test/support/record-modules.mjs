// Loaded with `node --import` into a spawned CLI: records every module the process loads, on its main
// thread, to the file named by MSI2IMDS_MODULES_OUT. ES modules are seen by a resolve hook; CommonJS ones
// (TypeScript's bundle among them) are read from require's cache at exit.
import { writeFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const out = process.env.MSI2IMDS_MODULES_OUT;
if (out) {
  writeFileSync(out, "");
  register("./record-modules-hooks.mjs", import.meta.url, { data: { out } });
  const cache = createRequire(import.meta.url).cache;
  process.on("exit", () => writeFileSync(out, `${Object.keys(cache).join("\n")}\n`, { flag: "a" }));
}
