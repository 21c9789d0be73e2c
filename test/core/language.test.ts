import { test } from "node:test";
import assert from "node:assert/strict";
import { languageOf, languageOfText } from "../../src/core/language.js";

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
      ["docs/readme.md", "docs"],
      ["docs/index.rst", "docs"],
      ["web/index.php", "php"],
      ["config/.env", undefined],
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

test("a name that tells nothing: the #! line's interpreter, JSON by its first character, else text", () => {
  const cases: [string, string][] = [
    ["#!/bin/bash\ncurl x\n", "shell"],
    ["#!/bin/sh\n", "shell"],
    ["  #!/usr/bin/env python3\n", "python"],
    ["#!/usr/bin/env pwsh\n", "powershell"],
    ["#!/usr/bin/ruby -w\n", "ruby"],
    ["#!/usr/bin/env node\n", "javascript"],
    ["#!/opt/weird/interp", "text"],
    ['\n{\n  "$schema": "https://schema.management.azure.com/"\n}', "json"],
    ['{{ define "vm" }}\n{ "resources": [] }', "json"],
    ['[{"a": 1}]', "json"],
    ["[section]\nkey=value\n", "text"],
    ["KEY=value\n", "text"],
  ];
  for (const [text, expected] of cases) assert.equal(languageOfText(text), expected, JSON.stringify(text));
});
