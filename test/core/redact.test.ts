import assert from "node:assert/strict";
import { test } from "node:test";
import { redactSecrets, rememberSecret } from "../../src/core/redact.js";

// One redaction for every message taken from a response: what looks like a credential, and what this
// process knows to be one, never reaches an output.

const JWT =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJlLXBhcnQ";

test("bearer tokens, JWTs, Authorization values and client secrets are redacted; the rest is kept", () => {
  const cases: [string, string][] = [
    [`The request had Authorization: Bearer abc.def-123_456 here`, "The request had Authorization: [redacted]"],
    [`{"authorization":"Basic dXNlcjpwYXNzd29yZA=="}`, `{"authorization":"[redacted]"}`],
    [`token ${JWT} expired`, "token [redacted] expired"],
    [`sent bearer 0123456789abcdef to it`, "sent bearer [redacted] to it"],
    [`body client_secret=s3cr3t-value&grant_type=x`, "body client_secret=[redacted]&grant_type=x"],
    [
      `{"access_token": "opaque-value-1234", "expires_in": "3599"}`,
      `{"access_token": "[redacted]", "expires_in": "3599"}`,
    ],
    [`secret abc8Q~Zx0aBcDeFgHiJkLmNoPqRsTuVwXyZ01234 leaked`, "secret [redacted] leaked"],
    ["Scripted fault 500: The resource group 'rg-web' could not be found.", "unchanged"],
  ];
  for (const [input, expected] of cases)
    assert.equal(redactSecrets(input), expected === "unchanged" ? input : expected, input);
});

test("a secret this process holds is redacted wherever it turns up, whatever its shape", () => {
  rememberSecret("fake-imds-0123456789abcdef01234567");
  assert.equal(
    redactSecrets("the token fake-imds-0123456789abcdef01234567 is not valid"),
    "the token [redacted] is not valid",
  );
});
