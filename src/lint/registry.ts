import type { FileRule } from "../core/rule.js";
import noExtensionEndpoint from "../../rules/no-extension-endpoint.js";
import noExtensionEndpointText from "../../rules/no-extension-endpoint-text.js";
import noLegacyMsiSdk from "../../rules/no-legacy-msi-sdk.js";
import noExtensionDeployment from "../../rules/no-extension-deployment.js";
import imdsRequestShape from "../../rules/imds-request-shape.js";

// The file rules lint runs. Fleet rules (scan) live in rules/ too but are not loaded here; the meta-test
// checks that every file rule in rules/ is listed.

export const FILE_RULES: readonly FileRule[] = [
  noExtensionEndpoint,
  noExtensionEndpointText,
  noLegacyMsiSdk,
  noExtensionDeployment,
  imdsRequestShape,
];
