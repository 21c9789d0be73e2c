import { ruleCreator } from "../../src/core/rule.js";

// Every rule is made with this: its docs URL is its doc's page in the repository (package.json's homepage;
// a test keeps the two the same).

export const RULE_DOCS_BASE = "https://github.com/msi2imds/msi2imds/blob/main/rules";

export const createRule = ruleCreator((id) => `${RULE_DOCS_BASE}/${id}.md`);
