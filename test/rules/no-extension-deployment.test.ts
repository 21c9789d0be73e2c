import { testRuleFixtures } from "./rule-tester.js";

testRuleFixtures("no-extension-deployment");
