import { ts } from "./ts.js";
import type { TextEdit } from "../core/finding.js";
import { compareVersions, isExactVersion, type PinnedVersion } from "../core/dependency.js";
import { DependencyVersions } from "../files/dependencies.js";
import { resolveCallee } from "./clients/callee.js";
import { lookup, skipOuterExpressions } from "./scope.js";
import { findProperty, objectLiteralOf, removeProperty } from "./edit-helpers.js";
import { constantTarget, isPure } from "./evaluate.js";
import { LOOKALIKE_ENV_VARS } from "../imds.js";

// The old Azure SDK entry points that got tokens from the VM extension, judged by the version the project pins
// (its lock file, else its package.json): before the version that moved to IMDS, the file gets one item for
// a person naming that version and the @azure/identity replacement; from that version on, only a `port`
// option is left over, and the fix removes it. Versions: ms-rest-azure 2.6.0 (changelog, PR 4528: IMDS GET by
// default); @azure/ms-rest-nodeauth 0.9.0 (changelog "custom MSI endpoint", IMDS by default); the unscoped
// ms-rest-nodeauth was renamed at 0.8.0, before the move, so every version of it uses the extension.

interface LegacyPackage {
  /** The first version that gets tokens from IMDS; undefined when none does. */
  movedToImds: string | undefined;
  entryPoints: readonly string[];
}

const PACKAGES: Readonly<Record<string, LegacyPackage>> = {
  "ms-rest-azure": {
    movedToImds: "2.6.0",
    entryPoints: ["loginWithMSI", "loginWithVmMSI", "MSIVmTokenCredentials", "MSITokenCredentials"],
  },
  "@azure/ms-rest-nodeauth": {
    movedToImds: "0.9.0",
    entryPoints: ["loginWithVmMSI", "MSIVmTokenCredentials", "MSITokenCredentials"],
  },
  "ms-rest-nodeauth": {
    movedToImds: undefined,
    entryPoints: ["loginWithVmMSI", "MSIVmTokenCredentials", "MSITokenCredentials"],
  },
};

/** The names a file must hold for any of it to matter: the prefilter's needles too. */
export const LEGACY_ENTRY_POINTS: readonly string[] = [
  ...new Set(Object.values(PACKAGES).flatMap((p) => p.entryPoints)),
];

export interface LegacySite {
  node: ts.CallExpression | ts.NewExpression;
  packageName: string;
  entryPoint: string;
}

/** A call or `new` of an old SDK entry point, told by the module it was imported or required from. */
export function legacySite(node: ts.CallExpression | ts.NewExpression): LegacySite | undefined {
  const callee = resolveCallee(node.expression);
  if (!callee) return unrequiredSite(node);
  if (callee.module === "global") return undefined;
  const packageName = Object.keys(PACKAGES).find((p) => callee.module === p || callee.module.startsWith(`${p}/`));
  if (!packageName) return undefined;
  const { entryPoints } = PACKAGES[packageName]!;
  const named = callee.member?.text ?? callee.imported;
  if (entryPoints.includes(named)) return { node, packageName, entryPoint: named };
  // require("ms-rest-azure/lib/credentials/msiVmTokenCredentials"): the class is the module.
  const file = callee.module.slice(callee.module.lastIndexOf("/") + 1).toLowerCase();
  const deep = entryPoints.find((entry) => entry.toLowerCase() === file);
  return deep && !callee.member ? { node, packageName, entryPoint: deep } : undefined;
}

/**
 * `msRestAzure.loginWithMSI(…)` where nothing binds `msRestAzure`: docs and snippets leave the require out,
 * and an object named after the package itself is that package.
 */
function unrequiredSite(node: ts.CallExpression | ts.NewExpression): LegacySite | undefined {
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const owner = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(owner) || lookup(owner.text, owner)) return undefined;
  const packageName = Object.keys(PACKAGES).find((p) => squashed(p) === squashed(owner.text));
  const entryPoint = callee.name.text;
  return packageName && PACKAGES[packageName]!.entryPoints.includes(entryPoint)
    ? { node, packageName, entryPoint }
    : undefined;
}

