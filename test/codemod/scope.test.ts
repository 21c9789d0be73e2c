import assert from "node:assert/strict";
import { test } from "node:test";
import type * as TsMorph from "ts-morph";
import { lookup } from "../../src/codemod/scope.js";
import { ts } from "../../src/codemod/ts.js";

// A name is looked up in an index of its scope built once, not by walking the scope's statements for each
// name: a minified bundle has tens of thousands of statements and as many names to look up. Work is
// counted as the statements read, through a proxy in place of the file's statement list.

/** Looks up each of n names declared in a file of n declarations; returns how many statements were read. */
function statementsReadFor(n: number): number {
  const declarations = Array.from({ length: n }, (_, i) => `const v${i} = ${i};`);
  const uses = Array.from({ length: n }, (_, i) => `use(v${i});`);
  const file = ts.createSourceFile("a.js", [...declarations, ...uses].join("\n"), ts.ScriptTarget.Latest, true);
  const names = file.statements.slice(n).map((statement) => {
    const call = (statement as TsMorph.ts.ExpressionStatement).expression as ts.CallExpression;
    return call.arguments[0] as ts.Identifier;
  });
  let reads = 0;
  const counted = new Proxy(file.statements, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  Object.defineProperty(file, "statements", { value: counted });
  for (const [i, name] of names.entries()) {
    const binding = lookup(name.text, name);
    assert.equal(binding?.kind === "const" && binding.declaration.name.getText(file), `v${i}`);
  }
  return reads;
}

test("looking up every name of a file reads its statements once, not once per name", () => {
  const single = statementsReadFor(1000);
  const double = statementsReadFor(2000);
  assert.ok(double / single < 2.5, `statements read grew ${(double / single).toFixed(2)} times when doubled`);
});

test("the first binding of a name in a scope wins, a parameter's name and destructured names included", () => {
  const source = [
    'const { a: { b }, c = 1 } = require("m");',
    "let b = 2;",
    "function f(x, { y }) { return [x, y, b, c]; }",
  ].join("\n");
  const file = ts.createSourceFile("a.js", source, ts.ScriptTarget.Latest, true);
  const used = new Map<string, ts.Identifier>();
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node))
      for (const element of node.elements) used.set((element as ts.Identifier).text, element as ts.Identifier);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const kinds = [...used].map(([name, node]) => {
    const binding = lookup(name, node);
    return `${name}:${binding?.kind}${binding?.kind === "import" ? `:${binding.module}:${binding.imported}` : ""}`;
  });
  assert.deepEqual(kinds, ["x:parameter", "y:parameter", "b:import:m:a", "c:import:m:c"]);
});

test("a let or var is a constant only when no assignment of any kind writes it again", () => {
  const kindOf = (source: string) => {
    const file = ts.createSourceFile("a.js", `${source}\nuse(x);`, ts.ScriptTarget.Latest, true);
    const use = (file.statements.at(-1) as TsMorph.ts.ExpressionStatement).expression as ts.CallExpression;
    return lookup("x", use.arguments[0]!)?.kind;
  };
  assert.equal(kindOf('let x = "a";'), "const");
  assert.equal(kindOf('var x = "a";'), "const");
  for (const write of [
    "x = 'b';",
    "x += 'b';",
    "x %= 2;",
    "x **= 2;",
    "x <<= 1;",
    "x |= 1;",
    "x ??= 'b';",
    "x++;",
    "[x] = ['b'];",
    "for (x of []);",
  ])
    assert.equal(kindOf(`let x = "a";\n${write}`), "variable", write);
  assert.equal(kindOf('var x = "a";\nvar x = "b";'), "variable");
});
