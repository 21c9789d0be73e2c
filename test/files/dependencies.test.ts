import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { compareVersions, isExactVersion } from "../../src/core/dependency.js";
import { DependencyVersions } from "../../src/files/dependencies.js";

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

  it("PyPI, RubyGems, Go, NuGet and Maven: lock files exactly, manifests as written", () => {
    const root = tree({
      "py/poetry.lock": '[[package]]\nname = "msrestazure"\nversion = "0.4.21"\ndescription = ""\n',
      "py/requirements.txt": "msrestazure==0.6.4\n",
      "req/requirements-dev.txt": "# tools\nMSRestAzure>=0.4.0 ; python_version > '3'\nrequests==2.31.0\n",
      "rb/Gemfile.lock": "GEM\n  specs:\n    ms_rest_azure (0.11.1)\n      faraday (~> 0.9)\n",
      "go/go.mod":
        "module x\n\nrequire (\n\tgithub.com/Azure/go-autorest v10.5.0+incompatible\n" +
        "\tgithub.com/Azure/go-autorest/autorest/adal v0.9.23 // indirect\n)\n",
      "cs/App.csproj":
        '<Project><ItemGroup><PackageReference Include="Microsoft.Azure.Management.Fluent" Version="1.18.0" />' +
        '<PackageReference Include="Azure.Identity" Version="[1.10,2.0)" /></ItemGroup></Project>',
      "cslock/packages.lock.json": JSON.stringify({
        dependencies: { "net8.0": { "Microsoft.Azure.Management.Fluent": { resolved: "1.38.1" } } },
      }),
      "java/pom.xml":
        "<dependencies><dependency>\n  <groupId>com.microsoft.azure</groupId>\n" +
        "  <artifactId>azure-client-authentication</artifactId>\n  <version>1.6.2</version>\n</dependency></dependencies>",
      "gradle/build.gradle":
        "dependencies {\n  implementation 'com.microsoft.azure:azure-client-authentication:1.5.0'\n}\n",
    });
    const versions = new DependencyVersions(root);
    const at = (dir: string, ecosystem: Parameters<typeof versions.find>[1], name: string) => {
      const pin = versions.find(join(root, dir, "src/x"), ecosystem, name);
      return pin && `${pin.version} ${pin.exact ? "exact" : "range"} ${pin.source}`;
    };
    assert.equal(at("py", "pypi", "msrestazure"), "0.4.21 exact py/poetry.lock", "the lock file first");
    assert.equal(at("req", "pypi", "msrestazure"), ">=0.4.0 range req/requirements-dev.txt");
    assert.equal(at("req", "pypi", "Requests"), "2.31.0 exact req/requirements-dev.txt");
    assert.equal(at("rb", "rubygems", "ms_rest_azure"), "0.11.1 exact rb/Gemfile.lock");
    assert.equal(at("go", "go", "github.com/Azure/go-autorest"), "v10.5.0 exact go/go.mod");
    assert.equal(at("go", "go", "github.com/Azure/go-autorest/autorest/adal"), "v0.9.23 exact go/go.mod");
    assert.equal(at("cs", "nuget", "microsoft.azure.management.fluent"), "1.18.0 exact cs/App.csproj");
    assert.equal(at("cs", "nuget", "Azure.Identity"), "[1.10,2.0) range cs/App.csproj");
    assert.equal(at("cslock", "nuget", "Microsoft.Azure.Management.Fluent"), "1.38.1 exact cslock/packages.lock.json");
    assert.equal(at("java", "maven", "com.microsoft.azure:azure-client-authentication"), "1.6.2 exact java/pom.xml");
    assert.equal(
      at("gradle", "maven", "com.microsoft.azure:azure-client-authentication"),
      "1.5.0 exact gradle/build.gradle",
    );
  });
});
