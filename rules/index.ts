import type { FileRule, FleetRule, Rule } from "../src/core/rule.js";
import imdsRequestShape from "./imds-request-shape.js";
import noExtensionDeployment from "./no-extension-deployment.js";
import noExtensionEndpoint from "./no-extension-endpoint.js";
import noExtensionEndpointText from "./no-extension-endpoint-text.js";
import noLegacyMsiSdk from "./no-legacy-msi-sdk.js";
import vmExtensionInstalled from "./vm-extension-installed.js";

// The rules, one per file beside this one: lint runs the file rules, scan the fleet rule. The meta-test
// checks that every rule file in rules/ is listed here and nothing else.

export const FILE_RULES: readonly FileRule[] = [
  noExtensionEndpoint,
  noExtensionEndpointText,
  noLegacyMsiSdk,
  noExtensionDeployment,
  imdsRequestShape,
];

export const FLEET_RULES: readonly FleetRule[] = [vmExtensionInstalled];

export const ALL_RULES: readonly Rule[] = [...FILE_RULES, ...FLEET_RULES].sort((a, b) =>
  a.meta.id < b.meta.id ? -1 : 1,
);
