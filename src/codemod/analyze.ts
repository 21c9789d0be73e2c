import { ts } from "./ts.js";
import { hybridExtensionUrl, mayBeExtensionOnAnyPort } from "../../rules/support/endpoint-patterns.js";
import { testSetsMsiEndpoint } from "../../rules/support/code-paths.js";
import { fingerprintOf, type Finding, type TextEdit } from "../core/finding.js";
import { anyOverlap, type Analysis } from "../core/fix.js";
import type { SourceInput } from "../pipeline/analysis.js";
import { LineIndex } from "../core/positions.js";
import { EXTENSION_TOKEN_PATH, IMDS_TOKEN_URL, imdsTokenUrl } from "../imds.js";
import { clientImportNames, GLOBAL_CLIENT_NAMES, planClientCall } from "./clients/index.js";
import type { CallOutcome, CodemodContext } from "./clients/types.js";
import { short } from "./short.js";
import { constantValue, flatText, flatten, propertyName } from "./evaluate.js";
import { isExported, lookup, skipOuterExpressions } from "./scope.js";
import { planUrl } from "./url.js";
import { suppressionOf, type Suppression } from "./suppression.js";
import { readsEnvironment } from "./environment.js";
import {
  judgeLegacySites,
  LEGACY_ENTRY_POINTS,
  legacySite,
  type LegacySite,
  type LegacyVerdict,
} from "./legacy-sdk.js";
import { guardSharedConstants, guardSharedObjects, type Located } from "./shared-constants.js";
import { calleeName } from "./clients/callee.js";
import { unusedConstants, type Removal } from "./unused.js";
import {
  byPosition,
  CLOUD_SHELL_REASON,
  CLOUD_SHELL_VARIABLE,
  cloudShellReason,
  dedupe,
  HYBRID_REASON,
  mergeSharedEdits,
} from "./findings.js";

// One parse and one walk per file: recognised client calls become rewrites (or cases for a person),
// then any extension URL no client call claimed is reported with where it goes.

export const RULE_ID = "no-extension-endpoint";

