import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { compareVersions, DependencyVersions, isExactVersion } from "../../src/files/dependencies.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "msi2imds-deps-"));
  mkdirSync(join(root, ".git"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("dependency versions", () => {
  it("a lock file (v1, v2/v3) says the installed version; the manifest only its range", () => {
    const root = tree({
      "v3/package.json": JSON.stringify({ dependencies: { "ms-rest-azure": "^2.5.5" } }),
      "v3/package-lock.json": JSON.stringify({
        lockfileVersion: 3,
        packages: {
          "": {},
          "node_modules/ms-rest-azure": { version: "2.6.2" },
          "node_modules/x/node_modules/ms-rest-azure": { version: "1.0.0" },
        },
      }),
      "v1/package-lock.json": JSON.stringify({
        lockfileVersion: 1,
        dependencies: { "ms-rest-azure": { version: "2.3.3" } },
      }),
      "range/package.json": JSON.stringify({ devDependencies: { "@azure/ms-rest-nodeauth": "^0.8.0" } }),
      "pinned/package.json": JSON.stringify({ dependencies: { "ms-rest-azure": "2.5.9" } }),
    });
    const versions = new DependencyVersions(root);
    assert.deepEqual(versions.find(join(root, "v3/src/a.js"), "npm", "ms-rest-azure"), {
      name: "ms-rest-azure",
      version: "2.6.2",
      exact: true,
      source: "v3/package-lock.json",
    });
    assert.equal(versions.find(join(root, "v1/a.js"), "npm", "ms-rest-azure")?.version, "2.3.3");
    assert.deepEqual(versions.find(join(root, "range/a.ts"), "npm", "@azure/ms-rest-nodeauth"), {
      name: "@azure/ms-rest-nodeauth",
      version: "^0.8.0",
      exact: false,
      source: "range/package.json",
    });
    assert.equal(versions.find(join(root, "pinned/a.js"), "npm", "ms-rest-azure")?.exact, true);
    assert.equal(versions.find(join(root, "v3/a.js"), "npm", "left-pad"), undefined);
  });

  it("stops at the repository root and survives a manifest that does not parse", () => {
    const root = tree({ "package.json": "{ not json", "app/a.js": "" });
    assert.equal(new DependencyVersions(root).find(join(root, "app/a.js"), "npm", "ms-rest-azure"), undefined);
  });

  it("compares versions numerically, a pre-release before its release", () => {
    assert.ok(compareVersions("2.5.9", "2.6.0") < 0);
    assert.ok(compareVersions("2.10.0", "2.6.0") > 0);
    assert.equal(compareVersions("v2.6.0", "2.6"), 0);
    assert.ok(compareVersions("2.6.0-beta.1", "2.6.0") < 0);
    assert.ok(
      isExactVersion("2.5.9") && isExactVersion("=1.0.0-rc.1") && !isExactVersion("^2.5.5") && !isExactVersion("2.x"),
    );
  });
});
