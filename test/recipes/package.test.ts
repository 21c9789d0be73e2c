import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { ROOT } from "./fresh.js";

// What `npm pack` puts in the package: the build, the rule docs, the licence; no source maps (the sources
// are not shipped, so a map would point at nothing); the size the README states. Listed with
// --ignore-scripts: `npm test` has just built dist/, and rebuilding it under the other tests would race.

interface PackEntry {
  path: string;
}

it("npm pack ships the build, the docs and LICENSE, no source maps, at the size the README states", () => {
  const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(pack.status, 0, pack.stderr);
  const [result] = JSON.parse(pack.stdout) as { size: number; unpackedSize: number; files: PackEntry[] }[];
  const paths = result!.files.map((f) => f.path);
  for (const path of ["LICENSE", "README.md", "package.json", "dist/src/cli.js", "dist/src/eslint-plugin/index.js"])
    assert.ok(paths.includes(path), `${path} is packed`);
  assert.match(readFileSync(join(ROOT, "LICENSE"), "utf8"), /^MIT License/);

  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  assert.equal(manifest.license, "MIT");
  assert.ok(paths.includes(manifest.bin.msi2imds), "the bin is packed");
  for (const target of Object.values(manifest.exports as Record<string, string>))
    assert.ok(paths.includes(target.replace(/^\.\//, "")), `export ${target} is packed`);
  assert.equal(manifest.scripts.prepare, undefined, "nothing runs when a user installs the package");
  assert.equal(manifest.scripts.prepack, "npm run build");

  assert.deepEqual(
    paths.filter((p) => p.endsWith(".map")),
    [],
    "no source maps",
  );
  const mapped = paths.filter(
    (p) => p.endsWith(".js") && readFileSync(join(ROOT, p), "utf8").includes("sourceMappingURL"),
  );
  assert.deepEqual(mapped, [], "no script points at a map");
  assert.ok(
    paths.every((p) => !p.startsWith("src/") && !p.startsWith("test/")),
    "sources and tests stay home",
  );

  const stated = /`npm pack`: about (\d+) kB, (\d+) kB unpacked/.exec(readFileSync(join(ROOT, "README.md"), "utf8"));
  assert.ok(stated, "the README states the package's size");
  const near = (actual: number, kB: number) => Math.abs(actual / 1000 - kB) <= kB * 0.2;
  assert.ok(near(result!.size, Number(stated[1])), `packed ${result!.size} bytes, README says about ${stated[1]} kB`);
  assert.ok(
    near(result!.unpackedSize, Number(stated[2])),
    `unpacked ${result!.unpackedSize} bytes, README says about ${stated[2]} kB`,
  );
});
