import { test } from "node:test";
import assert from "node:assert/strict";
import { matchReach, requiredAnchors } from "../../src/pipeline/literal-anchors.js";
import { createPrefilter } from "../../src/pipeline/prefilter.js";
import { escapeRegExp, standaloneNumber, standaloneWord } from "../../src/core/patterns.js";
import { EXTENSION_URL_PREFILTER } from "../../rules/support/endpoint-patterns.js";

test("required anchors: lookarounds, optional parts, quantifiers, classes and escapes end a literal run", () => {
  assert.deepEqual(requiredAnchors(standaloneNumber(50342)), ["50342"]);
  assert.deepEqual(requiredAnchors(standaloneWord("loginWithVmMSI")), ["loginWithVmMSI"]);
  assert.deepEqual(requiredAnchors(String.raw`(?:https?://)?169\.254\.169\.254/metadata`), [
    "169.254.169.254/metadata",
  ]);
  assert.deepEqual(requiredAnchors(String.raw`(?:localhost|127\.0\.0\.1):[^\s/]{1,60}/oauth2/token`), [
    "/oauth2/token",
  ]);
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
  // Escapes skipped whole only when well formed; a lone \x or \u is a letter, and never a way into a group.
  assert.deepEqual(requiredAnchors(String.raw`abc\u{1F600}def`), ["abc"]);
  assert.deepEqual(requiredAnchors(String.raw`abc\k<name>defg`), ["defg"]);
  assert.equal(requiredAnchors(String.raw`\x(?:abcd)?`), undefined);
  assert.equal(requiredAnchors(String.raw`\u(?:ab}xyz)?`), undefined);
  assert.equal(requiredAnchors(String.raw`\k<(?:x>abc)?`), undefined);
  assert.equal(requiredAnchors("[[a-z]--[aeiou]]xyz", "v"), undefined);
  assert.deepEqual(requiredAnchors(String.raw`(?<é>x)\k<é>abc`), ["abc"], "a named backreference, whatever its name");
});

test("whatever its escapes and flags, a pattern's prefilter says yes wherever the pattern matches", () => {
  // Written with the RegExp constructor: as literals, TypeScript refuses the malformed escapes (legal
  // outside the u flag) and the v flag (ES2024) that these cases exist to try.
  const cases: [RegExp, string][] = [
    [new RegExp(String.raw`\x(?:abcd)?`), "x"],
    [new RegExp(String.raw`\u(?:ab}xyz)?`), "u"],
    [new RegExp(String.raw`\k<(?:x>abc)?`), "k<"],
    [new RegExp(String.raw`\p{L}xyz`), "p{L}xyz"],
    [/\p{L}xyz/u, "éxyz"],
    [new RegExp("[[a-z]--[aeiou]]xyz", "v"), "bxyz"],
    [/abc\x41def/, "abcAdef"],
    [/abc\u0041def/i, "ABCadef"],
  ];
  for (const [pattern, text] of cases) {
    assert.ok(pattern.test(text), `${pattern} matches ${text}`);
    assert.equal(createPrefilter([pattern])(Buffer.from(text, "latin1")), true, String(pattern));
  }
});

