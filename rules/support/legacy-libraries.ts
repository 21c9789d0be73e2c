import { compareVersions, type Ecosystem, type PinnedVersion } from "../../src/core/dependency.js";
import type { FileRuleContext } from "../../src/core/rule.js";

// The old SDKs whose managed-identity entry points moved from the VM extension to IMDS in a known release,
// and what the project's lock file or manifest says about the release it uses (domain.md §5; go-autorest's
// CHANGELOG: "v10.6.0 Changed MSI token implementation. Now, the token endpoint is the IMDS endpoint";
// ms_rest_azure's ChangeLog: "2018.04.04 ms_rest_azure version 0.10.4: Added IMDS Support for MSI Token
// Provider class", IMDS by default from then on, the extension only when MSI_VM=true).

export interface MovedLibrary {
  ecosystem: Ecosystem;
  name: string;
  /** The first release that asks IMDS. */
  movedIn: string;
}

export const MSRESTAZURE: MovedLibrary = { ecosystem: "pypi", name: "msrestazure", movedIn: "0.4.25" };
export const GO_AUTOREST: MovedLibrary = { ecosystem: "go", name: "github.com/Azure/go-autorest", movedIn: "v10.6.0" };
export const MS_REST_AZURE: MovedLibrary = { ecosystem: "rubygems", name: "ms_rest_azure", movedIn: "0.10.4" };
/** go-autorest's adal became a module of its own in 2019, after the move: every release of it asks IMDS. */
export const GO_AUTOREST_ADAL: MovedLibrary = {
  ecosystem: "go",
  name: "github.com/Azure/go-autorest/autorest/adal",
  movedIn: "v0.0.0",
};

export interface VersionVerdict {
  /** "moved": the release used asks IMDS; "old": it asks the extension; "unknown": nothing says which. */
  state: "moved" | "old" | "unknown";
  /**
   * For the message: "ms-rest-azure 2.5.9 (package-lock.json)", "ms-rest-azure ^2.5.5 in package.json, which
   * may resolve below 2.6.0", "no lock file or manifest names ms-rest-azure".
   */
  described: string;
}

/** What the project's pins say about one of `libraries` (the first one pinned). */
export function versionVerdict(context: FileRuleContext, ...libraries: MovedLibrary[]): VersionVerdict {
  for (const library of libraries) {
    const pin = context.dependency(library.ecosystem, library.name);
    if (pin) return verdictOf(pin, library);
  }
  const [first] = libraries;
  return { state: "unknown", described: `no lock file or manifest names ${first!.name}` };
}

function verdictOf(pin: PinnedVersion, library: MovedLibrary): VersionVerdict {
  if (!pin.exact)
    return {
      state: "unknown",
      described: `${library.name} ${pin.version} in ${pin.source}, which may resolve below ${library.movedIn}`,
    };
  const moved = compareVersions(pin.version, library.movedIn) >= 0;
  return { state: moved ? "moved" : "old", described: `${library.name} ${pin.version} (${pin.source})` };
}