/** A package's name or an identifier for it, letters only, in one case: `msRestAzure`, `ms-rest-azure`. */
const squashed = (name: string) =>
  name
    .replace(/^@azure\//, "")
    .replace(/[^a-z]/gi, "")
    .toLowerCase();

/** What the file's sites of one package come to. */
export type LegacyVerdict =
  /** `lookalike`: the call is given another service's endpoint (App Service, Cloud Shell), a warning. */
  | { kind: "review"; site: LegacySite; message: string; lookalike?: boolean }
  | { kind: "port"; site: LegacySite; message: string; edits: TextEdit[] };

const versions = new DependencyVersions();

export function judgeLegacySites(sites: readonly LegacySite[], path: string): LegacyVerdict[] {
  const verdicts: LegacyVerdict[] = [];
  const extensionSites: LegacySite[] = [];
  for (const site of sites) {
    const variable = lookalikeVariableOf(site);
    if (variable) verdicts.push({ kind: "review", site, message: lookalikeMessage(site, variable), lookalike: true });
    else extensionSites.push(site);
  }
  for (const packageName of new Set(extensionSites.map((s) => s.packageName))) {
    const own = extensionSites.filter((s) => s.packageName === packageName);
    const pinned = versions.find(path, "npm", packageName);
    const { movedToImds } = PACKAGES[packageName]!;
    if (movedToImds && pinned && usesImds(pinned, movedToImds)) {
      for (const site of own) {
        const edits = portRemoval(site);
        if (edits) verdicts.push({ kind: "port", site, edits, message: portMessage(packageName, pinned) });
      }
      continue;
    }
    verdicts.push({ kind: "review", site: own[0]!, message: reviewMessage(packageName, pinned, own) });
  }
  return verdicts;
}

/** Every version the pin allows is at or past the move: an exact version, or a range whose floor is. */
function usesImds(pinned: PinnedVersion, movedToImds: string): boolean {
  const floor = pinned.exact ? pinned.version : rangeFloor(pinned.version);
  return floor !== undefined && compareVersions(floor, movedToImds) >= 0;
}

/** The lowest version `^2.6.0`, `~2.6.1`, `>=2.6.0` or `2.6.x` allows; undefined for anything else. */
function rangeFloor(range: string): string | undefined {
  const match = /^\s*(?:\^|~|>=)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?\s*$/i.exec(range);
  if (!match) return undefined;
  const part = (p: string | undefined) => (p === undefined || /^[x*]$/i.test(p) ? "0" : p);
  const floor = `${match[1]}.${part(match[2])}.${part(match[3])}`;
  return isExactVersion(floor) ? floor : undefined;
}

/** `{ port }` written in the call's own options object. */
function portRemoval(site: LegacySite): TextEdit[] | undefined {
  const options = site.node.arguments?.[0];
  const object = options && objectLiteralOf(options, constantTarget);
  // Options held elsewhere may serve other calls: an ignored port there harms nothing, so it stays.
  if (!object || object !== options) return undefined;
  const port = findProperty(object, "port");
  // The value goes with the option: only one that has no effect of its own.
  if (!port || (ts.isPropertyAssignment(port) && !isPure(port.initializer))) return undefined;
  if (object.properties.length > 1) return removeProperty(object, port);
  // Nothing else in it: the options go (`loginWithMSI()`), or stay empty before a callback.
  const args = site.node.arguments!;
  return [{ start: object.getStart(), end: object.end, text: args.length === 1 ? "" : "{}" }];
}

function portMessage(packageName: string, pinned: PinnedVersion): string {
  return (
    `${packageName} ${pinned.version} (${pinned.source}) gets tokens from IMDS and ignores the port option, ` +
    `which only the VM extension used; the fix removes it`
  );
}

const IDENTITY_SNIPPET =
  "const credential = new ManagedIdentityCredential(); " +
  "// new ManagedIdentityCredential({ clientId }) for a user-assigned identity";

function reviewMessage(packageName: string, pinned: PinnedVersion | undefined, sites: readonly LegacySite[]): string {
  const { movedToImds } = PACKAGES[packageName]!;
  // One site is where the finding stands; more are listed (lines of the text analysed: a document's block is
  // analysed alone, so there they count from the block).
  const lines = [...new Set(sites.map((s) => lineOf(s.node)))];
  const where = sites.length === 1 ? "" : ` (${sites.length} call sites, lines ${lines.join(", ")})`;
  const entries = [...new Set(sites.map((s) => s.entryPoint))].join(", ");
  const state = !movedToImds
    ? `${packageName} gets tokens from the VM extension in every version (it was renamed @azure/ms-rest-nodeauth ` +
      `before that package moved to IMDS in ${PACKAGES["@azure/ms-rest-nodeauth"]!.movedToImds})`
    : !pinned
      ? `no package.json or lock file above this file pins ${packageName}, and versions before ${movedToImds} ` +
        `get tokens from the VM extension`
      : pinned.exact
        ? `${packageName} ${pinned.version} (${pinned.source}) gets tokens from the VM extension; ` +
          `${movedToImds} moved them to IMDS`
        : `${packageName} ${pinned.version} (${pinned.source}) may install a version before ${movedToImds}, ` +
          `which gets tokens from the VM extension`;
  const upgrade = movedToImds ? `pin ${packageName} ${movedToImds} or later, or ` : "";
  return (
    `${entries}${where}: ${state}. Fix: ${upgrade}move to ManagedIdentityCredential of the package ` +
    `@azure/identity (\`${IDENTITY_SNIPPET}\`) and pass the credential to the @azure/arm-* client, or get a token with ` +
    `\`(await credential.getToken("https://management.azure.com/.default")).token\``
  );
}

/** An App Service or Cloud Shell variable the call's arguments read (its port taken from MSI_ENDPOINT). */
function lookalikeVariableOf(site: LegacySite): string | undefined {
  const text = (site.node.arguments ?? []).map((argument) => argument.getText()).join(" ");
  return LOOKALIKE_ENV_VARS.find((name) => new RegExp(`\\b${name}\\b`).test(text));
}

function lookalikeMessage(site: LegacySite, variable: string): string {
  return (
    `${site.entryPoint} (line ${lineOf(site.node)}) is given ${variable}: the endpoint of App Service, Functions or ` +
    "Cloud Shell, not the VM extension's. Move it to ManagedIdentityCredential of the package @azure/identity " +
    `(\`${IDENTITY_SNIPPET}\`): it reads ${variable} itself there, and asks IMDS on a VM`
  );
}

function lineOf(node: ts.Node): number {
  const file = node.getSourceFile();
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}