export function analyzeSource(input: SourceInput): Analysis {
  const file = ts.createSourceFile(
    input.path,
    input.text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    true,
    scriptKindOf(input.path),
  );
  const parseErrors = (file as unknown as { parseDiagnostics: readonly unknown[] }).parseDiagnostics.length;
  const literals: ts.Node[] = [];
  const calls: ts.CallExpression[] = [];
  const clientNames = new Set(GLOBAL_CLIENT_NAMES);
  const legacy: LegacySite[] = [];
  const quotes = { '"': 0, "'": 0 };
  const mayBeCloudShell = input.text.includes(CLOUD_SHELL_VARIABLE);
  let cloudShell = false;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      literals.push(node);
      const quote = input.text[node.getStart(file)] as '"' | "'";
      quotes[quote]++;
    } else if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      literals.push(node);
    } else if (ts.isCallExpression(node)) {
      calls.push(node);
    } else if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node) || ts.isVariableDeclaration(node)) {
      for (const name of clientImportNames(node)) clientNames.add(name);
      // An instance made by a client (axios.create, got.extend) is called as the client is.
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        if (clientNames.has(baseName(node.initializer) ?? "")) clientNames.add(node.name.text);
      }
    }
    if (mayBeCloudShell) cloudShell ||= readsEnvironment(node, CLOUD_SHELL_VARIABLE);
    if (
      (ts.isCallExpression(node) || ts.isNewExpression(node)) &&
      LEGACY_ENTRY_POINTS.includes(calleeName(node.expression) ?? "")
    ) {
      const site = legacySite(node);
      if (site) legacy.push(site);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);

  const context: CodemodContext = {
    quote: quotes["'"] > quotes['"'] ? "'" : '"',
    settings: {
      ports: input.ports,
      apiVersion: input.apiVersion,
      anyPortMayBeExtension: mayBeExtensionOnAnyPort(input.text),
    },
  };
  const located: Located[] = [];
  const claimed = new Set<ts.Node>();
  for (const call of calls) {
    // Resolving a callee walks its scopes: only do it for names bound to an HTTP client somewhere in the file.
    if (!clientNames.has(baseName(call.expression) ?? "")) continue;
    const outcome = planClientCall(call, context);
    if (!outcome) continue;
    located.push({ node: call, outcome });
    for (const literal of outcome.literals) claimed.add(literal);
  }
  const roots = new Set<ts.Node>();
  for (const literal of literals) {
    if (claimed.has(literal)) continue;
    const root = maximalStringExpression(literal);
    if (roots.has(root)) continue;
    roots.add(root);
    if (testSetsMsiEndpoint(input.text, root.getStart(), input.displayPath)) continue;
    const segments = flatten(root);
    const plan = planUrl(segments, context.settings);
    if (plan.kind === "none") {
      const value = constantValue(segments);
      const base = extensionBaseUrl(root, value, input.ports);
      if (base)
        located.push({ node: root, outcome: { kind: "review", client: "unknown", reason: base, literals: [] } });
      else if (isHybridUrl(flatText(segments), input.ports)) {
        const outcome: CallOutcome = { kind: "review", client: "url", reason: HYBRID_REASON, odd: true, literals: [] };
        located.push({ node: root, outcome });
      }
      continue;
    }
    if (plan.literals.every((node) => claimed.has(node))) continue;
    for (const node of plan.literals) claimed.add(node);
    const reason = plan.kind === "review" ? plan.reason : whereItGoes(root);
    located.push({ node: root, outcome: { kind: "review", client: "unknown", reason, literals: plan.literals } });
  }
  const suppression = suppressionOf(file, RULE_ID);
  for (const item of located) {
    if (suppression?.covers(item.node)) item.outcome = asReview(item.outcome, SUPPRESSED_REASON);
  }
  guardSharedConstants(file, located, suppression, KEPT_BY_DIRECTIVE);
  guardSharedObjects(file, located);
  const cloudShellWhy = cloudShell ? CLOUD_SHELL_REASON : input.setting && cloudShellReason(input.setting.evidence);
  if (cloudShellWhy) {
    for (const item of located) item.outcome = asReview(item.outcome, cloudShellWhy, "cloudShell");
  }
  const findings = [
    ...toFindings(located, input, suppression),
    ...legacyFindings(judgeLegacySites(legacy, input.path), input, suppression),
  ];
  return { findings: findings.sort(byPosition), parseErrors };
}

/** One item per file and package for a version that still uses the extension; a leftover port option fixed. */
function legacyFindings(verdicts: readonly LegacyVerdict[], input: SourceInput, suppression: Suppression | undefined) {
  const lines = new LineIndex(input.text);
  return verdicts.map((verdict): Finding => {
    const node = verdict.site.node;
    const unused = verdict.kind === "port" ? unusedConstants(node.getSourceFile(), verdict.edits) : undefined;
    const fix =
      verdict.kind === "port" && !suppression?.covers(node) ? [...verdict.edits, ...unused!.edits] : undefined;
    const fixNotes = fix ? removedRemark(unused!) : [];
    const snippet = input.text.slice(node.getStart(), Math.min(node.end, node.getStart() + 200));
    return {
      ruleId: RULE_ID,
      severity: verdict.kind === "review" && verdict.lookalike ? "warning" : "error",
      messageId: "legacySdk",
      message: verdict.message,
      location: { file: lines.range(input.displayPath, node.getStart(), node.end) },
      ...(fix ? { fix } : {}),
      ...(fixNotes.length > 0 ? { fixNotes } : {}),
      fingerprint: fingerprintOf(RULE_ID, input.displayPath, snippet, 0),
    };
  });
}

function removedRemark(removal: Removal): string[] {
  if (removal.names.length === 0) return [];
  const names = removal.names.join(", ");
  return [`${names} ${removal.names.length === 1 ? "was" : "were"} left unused by the rewrite and removed`];
}

function asReview(outcome: CallOutcome, reason: string, path?: "cloudShell"): CallOutcome {
  return { kind: "review", client: outcome.client, reason, literals: outcome.literals, ...(path ? { path } : {}) };
}

/** Lint drops these findings and a fix run does not list them: the reason is for the record only. */
const SUPPRESSED_REASON = "a msi2imds-disable directive keeps it as it is";
const KEPT_BY_DIRECTIVE = "which a msi2imds-disable directive keeps as it is";

