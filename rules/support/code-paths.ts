import type { DocumentSetting } from "../../src/core/rule.js";
import type { SyntaxNode, SyntaxTree } from "../../src/core/syntax-tree.js";
import { LOOKALIKE_ENV_VARS } from "../../src/imds.js";
import { SETTING_REACH } from "./endpoint-patterns.js";
import { lineBefore } from "./extent.js";

// Where a match sits, as its syntax tree tells: in a comment, or on a code path that is not a VM's. Cloud
// Shell serves the extension's very URL, App Service and Functions give their own endpoint in variables,
// emulators and test doubles imitate the endpoint without calling it. The evidence is read from the
// functions the match is in, or from the code outside any function for a match there: a branch taken in
// a caller is not followed, so a VM path called beside a Cloud Shell one keeps its error.

export type CodePath = "cloudShell" | "appService" | "emulator" | "test";

export interface PathEvidence {
  path: CodePath;
  /** Says where the evidence was found, for the message: "get_token reads MSI_ENDPOINT". */
  evidence: string;
}

const APP_SERVICE_VARS = LOOKALIKE_ENV_VARS.filter((name) => name !== "MSI_ENDPOINT");
const APP_SERVICE = new RegExp(`\\b(${APP_SERVICE_VARS.join("|")})\\b`);
const CLOUD_SHELL_VAR = /\bMSI_ENDPOINT\b/;
/** Cloud Shell by name, as azure-cli (in_cloud_console) and Az PowerShell (AZUREPS_HOST_ENVIRONMENT) tell it. */
const CLOUD_SHELL_WORDS = /cloud[\s_-]?shell|\bin_cloud_console\b|\bACC_CLOUD\b|\bAZUREPS_HOST_ENVIRONMENT\b/i;
const EMULATOR_WORDS = /\bemulat(?:or|ed|es|ing|e)\b|\bfake[\s_-]?(?:imds|msi|extension|token|server|endpoint)\b/i;
/** Calls that register a URL with a mocking library instead of requesting it. */
const MOCK_CALL =
  /(?:^|[.:\s])(?:register_uri|RegisterResponder|stub_request|stubFor|givenThat|nock|Mock|When|Expect|mock_request)$|^(?:responses|rsps|requests_mock|mocker|httpretty|aioresponses|respx|gock)\.\w+$/;
/** A call that registers a URL with a mocking library (httpretty, responses, WebMock, httpmock, Pester…). */
export function isMockCall(call: SyntaxNode): boolean {
  return MOCK_CALL.test(call.name ?? "");
}

/** Test files by the names test runners look for. */
const TEST_FILE =
  /(?:^|\/)(?:tests?|__tests__|spec|specs)\/|(?:^|\/)test_[^/]*\.py$|_test\.(?:py|go)$|_spec\.rb$|Tests?\.(?:cs|java)$|\.Tests\.ps1$|\.(?:test|spec)\.[cm]?[jt]sx?$/i;

/** A file test runners run (its path as reports show it). */
export function isTestFile(displayPath: string): boolean {
  return TEST_FILE.test(displayPath);
}

/**
 * The URL at `start` is what a test gives MSI_ENDPOINT or IDENTITY_ENDPOINT (`MSI_ENDPOINT: "…"`, `t.Setenv(msiEndpointEnvVar, "…"`,
 * `os.environ["MSI_ENDPOINT"] = "…"`, `monkeypatch.setenv("MSI_ENDPOINT", "…"`): it sets up a Cloud Shell for
 * the code under test and requests nothing, so it is no finding.
 */
export function testSetsMsiEndpoint(text: string, start: number, displayPath: string): boolean {
  return isTestFile(displayPath) && SETS_MSI_ENDPOINT.test(lineBefore(text, start, SETTING_REACH));
}

