import { test } from "node:test";
import assert from "node:assert/strict";
import { coveringSubstrings, requiredAnchors } from "../../src/files/literal-anchors.js";
import { createPrefilter, escapeRegExp, standaloneNumber, standaloneWord } from "../../src/files/prefilter.js";

test("required anchors: lookarounds, optional parts, quantifiers, classes and escapes end a literal run", () => {
  assert.deepEqual(requiredAnchors(standaloneNumber(50342)), ["50342"]);
  assert.deepEqual(requiredAnchors(standaloneWord("loginWithVmMSI")), ["loginWithVmMSI"]);
  assert.deepEqual(requiredAnchors(String.raw`(?:https?://)?169\.254\.169\.254/metadata`), ["169.254.169.254/metadata"]);
  assert.deepEqual(requiredAnchors(String.raw`(?:localhost|127\.0\.0\.1):[^\s/]{1,60}/oauth2/token`), ["/oauth2/token"]);
  assert.deepEqual(requiredAnchors(String.raw`get_msi_token\s*\(`), ["get_msi_token"]);
  // The character before ? * or {n,m} may be absent, so it is not part of the run.
  assert.deepEqual(requiredAnchors("colou?red"), ["colo"]);
  assert.deepEqual(requiredAnchors("abcd{2,3}efg"), ["abc"]);
  assert.deepEqual(requiredAnchors("abx+yz"), ["abx"]);
  assert.deepEqual(requiredAnchors(String.raw`ab\x41cdef`), ["cdef"]);
  // Top-level alternatives each need their own anchor.
  assert.deepEqual(requiredAnchors("alpha|beta"), ["alpha", "beta"]);
  assert.equal(requiredAnchors("alpha|b"), undefined);
  assert.equal(requiredAnchors(String.raw`\d+\.\d+`), undefined);
  assert.equal(requiredAnchors("(?:foo)bar?"), undefined);
});

test("covering substrings: whole words shared by the most anchors, never a fragment across words", () => {
  const anchors = ["MSIVmTokenCredentials", "loginWithVmMSI", "--msi", "50342", "50343", "Microsoft.ManagedIdentity", "ManagedIdentity-Settings"];
  const covers = coveringSubstrings(anchors);
  assert.deepEqual(covers, ["msi", "managedidentity", "50342", "50343"]);
  for (const anchor of anchors) assert.ok(covers.some((c) => anchor.toLowerCase().includes(c)), anchor);
  // "denti" sits in both "credentials" and "identity", but on no word boundary.
  assert.deepEqual(coveringSubstrings(["MSICredentials", "ManagedIdentity", "loginWithVmMSI"]), ["msi", "managedidentity"]);
  // A lone common word ("identity", "token") is never a cover, however many anchors share it.
  assert.deepEqual(
    coveringSubstrings(["ManagedIdentity-Settings", "Microsoft.ManagedIdentity", "169.254.169.254/metadata/identity/oauth2/token", "/oauth2/token", "get_msi_token"]),
    ["managedidentity", "/oauth2/token", "get_msi_token"],
  );
});

const PATTERNS = [
  standaloneNumber(50342),
  standaloneNumber(50343),
  escapeRegExp("/oauth2/token"),
  standaloneWord("MSIVmTokenCredentials"),
  String.raw`(?:localhost|127\.0\.0\.1):[^\s/]{1,60}/oauth2/token`,
  String.raw`get_msi_token\s*\(`,
  String.raw`--msi\b`,
  String.raw`Microsoft\.ManagedIdentity(?![\w.])`,
];

const SAMPLES = [
  "",
  "const port = 50342;",
  "id: 50342878",
  "x = 150343",
  "fetch('http://LOCALHOST:9/OAuth2/Token')",
  "new msivmtokencredentials()",
  "new MSIVmTokenCredentialsX()",
  "token = get_msi_token  (resource)",
  "get_msi_token = 1",
  "az vm identity --MSI",
  "az vm --msix",
  '"publisher": "microsoft.managedidentity"',
  '"publisher": "Microsoft.ManagedIdentity.Extra"',
  "msi managedidentity oauth2 5034 — anchors alone, no full match",
  "caf\u00e9 50342",
  "an msi note, then the publisher Microsoft.ManagedIdentity",
  "50342878 and then get_msi_token(r)",
  // The anchor found from the cover's occurrences: at the very start, in other case, after decoy occurrences,
  // with the cover twice in one anchor, and with the cover at the anchor's end.
  "MSIVMTOKENCREDENTIALS()",
  "msi msimsi kMSI: new MSIVmTokenCredentials()",
  "x.msivm(); y = GET_MSI_TOKEN(r)",
  "loginWithVmMSI",
  "--msi",
  "msivmtokencredential",
  `${"msi ".repeat(2000)}--msi`,
];

test("an anchor is found from the cover's occurrences wherever the cover sits in it", () => {
  const prefilter = createPrefilter([standaloneWord("loginWithVmMSI"), standaloneWord("MSIMSIToken")]);
  assert.equal(prefilter(Buffer.from("await loginwithvmmsi(x)")), true);
  assert.equal(prefilter(Buffer.from("new MsiMsiToken()")), true);
  assert.equal(prefilter(Buffer.from("msi, msimsi, login with vm msi")), false);
});

test("the prefilter answers exactly as the combined case-insensitive expression", () => {
  const combined = new RegExp(PATTERNS.map((p) => `(?:${p})`).join("|"), "i");
  const prefilter = createPrefilter(PATTERNS);
  for (const sample of SAMPLES) {
    const bytes = Buffer.from(sample, "utf8");
    assert.equal(prefilter(bytes), combined.test(bytes.toString("latin1")), sample);
  }
  assert.equal(prefilter(Buffer.from("id: 50342878")), false);
  assert.equal(prefilter(Buffer.from("const port = 50342;")), true);
});

test("a pattern without a usable anchor still works: the expression runs on every file", () => {
  const prefilter = createPrefilter([String.raw`\d{3}-\d{4}`, standaloneNumber(50342)]);
  assert.equal(prefilter(Buffer.from("call 555-1234")), true);
  assert.equal(prefilter(Buffer.from("port 50342")), true);
  assert.equal(prefilter(Buffer.from("nothing here")), false);
});