// What the rules give: URLs and publishers in any case, identifiers and switches in their own.
const PATTERNS = [
  new RegExp(standaloneNumber(50342)),
  new RegExp(standaloneNumber(50343)),
  new RegExp(`(?<!/metadata/identity/)${escapeRegExp("oauth2/token")}`, "i"),
  new RegExp(String.raw`(?:https?://)?169\.254\.169\.254/metadata/identity/oauth2/token`, "i"),
  new RegExp(String.raw`(?:localhost|127\.0\.0\.1):[^\s/]{1,60}/oauth2/token`, "i"),
  new RegExp(standaloneWord("MSIVmTokenCredentials")),
  new RegExp(standaloneWord("loginWithVmMSI")),
  /get_msi_token\s*\(/,
  /--msi\b/,
  /ManagedIdentity-Settings/,
  /Microsoft\.ManagedIdentity(?![\w.])/i,
];

const SAMPLES = [
  "",
  "const port = 50342;",
  "id: 50342878",
  "x = 150343",
  "fetch('http://LOCALHOST:9/OAuth2/Token')",
  "GET /metadata/identity/oauth2/token",
  "GET /metadata/identity/oauth2/token then oauth2/token",
  "GET HTTP://169.254.169.254/METADATA/IDENTITY/OAUTH2/TOKEN",
  "oauth2/toke",
  "2/token",
  "auth2/token oauth2/tokeN",
  "new msivmtokencredentials()",
  "new MSIVmTokenCredentials()",
  "new MSIVmTokenCredentialsX()",
  "token = get_msi_token  (resource)",
  "token = GET_MSI_TOKEN(resource)",
  "get_msi_token = 1",
  "az vm identity --MSI",
  "az login --msi",
  "az vm --msix",
  '"publisher": "microsoft.managedidentity"',
  '"publisher": "Microsoft.ManagedIdentity.Extra"',
  "managedidentity-settings",
  "msi managedidentity oauth2 5034 — anchors alone, no full match",
  "caf\u00e9 50342",
  "an msi note, then the publisher Microsoft.ManagedIdentity",
  "50342878 and then get_msi_token(r)",
  "MSI MSIVm VmMSI loginWithVmMSI",
  "loginWithVmMSI",
  "--msi",
  `${"msi ".repeat(2000)}--msi`,
  `${"2/ ".repeat(2000)}oauth2/token`,
];

const matchesAny = (text: string) => PATTERNS.some((p) => p.test(text));

test("an anchor matched in any case is found from the cover's occurrences wherever the cover sits in it", () => {
  const prefilter = createPrefilter([
    new RegExp(standaloneWord("loginWithVmMSI"), "i"),
    new RegExp(standaloneWord("MSIMSIToken"), "i"),
  ]);
  assert.equal(prefilter(Buffer.from("await loginwithvmmsi(x)")), true);
  assert.equal(prefilter(Buffer.from("new MsiMsiToken()")), true);
  assert.equal(prefilter(Buffer.from("msi, msimsi, login with vm msi")), false);
});

test("the prefilter answers exactly as its patterns, each with its own flags", () => {
  const prefilter = createPrefilter(PATTERNS);
  for (const sample of SAMPLES) {
    const bytes = Buffer.from(sample, "utf8");
    assert.equal(prefilter(bytes), matchesAny(bytes.toString("latin1")), sample);
  }
  assert.equal(prefilter(Buffer.from("id: 50342878")), false);
  assert.equal(prefilter(Buffer.from("const port = 50342;")), true);
  assert.equal(
    prefilter(Buffer.from("new msivmtokencredentials()")),
    false,
    "an identifier counts in its own case only",
  );
  assert.equal(prefilter(Buffer.from("path: '/OAuth2/Token'")), true, "a URL path counts in any case");
});

test("the same answers on text made at random from anchors, their pieces, other cases and decoys", () => {
  // Pieces of anchors that only a lucky neighbour completes, a few whole ones, and decoys around them.
  const fragments = [
    "oauth",
    "2/",
    "token",
    "OAuth2",
    "/Token",
    "/metadata/identity/",
    "h2/t",
    "169.254.169.254/",
    "localhost:",
    "127.0.0.1:",
    "5034",
    "2",
    "3",
    "0",
    "9",
    "MSI",
    "Vm",
    "TokenCredentials",
    "msi",
    "loginWith",
    "VmMSI",
    "get_",
    "msi_token",
    "GET_MSI_TOKEN",
    "(",
    " ",
    "--",
    "--MSI",
    "x",
    "ManagedIdentity",
    "-Settings",
    "Microsoft.",
    "MICROSOFT.MANAGEDIDENTITY",
    ".",
    "_",
    "\u00e9",
    "\n",
    "oauth2/token",
    "50342",
    "MSIVmTokenCredentials",
    "--msi",
    // Longer than any pattern's reach: the windows around anchors are cut inside it.
    "_".repeat(3000),
  ];
  const prefilter = createPrefilter(PATTERNS);
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  let matched = 0;
  for (let round = 0; round < 20000; round++) {
    const text = Array.from({ length: 1 + random(6) }, () => fragments[random(fragments.length)]).join("");
    const bytes = Buffer.from(text, "utf8");
    const expected = matchesAny(bytes.toString("latin1"));
    if (expected) matched++;
    assert.equal(prefilter(bytes), expected, JSON.stringify(text));
  }
  assert.ok(matched > 2000 && matched < 18000, `both answers are exercised (${matched} of 20000 matched)`);
});

test("how far a match can read around its anchor: bounded without *, + and backreferences, else Infinity", () => {
  const word = standaloneWord("MSITokenProvider");
  assert.equal(matchReach(word), word.length);
  const url = String.raw`:\/\/[^/\s]{0,64}\/oauth2`;
  assert.equal(matchReach(url), url.length * 64);
  assert.equal(matchReach("a{2}(?:b{0,3}){1,2}c"), 20 * 2 * 3 * 2, "counts multiply, nested or not");
  const braces = String.raw`\{port\}/oauth2/token`;
  assert.equal(matchReach(braces), braces.length, "an escaped brace counts nothing");
  assert.equal(matchReach("[*+{}]x"), 7, "signs in a class are no quantifiers");
  for (const unbounded of ["a*b", "a+b", "a{2,}b", String.raw`(a)\1`, String.raw`(?<n>a)\k<n>`, "a{9999}{9999}"])
    assert.equal(matchReach(unbounded), Infinity, unbounded);
  assert.equal(matchReach("abc", "v"), Infinity, "the v flag's classes are not read");
});

test("in a long text, a pattern tried around each anchor answers as it does on the whole text", () => {
  const prefilter = createPrefilter(PATTERNS);
  const far = "x".repeat(20_000);
  const texts = [
    `${"950342 ".repeat(3000)}${far} port 50342;${far}`,
    `${"950342 ".repeat(3000)}${far}`,
    `${far}localhost:${"p".repeat(60)}/oauth2/token${far}`,
    `${far}localhost:${"p".repeat(61)}/oauth2/token${far}`,
    `${far}127.0.0.1:9${far}/oauth2/token`,
    `${"/metadata/identity/oauth2/token ".repeat(5000)}oauth2/token`,
    `${"/metadata/identity/oauth2/token ".repeat(5000)}`,
    `${far}"publisher": "MICROSOFT.managedIDENTITY"${far}`,
    `${far}Microsoft.ManagedIdentity/userAssignedIdentities ${"t.M ".repeat(5000)}`,
  ];
  for (const text of texts) {
    const bytes = Buffer.from(text, "latin1");
    assert.equal(prefilter(bytes), matchesAny(text), `${text.slice(0, 40)}… (${text.length} characters)`);
  }
});

test("a pattern without a usable anchor still works: the expression runs on every file", () => {
  const prefilter = createPrefilter([/\d{3}-\d{4}/, new RegExp(standaloneNumber(50342))]);
  assert.equal(prefilter(Buffer.from("call 555-1234")), true);
  assert.equal(prefilter(Buffer.from("port 50342")), true);
  assert.equal(prefilter(Buffer.from("nothing here")), false);
});

test("a global pattern answers the same on every call; a sticky one is refused", () => {
  const prefilter = createPrefilter([/oauth2\/token/gi]);
  for (let i = 0; i < 3; i++) assert.equal(prefilter(Buffer.from("x oauth2/token")), true);
  assert.throws(() => createPrefilter([/oauth2/y]), /cannot be sticky/);
});

test("the text rule's prefilter: a host and ':' with the token path anywhere after, tried once from the start", () => {
  const once = new RegExp(EXTENSION_URL_PREFILTER, "i");
  const lazy = /(?:localhost|127\.0\.0\.1):[\s\S]*?\/oauth2\/token/i;
  const samples = [
    "http://localhost:50342/oauth2/token",
    '"http://LOCALHOST:" + port + "/OAuth2/Token"',
    "/oauth2/token first, then localhost: and 127.0.0.1: later",
    `${"localhost: x\n".repeat(50)}end`,
    "127.0.0.1:\u00e9\u00a0/oauth2/token",
    "localhost/oauth2/token",
    "",
  ];
  for (const sample of samples) assert.equal(once.test(sample), lazy.test(sample), JSON.stringify(sample));
  assert.deepEqual(requiredAnchors(EXTENSION_URL_PREFILTER), ["/oauth2/token"]);
});