/** MSI_ENDPOINT, and IDENTITY_ENDPOINT that Cloud Shell sets as well, as names or in constants' names. */
const SETS_MSI_ENDPOINT = /\b\w*(?:msi|identity)_?endpoint\w*\b["'`]?\]?\s*[:=,]\s*["'`]?$/i;

export function inComment(tree: SyntaxTree, offset: number): boolean {
  return tree.enclosing(offset, offset, "comment") !== undefined;
}

/**
 * Where a document's code block runs, as the words around it tell (`section`: the headings above it and its
 * section before it): Cloud Shell by name, or MSI_ENDPOINT without App Service's variables (a page about App
 * Service shows its own endpoint; its blocks are judged by themselves).
 */
export function documentSetting(section: string): DocumentSetting | undefined {
  const words = CLOUD_SHELL_WORDS.exec(section);
  if (words) return { path: "cloudShell", evidence: `its section of the document mentions ${words[0]}` };
  if (CLOUD_SHELL_VAR.test(section) && !APP_SERVICE.test(section))
    return { path: "cloudShell", evidence: "its section of the document mentions MSI_ENDPOINT" };
  return undefined;
}

/**
 * The code path a match at [start, end) belongs to, when it is not a VM's; undefined for a VM's (or unknown).
 * A code block's own evidence comes first, then what its document says (`setting`).
 */
export function codePathOf(
  tree: SyntaxTree,
  start: number,
  end: number,
  displayPath: string,
  setting?: DocumentSetting,
): PathEvidence | undefined {
  // A name on the URL's own line (`cloudShellTokenURL = …`) says more than what else its scope reads.
  const named = CLOUD_SHELL_WORDS.exec(lineAround(tree.text, start, end));
  if (named) return { path: "cloudShell", evidence: `its line names ${named[0]}` };
  const functions = enclosingFunctions(tree, start, end);
  const scopes: Scope[] = functions.length > 0 ? functions : [TOP_LEVEL];
  for (const scope of scopes) {
    const found = environmentOf(tree, scope);
    if (found) return found;
  }
  const mock = enclosingCalls(tree, start, end).find(isMockCall);
  if (mock) return { path: "emulator", evidence: `${mock.name} registers it with a mocking library` };
  if (isTestFile(displayPath)) return { path: "test", evidence: "this is a test file" };
  if (inRustTestModule(tree.text, start, displayPath))
    return { path: "test", evidence: "it is in a #[cfg(test)] module" };
  return setting;
}

/**
 * Rust keeps a file's unit tests in a `#[cfg(test)]` module at its end, by convention: what follows that
 * attribute is test code (no grammar reads Rust here, so the module's braces are not followed).
 */
function inRustTestModule(text: string, start: number, displayPath: string): boolean {
  return displayPath.endsWith(".rs") && text.lastIndexOf("#[cfg(test)]", start) !== -1;
}

/** How far along its line a match's neighbours are read: a minified file's line stays a constant's worth. */
const LINE_REACH = 120;

/** The match's line, at most LINE_REACH characters on either side of it. */
function lineAround(text: string, start: number, end: number): string {
  const from = Math.max(0, start - LINE_REACH);
  const around = text.slice(from, Math.min(text.length, end + LINE_REACH));
  const lineEnd = around.indexOf("\n", end - from);
  return around.slice(around.lastIndexOf("\n", start - from) + 1, lineEnd === -1 ? undefined : lineEnd);
}

const TOP_LEVEL = Symbol("the top-level code");
type Scope = SyntaxNode | typeof TOP_LEVEL;
/**
 * What is known of each scope, read once per tree and question: a generated file with 100,000 matches in
 * one scope stays linear.
 */
const scopeFacts = new WeakMap<SyntaxTree, Map<Scope, Map<unknown, unknown>>>();

function factOf<T>(tree: SyntaxTree, scope: Scope, question: unknown, answer: (text: string) => T): T {
  let scopes = scopeFacts.get(tree);
  if (!scopes) {
    scopes = new Map();
    scopeFacts.set(tree, scopes);
  }
  let facts = scopes.get(scope);
  if (!facts) {
    facts = new Map();
    scopes.set(scope, facts);
  }
  if (!facts.has(question)) facts.set(question, answer(scope === TOP_LEVEL ? topLevelCode(tree) : tree.textOf(scope)));
  return facts.get(question) as T;
}

function environmentOf(tree: SyntaxTree, scope: Scope): PathEvidence | undefined {
  const label = scope === TOP_LEVEL ? "the top-level code" : (scope.name ?? "the enclosing function");
  return factOf(tree, scope, environmentIn, (text) => environmentIn(text, label));
}

function environmentIn(text: string, label: string): PathEvidence | undefined {
  const appService = APP_SERVICE.exec(text);
  if (appService) return { path: "appService", evidence: `${label} reads ${appService[1]}` };
  if (CLOUD_SHELL_VAR.test(text)) return { path: "cloudShell", evidence: `${label} reads MSI_ENDPOINT` };
  const words = CLOUD_SHELL_WORDS.exec(text);
  if (words) return { path: "cloudShell", evidence: `${label} mentions ${words[0]}` };
  const emulator = EMULATOR_WORDS.exec(text);
  if (emulator) return { path: "emulator", evidence: `${label} mentions ${emulator[0]}` };
  return undefined;
}

/** The functions holding [start, end), innermost first. */
function enclosingFunctions(tree: SyntaxTree, start: number, end: number): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let node = tree.enclosing(start, end, "function"); node; node = node.parent)
    if (node.kind === "function") found.push(node);
  return found;
}

/** The calls holding [start, end), innermost first, up to the function they are in. */
export function enclosingCalls(tree: SyntaxTree, start: number, end: number): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let node = tree.enclosing(start, end, ["call", "function"]); node; node = node.parent) {
    if (node.kind === "function") break;
    if (node.kind === "call") found.push(node);
  }
  return found;
}

/**
 * Whether the code a match's request is judged by holds `pattern`: its innermost function, or the code
 * outside any function.
 */
export function scopeMatches(tree: SyntaxTree, offset: number, pattern: RegExp): boolean {
  const scope = tree.enclosing(offset, offset, "function") ?? TOP_LEVEL;
  return factOf(tree, scope, pattern, (text) => pattern.test(text));
}

/** The file's text outside its functions: what a script runs from the top. */
function topLevelCode(tree: SyntaxTree): string {
  let code = "";
  let from = 0;
  for (const fn of tree.ofKind("function")) {
    if (fn.start < from) continue; // inside a function already cut out
    code += tree.text.slice(from, fn.start);
    from = fn.end;
  }
  return code + tree.text.slice(from);
}
