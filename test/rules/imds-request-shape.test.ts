import { testRuleFixtures } from "./rule-tester.js";

testRuleFixtures("imds-request-shape");