function toFindings(located: Located[], input: SourceInput, suppression: Suppression | undefined): Finding[] {
  const lines = new LineIndex(input.text);
  const groups = mergeSharedEdits(located);
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  for (const group of groups) {
    const head = group[0]!;
    const node = head.node;
    const edits = group.flatMap((g) => (g.outcome.kind === "rewrite" ? g.outcome.edits : []));
    const unique = dedupe(edits);
    const outcome = head.outcome;
    const keptLine = suppression?.touchedLine(unique);
    let message: (member: Located) => string;
    let fix: TextEdit[] | undefined;
    let remarks: string[] = [];
    if (outcome.kind === "rewrite" && !anyOverlap(unique) && keptLine === undefined) {
      const others =
        group.length > 1 ? ` (together with ${group.length - 1} more call(s) sharing its URL constant)` : "";
      const all = (pick: (o: Extract<CallOutcome, { kind: "rewrite" }>) => string[]) => [
        ...new Set(group.flatMap((g) => (g.outcome.kind === "rewrite" ? pick(g.outcome) : []))),
      ];
      const notes = all((o) => o.notes);
      const unused = unusedConstants(node.getSourceFile(), unique);
      remarks = [...all((o) => o.remarks), ...removedRemark(unused)];
      const text =
        `${outcome.client} gets a token from the Managed Identity VM extension ` +
        `(${outcome.host}:${outcome.port ?? "?"}); ` +
        `the fix moves it to IMDS (GET ${IMDS_TOKEN_URL}, api-version=${input.apiVersion})` +
        [...notes, ...remarks].map((note) => `; ${note}`).join("") +
        others;
      message = () => text;
      fix = [...unique, ...unused.edits];
    } else {
      const lineOf = (item: Located) => lines.position(item.node.getStart()).line;
      const reason = (member: Located) => {
        const others = group.filter((g) => g !== member).map(lineOf);
        return outcome.kind === "review"
          ? outcome.reason
          : keptLine !== undefined
            ? `its rewrite would change line ${keptLine}, ${KEPT_BY_DIRECTIVE}`
            : others.length > 0
              ? `it shares text with the call(s) on line ${others.join(", ")}, which need a different edit of it`
              : "its rewrite would need overlapping edits";
      };
      message = (member) =>
        `Token request to the Managed Identity VM extension needs a person: ${reason(member)}. ` +
        `Target: GET ${imdsTokenUrl("resource=…", input.apiVersion)} with header Metadata: true`;
    }
    // Cloud Shell serves the extension's URL itself: a person decides, and the gate warns instead of failing.
    const cloudShell = outcome.kind === "review" && outcome.path === "cloudShell";
    const warning = cloudShell || (outcome.kind === "review" && outcome.odd === true);
    // Every call of the group is a finding of its own (lint shows each), all with the one fix: the fix loop
    // applies it once and finds the others' edits already made.
    for (const member of group) {
      const start = member.node.getStart();
      const snippet = input.text.slice(start, Math.min(member.node.end, start + 200));
      const occurrence = seen.get(snippet) ?? 0;
      seen.set(snippet, occurrence + 1);
      findings.push({
        ruleId: RULE_ID,
        severity: warning ? "warning" : "error",
        messageId: fix ? "rewrite" : cloudShell ? "cloudShell" : "review",
        message: message(member),
        location: { file: lines.range(input.displayPath, start, member.node.end) },
        ...(fix ? { fix } : {}),
        ...(remarks.length > 0 ? { fixNotes: remarks } : {}),
        fingerprint: fingerprintOf(RULE_ID, input.displayPath, snippet, occurrence),
      });
    }
  }
  return findings;
}

/** The whole string expression a literal belongs to: `"a" + b + "c"` or a template. */
function maximalStringExpression(literal: ts.Node): ts.Expression {
  let node: ts.Node = ts.isTemplateHead(literal) ? literal.parent : literal;
  while (
    ts.isParenthesizedExpression(node.parent) ||
    (ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.PlusToken) ||
    ts.isTemplateSpan(node.parent)
  ) {
    node = ts.isTemplateSpan(node.parent) ? node.parent.parent : node.parent;
  }
  return node as ts.Expression;
}

const BASE_URL_OPTIONS = new Set(["baseurl", "prefixurl"]);

