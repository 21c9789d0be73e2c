import { testRuleFixtures } from "./rule-tester.js";

testRuleFixtures("no-legacy-msi-sdk");
