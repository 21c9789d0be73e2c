import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import ajvDraft04 from "ajv-draft-04";

// SARIF 2.1.0's JSON schema, as @microsoft/jest-sarif ships it: every SARIF log a test sees is checked.

const SARIF_SCHEMA = resolve(
  import.meta.dirname,
  "../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
);

export function validateSarif(log: unknown): void {
  // The schema is draft-04, and one of its patterns is not valid with the u flag.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
  const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, "utf8")) as object);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
}
