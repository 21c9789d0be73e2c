import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FleetRule } from "../src/core/rule.js";
import { createRule } from "./support/create-rule.js";
import { isManagedIdentityExtension } from "../src/imds.js";

// Fleet rule: a VM or scale set still carries the Managed Identity VM extension. The ARM engine applies
// matches() to each extension it reads; the Resource Graph engine sends the KQL kept beside this file.

const QUERY_FILE = "vm-extension-installed.kql";

/** Beside this file when run from source, in <package>/rules/ when run from dist/rules/. */
function queryPath(): string {
  const candidates = [
    new URL(`./${QUERY_FILE}`, import.meta.url),
    new URL(`../../rules/${QUERY_FILE}`, import.meta.url),
  ];
  const found = candidates.map((url) => fileURLToPath(url)).find((path) => existsSync(path));
  if (!found) throw new Error(`rules/${QUERY_FILE} is missing from the package`);
  return found;
}

let cachedQuery: string | undefined;

export default createRule<FleetRule>({
  kind: "fleet",
  meta: {
    id: "vm-extension-installed",
    description:
      "A virtual machine or scale set still has the deprecated Managed Identity VM extension installed; " +
      "remove it once the machine's code uses IMDS.",
    severity: "error",
    fixable: false,
    messages: {
      installed:
        "{{kind}} {{name}} still has the Managed Identity VM extension {{extension}} ({{type}}, port {{port}}). " +
        "{{action}}",
    },
  },
  query() {
    cachedQuery ??= readFileSync(queryPath(), "utf8");
    return cachedQuery;
  },
  matches(extension) {
    return isManagedIdentityExtension(extension.publisher, extension.type);
  },
});
