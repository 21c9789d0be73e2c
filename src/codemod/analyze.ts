import { ts } from "./ts.js";
import type { Analysis } from "../core/fix.js";
import type { SourceInput } from "../pipeline/analysis.js";
import { clientImportNames, GLOBAL_CLIENT_NAMES, planClientCall } from "./clients/index.js";
import type { CallOutcome, CodemodContext } from "./clients/types.js";
import { short } from "./short.js";
import { CLOUD_SHELL_REASON, readsCloudShellEndpoint, toFindings } from "./findings.js";
import { constantTarget, constantValue, flatten, propertyName } from "./evaluate.js";
import { OLD_SDK_NAMES } from "../../rules/support/extension-call-prefilter.js";
import { isExported, lookup, skipOuterExpressions } from "./scope.js";
import { planUrl } from "./url.js";

// One parse and one walk per file: recognised client calls become rewrites (or cases for a person),
// then any extension URL no client call claimed is reported with where it goes.

export const RULE_ID = "no-extension-endpoint";

interface Located {
  node: ts.Node;
  outcome: CallOutcome;
}

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
  const oldSdk: ts.Node[] = [];
  const quotes = { '"': 0, "'": 0 };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      literals.push(node);
      const quote = input.text[node.getStart(file)] as '"' | "'";
      quotes[quote]++;
    } else if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      literals.push(node);
    } else if (ts.isCallExpression(node)) {
      calls.push(node);
    } else if (ts.isImportDeclaration(node) || ts.isVariableDeclaration(node)) {
      for (const name of clientImportNames(node)) clientNames.add(name);
    }
    if (
      (ts.isCallExpression(node) || ts.isNewExpression(node)) &&
      OLD_SDK_NAMES.includes(calleeName(node.expression) ?? "")
    )
      oldSdk.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);

  const context: CodemodContext = {
    quote: quotes["'"] > quotes['"'] ? "'" : '"',
    settings: { ports: input.ports, apiVersion: input.apiVersion },
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
    const segments = flatten(root);
    const plan = planUrl(segments, context.settings);
    if (plan.kind === "none") {
      const base = extensionBaseUrl(root, constantValue(segments), input.ports);
      if (base)
        located.push({ node: root, outcome: { kind: "review", client: "unknown", reason: base, literals: [] } });
      continue;
    }
    if (plan.literals.every((node) => claimed.has(node))) continue;
    for (const node of plan.literals) claimed.add(node);
    const reason = plan.kind === "review" ? plan.reason : whereItGoes(root);
    located.push({ node: root, outcome: { kind: "review", client: "unknown", reason, literals: plan.literals } });
  }
  for (const node of oldSdk) {
    located.push({ node, outcome: { kind: "review", client: OLD_SDK, reason: oldSdkReason(node), literals: [] } });
  }
  guardSharedConstants(file, located);
  if (readsCloudShellEndpoint(input.text)) {
    for (const item of located) {
      if (item.outcome.client === OLD_SDK) continue;
      item.outcome = {
        kind: "review",
        client: item.outcome.client,
        reason: CLOUD_SHELL_REASON,
        literals: item.outcome.literals,
      };
    }
  }
  const sites = located.map(({ node, outcome }) => ({ start: node.getStart(), end: node.end, outcome }));
  const findings = toFindings(sites, input, {
    ruleId: RULE_ID,
    reviewMessageId: (outcome) => (outcome.client === OLD_SDK ? "legacySdk" : "review"),
  });
  return { findings, parseErrors };
}

const OLD_SDK = "old SDK";

/**
 * A rewrite that edits a constant is safe only when every other use of that constant is rewritten with it
 * (or only reaches `.searchParams` of a URL object); otherwise it would silently change those uses too.
 * A use counts as rewritten only if the URL was read through that very reference: the same constant in
 * another argument of the call (a Referer header, say) is another use.
 */
