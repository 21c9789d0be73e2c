import { test } from "node:test";
import assert from "node:assert/strict";
import { languageOf } from "../../src/core/language.js";

test(
  "a file's language comes from its extension in any case, " + "or its Dockerfile name, never from a folder's name",
  () => {
    const cases: [string, string | undefined][] = [
      ["src/a.ts", "typescript"],
      ["src/A.MJS", "javascript"],
      ["C:\\repo\\deploy.PS1", "powershell"],
      ["infra/main.bicep", "bicep"],
      [".github/workflows/ci.yml", "yaml"],
      ["Dockerfile", "dockerfile"],
      ["build/Dockerfile.dev", "dockerfile"],
      ["Dockerfile.json", "dockerfile"],
      ["api.Dockerfile", "dockerfile"],
      ["CONTAINERFILE", "dockerfile"],
      ["docs/readme.md", undefined],
      ["Makefile", undefined],
      ["src.ts/README", undefined],
      ["pkg/", undefined],
      [".ts", "typescript"],
      // Names an object's prototype holds are no extensions.
      ["a.constructor", undefined],
      ["a.toString", undefined],
      ["a.__proto__", undefined],
    ];
    for (const [path, expected] of cases) assert.equal(languageOf(path), expected, path);
  },
);
