import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CLEAN_PY, EXTENSION_PY, lint, lintJson, makeRepo, summary } from "./helpers.js";

// --cache: unchanged files are not checked again, and a change of content, rules or options is never
// answered from the cache.

const CACHE = "node_modules/.cache/msi2imds/lint-cache.json";

describe("lint --cache", () => {
  it("answers unchanged files from the cache and re-checks changed ones", () => {
    // Documents and notebooks too: they are read in parts, and remembered whole.
    const notebook = JSON.stringify({ cells: [{ cell_type: "code", source: EXTENSION_PY }], metadata: {} });
    const root = makeRepo({
      "a.py": EXTENSION_PY,
      "b.py": EXTENSION_PY,
      "c.py": CLEAN_PY,
      "d.ipynb": notebook,
      "e.md": `\`\`\`python\n${EXTENSION_PY}\`\`\`\n`,
    });
    const first = lintJson(root, ["--cache"]);
    assert.equal(first.run.status, 1);
    assert.match(first.run.stderr, /cache: 0 file\(s\) unchanged/);
    assert.equal(Object.keys(JSON.parse(readFileSync(join(root, CACHE), "utf8")).files).length, 5);

    writeFileSync(join(root, "b.py"), CLEAN_PY);
    const second = lintJson(root, ["--cache"]);
    assert.match(second.run.stderr, /cache: 4 file\(s\) unchanged/, "a.py, c.py, d.ipynb and e.md");
    assert.deepEqual(summary(second.results), [
      "a.py:1 no-extension-endpoint-text",
      "d.ipynb:1 no-extension-endpoint-text",
      "e.md:2 no-extension-endpoint-text",
    ]);
  });

  it("a cached finding is not reused once the rules or options change", () => {
    const root = makeRepo({ "a.py": EXTENSION_PY });
    assert.equal(lint(root, ["--cache"]).status, 1);
    writeFileSync(join(root, "msi2imds.config.json"), '{ "rules": { "no-extension-endpoint-text": "warn" } }');
    const warned = lintJson(root, ["--cache"]);
    assert.equal(warned.run.status, 0, "the warning comes from a fresh check, not the cached error");
    assert.match(warned.run.stderr, /cache: 0 file\(s\) unchanged/);
    assert.equal(warned.results[0]?.messages[0]?.severity, 1);

    const port = makeRepo({ "a.py": 'URL = "http://localhost:50400/oauth2/token"\n' });
    assert.equal(lint(port, ["--cache"]).status, 0);
    assert.equal(lint(port, ["--cache", "--port", "50400"]).status, 1, "a new --port is a new scope");
  });

  it("an unreadable cache file is started afresh", () => {
    const root = makeRepo({ "a.py": EXTENSION_PY, [CACHE]: "{ not json" });
    const run = lint(root, ["--cache"]);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(typeof JSON.parse(readFileSync(join(root, CACHE), "utf8")).scope, "string");
  });
});