function guardSharedConstants(file: ts.SourceFile, located: Located[]): void {
  const targets = new Map<ts.Node, string>();
  const readThrough = new Set<ts.Node>();
  const allowed: ts.Node[] = [];
  for (const item of located) {
    if (item.outcome.kind !== "rewrite") continue;
    for (const constant of item.outcome.constants) {
      readThrough.add(constant);
      const target = constantTarget(constant as ts.Expression);
      if (!target) continue;
      targets.set(target, constant.getText());
      allowed.push(target);
    }
  }
  if (targets.size === 0) return;
  const names = new Set([...targets.values()].map((text) => text.slice(text.lastIndexOf(".") + 1)));
  const strays = new Map<ts.Node, ts.Node>();
  const visit = (node: ts.Node): void => {
    const name = ts.isPropertyAccessExpression(node)
      ? node.name.text
      : ts.isIdentifier(node) && !isNameOfItsParent(node)
        ? node.text
        : undefined;
    if (name !== undefined && names.has(name)) {
      const target = constantTarget(node as ts.Expression);
      if (
        target &&
        targets.has(target) &&
        !strays.has(target) &&
        !readThrough.has(node) &&
        !readsSearchParams(node) &&
        !allowed.some((region) => within(node, region))
      ) {
        strays.set(target, node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (strays.size === 0) return;
  for (const item of located) {
    if (item.outcome.kind !== "rewrite") continue;
    for (const constant of item.outcome.constants) {
      const stray = strays.get(constantTarget(constant as ts.Expression) as ts.Node);
      if (!stray) continue;
      const line = file.getLineAndCharacterOfPosition(stray.getStart()).line + 1;
      const reason =
        `the constant ${constant.getText()} holding the URL is also used on line ${line}, ` +
        `where msi2imds cannot rewrite it`;
      item.outcome = { kind: "review", client: item.outcome.client, reason, literals: item.outcome.literals };
      break;
    }
  }
}

function isNameOfItsParent(node: ts.Identifier): boolean {
  const parent = node.parent as ts.Node & { name?: ts.Node };
  return parent.name === node && !ts.isShorthandPropertyAssignment(parent);
}

function readsSearchParams(node: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node.parent) &&
    node.parent.expression === node &&
    node.parent.name.text === "searchParams"
  );
}

function within(node: ts.Node, region: ts.Node): boolean {
  return node.pos >= region.pos && node.end <= region.end;
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

/** `axios.create({ baseURL: "http://localhost:50342" })`: the calls made relative to it cannot be followed. */
function extensionBaseUrl(
  root: ts.Expression,
  value: string | undefined,
  ports: readonly number[],
): string | undefined {
  const parent = root.parent;
  if (
    value === undefined ||
    !ts.isPropertyAssignment(parent) ||
    !BASE_URL_OPTIONS.has(propertyName(parent.name)?.toLowerCase() ?? "")
  )
    return undefined;
  const match = /^http:\/\/(localhost|127\.0\.0\.1):(\d{1,5})\/?$/i.exec(value);
  if (!match || !ports.includes(Number(match[2]))) return undefined;
  return (
    `${parent.name.getText()} points at the VM extension (${match[1]}:${match[2]}); ` +
    `requests made relative to it cannot be followed, move them to IMDS by hand`
  );
}

/** Why an extension URL that no known client call receives needs a person. */
function whereItGoes(root: ts.Expression): string {
  let node: ts.Node = root;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    return isExported(parent)
      ? `it is exported from this module (${parent.name.text}) and used where msi2imds cannot follow`
      : `the constant ${parent.name.text} is not passed straight to an HTTP client msi2imds knows`;
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
    return `it is passed to ${short(callee.getText(), 40)}, a client msi2imds does not know`;
  }
  if (ts.isBinaryExpression(parent))
    return (
      `it is chosen at run time ` +
      `next to ${short(parent.left === node ? parent.right.getText() : parent.left.getText())}`
    );
  return "it is not passed straight to an HTTP client msi2imds knows";
}

function oldSdkReason(node: ts.CallExpression | ts.NewExpression | ts.Node): string {
  const name = ts.isCallExpression(node) || ts.isNewExpression(node) ? calleeName(node.expression) : undefined;
  const options = ts.isCallExpression(node) || ts.isNewExpression(node) ? node.arguments?.[0] : undefined;
  const port =
    options && ts.isObjectLiteralExpression(options)
      ? options.properties.find((p) => p.name?.getText() === "port")
      : undefined;
  const how = port
    ? `with ${short(port.getText())} it gets tokens from the VM extension`
    : "its older versions got tokens from the VM extension on port 50342";
  return (
    `${name} (ms-rest-azure / @azure/ms-rest-nodeauth) is deprecated and ${how}; ` +
    `move to ManagedIdentityCredential from @azure/identity`
  );
}

/** `a` in `a`, `a.b` and `a.b(…).c`. */
function baseName(expression: ts.Expression): string | undefined {
  let node = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)) node = skipOuterExpressions(node.expression);
  return ts.isIdentifier(node) ? node.text : undefined;
}

function calleeName(expression: ts.Expression): string | undefined {
  const callee = skipOuterExpressions(expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
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
