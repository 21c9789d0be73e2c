import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import ajvDraft04 from "ajv-draft-04";

// SARIF 2.1.0's JSON schema, as @microsoft/jest-sarif ships it: every SARIF log a test sees is checked.

const SARIF_SCHEMA = resolve(
  import.meta.dirname,
  "../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
);

type Validate = ReturnType<InstanceType<typeof ajvDraft04.default>["compile"]>;
let compiled: Validate | undefined;

/** The schema's validator, compiled at the first use: compiling it costs more than most checks it makes. */
function sarifValidator(): Validate {
  if (!compiled) {
    // The schema is draft-04, and one of its patterns is not valid with the u flag.
    const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
    compiled = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, "utf8")) as object);
  }
  return compiled;
}

export function validateSarif(log: unknown): void {
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
}
