import { test } from "node:test";
import assert from "node:assert/strict";
import { ts } from "../../src/codemod/ts.js";
import { constantValue, flatten } from "../../src/codemod/evaluate.js";

// flatten() turns `new URL(input, base)` into the pieces of the URL it resolves to only where plain
// concatenation gives what the URL parser gives; everywhere else the value is unknown (never a wrong guess).

function flattened(code: string): string | undefined {
  const file = ts.createSourceFile("a.ts", `const u = ${code};`, ts.ScriptTarget.Latest, true);
  const declaration = (
    file.statements[0] as ts.Statement & { declarationList: { declarations: ts.VariableDeclaration[] } }
  ).declarationList.declarations[0]!;
  return constantValue(flatten(declaration.initializer!));
}

const RESOLVED: [string, string][] = [
  ["/oauth2/token", "http://localhost:50342"],
  ["/oauth2/token", "http://localhost:50342/"],
  ["/oauth2/token?resource=x", "http://localhost:50342/some/path?q=1#f"],
  ["oauth2/token", "http://localhost:50342/"],
  ["token", "http://localhost:50342/oauth2/"],
  ["oauth2/token", "http://localhost:50342/x"],
  ["oauth2/token?resource=x", "http://127.0.0.1:50342/a/b?x=1#y"],
  ["http://localhost:50342/oauth2/token", "http://example.com/"],
];

test("new URL(input, base) flattens to what the URL parser resolves", () => {
  for (const [input, base] of RESOLVED) {
    const value = flattened(`new URL(${JSON.stringify(input)}, ${JSON.stringify(base)})`);
    assert.ok(value !== undefined, `${input} against ${base} is known`);
    assert.equal(new URL(value).href, new URL(input, base).href, `${input} against ${base}`);
  }
});

const UNKNOWN: [string, string][] = [
  ["//other:50342/oauth2/token", "http://localhost:50342/"],
  ["?resource=x", "http://localhost:50342/oauth2/token"],
  ["#x", "http://localhost:50342/oauth2/token"],
  ["./oauth2/token", "http://localhost:50342/"],
  ["../oauth2/token", "http://localhost:50342/a/"],
  ["", "http://localhost:50342/oauth2/token"],
  // No path in the base: the parser adds a "/" that no literal holds.
  ["oauth2/token", "http://localhost:50342"],
  ["/oauth2/token", "not a url"],
];

test("where concatenation would differ from the parser, the value stays unknown", () => {
  for (const [input, base] of UNKNOWN) {
    assert.equal(
      flattened(`new URL(${JSON.stringify(input)}, ${JSON.stringify(base)})`),
      undefined,
      `${JSON.stringify(input)} against ${base}`,
    );
  }
  // An unknown piece in the base's path could hold a "/", "?" or "#".
  assert.equal(flattened('new URL("oauth2/token", `http://localhost:50342/${prefix}/`)'), undefined);
  // … but not in a part an absolute path replaces.
  assert.equal(
    flattened('new URL("/oauth2/token", `http://localhost:50342/${prefix}/`)'),
    "http://localhost:50342/oauth2/token",
  );
});