/**
 * The extension's origin (or a first part of its token path) where requests are made relative to it: a base
 * URL option (`axios.create({ baseURL: "http://localhost:50342" })`, `baseURL: ".../oauth2"`), or the first
 * argument of a client made with `new` for one origin (undici's `new Pool("http://localhost:50342")`) in a file that
 * writes the token path. Those requests cannot be followed.
 */
function extensionBaseUrl(
  root: ts.Expression,
  value: string | undefined,
  ports: readonly number[],
): string | undefined {
  const parent = root.parent;
  const option =
    ts.isPropertyAssignment(parent) && BASE_URL_OPTIONS.has(propertyName(parent.name)?.toLowerCase() ?? "");
  // Made with `new`: a call given an origin is as often a test double's (`nock("http://localhost:50342")`).
  const origin =
    ts.isNewExpression(parent) &&
    parent.arguments?.[0] === root &&
    root.getSourceFile().text.includes(EXTENSION_TOKEN_PATH);
  if (value === undefined || !(option || origin)) return undefined;
  const match = /^http:\/\/(localhost|127\.0\.0\.1):(\d{1,5})(?:\/oauth2)?\/?$/i.exec(value);
  if (!match || !ports.includes(Number(match[2]))) return undefined;
  const holder = option ? parent.name.getText() : `new ${(parent as ts.NewExpression).expression.getText()}(…)`;
  return (
    `${holder} points at the VM extension (${match[1]}:${match[2]}); ` +
    `requests made relative to it cannot be followed, move them to IMDS by hand`
  );
}

/** assert.equal, expect(…).toBe, t.is, sinon's calledWith: a test's comparison, no request. */
const ASSERTION =
  /^(?:assert|expect|t)\b|\.(?:to(?:Be|Equal|StrictEqual|HaveBeenCalledWith)|(?:strict|deep)?[Ee]qual|is|calledWith)$/;

/** Why an extension URL that no known client call receives needs a person. */
function whereItGoes(root: ts.Expression): string {
  let node: ts.Node = root;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const name = parent.name.text;
    if (isExported(parent)) return `it is exported from this module (${name}) and used where msi2imds cannot follow`;
    return lookup(name, parent.name)?.kind === "variable"
      ? `the variable ${name} is assigned again, so what it holds when a request reads it is not known`
      : `the constant ${name} is not passed straight to an HTTP client msi2imds knows`;
  }
  if (ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) {
    return `the property ${parent.name.getText()} is not passed straight to an HTTP client msi2imds knows`;
  }
  if (
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
    parent.arguments?.includes(node as ts.Expression)
  ) {
    const callee = skipOuterExpressions(parent.expression);
    const binding = ts.isIdentifier(callee) ? lookup(callee.text, callee) : undefined;
    if (binding?.kind === "function" || binding?.kind === "const") {
      return `it is passed to ${callee.getText()}(), which receives it as a parameter msi2imds does not follow`;
    }
    if (ASSERTION.test(callee.getText()))
      return `a test compares it with what the code under test requested (${short(callee.getText(), 40)})`;
    return `it is passed to ${short(callee.getText(), 40)}, a client msi2imds does not know`;
  }
  if (ts.isBinaryExpression(parent))
    return (
      `it is chosen at run time ` +
      `next to ${short(parent.left === node ? parent.right.getText() : parent.left.getText())}`
    );
  return "it is not passed straight to an HTTP client msi2imds knows";
}

/** `a` in `a`, `a.b` and `a.b(…).c`. */
function baseName(expression: ts.Expression): string | undefined {
  let node = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) node = skipOuterExpressions(node.expression);
  return ts.isIdentifier(node) ? node.text : undefined;
}

function scriptKindOf(path: string): ts.ScriptKind {
  const extension = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  switch (extension) {
    case "tsx":
      return ts.ScriptKind.TSX;
    case "jsx":
      return ts.ScriptKind.JSX;
    case "js":
    case "mjs":
    case "cjs":
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

/** A string whose value is IMDS's token path on one of the extension's ports (see hybridExtensionUrl). */
function isHybridUrl(value: string, ports: readonly number[]): boolean {
  const match = hybridExtensionUrl().exec(value);
  return match !== null && ports.includes(Number(match[1]));
}
