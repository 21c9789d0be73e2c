import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Language } from "../../src/core/language.js";
import { parse, type NodeKind, type SyntaxTree } from "../../src/syntax/index.js";

// The syntax service as its users see it: what kind of node holds a piece of text, the call or command
// around it, the function it sits in, all at offsets into the JavaScript string.

/** The kinds of the nodes holding `needle` (its first occurrence at or after `after`), innermost first. */
function kindsAround(tree: SyntaxTree, needle: string, after = ""): NodeKind[] {
  const at = tree.text.indexOf(needle, tree.text.indexOf(after));
  assert.ok(at >= 0, `"${needle}" is in the text`);
  const kinds: NodeKind[] = [];
  for (let node = tree.enclosing(at, at + needle.length); node; node = node.parent) kinds.push(node.kind);
  return kinds;
}

function texts(tree: SyntaxTree, kind: NodeKind): string[] {
  return tree.ofKind(kind).map((node) => tree.textOf(node));
}

const URL = "http://localhost:50342/oauth2/token";

describe("syntax service: languages with a grammar", () => {
  it("Python: comments apart from strings, calls by callee, the enclosing function, dicts", async () => {
    const tree = await parse(
      "python",
      `# curl ${URL}\ndef token():\n    return requests.post("${URL}", headers={"Metadata": "true"})\n`,
    );
    assert.deepEqual(kindsAround(tree, URL), ["comment"]);
    assert.deepEqual(kindsAround(tree, URL, "def"), ["string", "call", "function"]);
    assert.deepEqual(
      tree.ofKind("call").map((c) => c.name),
      ["requests.post"],
    );
    assert.equal(tree.enclosing(tree.text.indexOf("requests"), undefined, "function")?.name, "token");
    assert.deepEqual(texts(tree, "object"), ['{"Metadata": "true"}']);
    assert.equal(tree.errors, 0);
  });

  it("shell: $(…) and backticks are command substitutions holding the command", async () => {
    const tree = await parse("shell", "# az login --msi\nA=$(az login --msi)\nB=`az login --msi`\naz login --msi\n");
    assert.deepEqual(kindsAround(tree, "az login"), ["comment"]);
    assert.deepEqual(kindsAround(tree, "az login", "A="), ["call", "command-substitution"]);
    assert.deepEqual(kindsAround(tree, "az login", "B="), ["call", "command-substitution"]);
    assert.deepEqual(
      tree.ofKind("call").map((c) => c.name),
      ["az", "az", "az"],
    );
    assert.deepEqual(texts(tree, "command-substitution"), ["$(az login --msi)", "`az login --msi`"]);
  });

  it("shell: a function, a quoted URL, a heredoc's body", async () => {
    const tree = await parse("shell", `get() {\n  curl -s "${URL}" <<EOF\nbody\nEOF\n}\n`);
    assert.deepEqual(kindsAround(tree, URL), ["string", "call", "function"]);
    assert.equal(tree.ofKind("function")[0]?.name, "get");
    assert.ok(texts(tree, "string").includes("body\n"));
  });

  it("PowerShell: block comments, $(…) sub-expressions, commands by name, hashtables", async () => {
    const tree = await parse(
      "powershell",
      `<# Invoke-RestMethod ${URL} #>\nfunction Get-Token {\n  $t = $(az login --msi)\n` +
        `  Invoke-RestMethod -Uri '${URL}' -Headers @{Metadata="true"} # old\n}\n`,
    );
    assert.deepEqual(kindsAround(tree, URL), ["comment"]);
    assert.deepEqual(kindsAround(tree, URL, "-Uri"), ["string", "call", "function"]);
    assert.deepEqual(kindsAround(tree, "az login"), ["call", "command-substitution", "function"]);
    assert.deepEqual(
      tree.ofKind("call").map((c) => c.name),
      ["az", "Invoke-RestMethod"],
    );
    assert.equal(tree.ofKind("function")[0]?.name, "Get-Token");
    assert.deepEqual(texts(tree, "object"), ['@{Metadata="true"}']);
    assert.deepEqual(texts(tree, "comment").at(-1), "# old");
  });

  it("Go: struct literals, calls and raw strings", async () => {
    const tree = await parse(
      "go",
      "package main\n// old\nfunc ext() {\n\te := compute.VirtualMachineExtension{Publisher: " +
        'to.StringPtr("Microsoft.ManagedIdentity"), Type: to.StringPtr(`ManagedIdentityExtensionForLinux`)}\n}\n',
    );
    assert.deepEqual(kindsAround(tree, "ManagedIdentityExtensionForLinux"), [
      "string",
      "call",
      "object", // the braces
      "object", // the literal with its type
      "function",
    ]);
    assert.deepEqual(
      tree.ofKind("call").map((c) => c.name),
      ["to.StringPtr", "to.StringPtr"],
    );
    assert.equal(tree.ofKind("function")[0]?.name, "ext");
  });

  it("C#: interpolated and verbatim strings, object initializers, fluent chains", async () => {
    const tree = await parse(
      "csharp",
      'class A {\n  // c\n  void M(int port) {\n    var u = $"http://localhost:{port}/oauth2/token";\n' +
        '    var v = @"C:\\x";\n    var e = new VirtualMachineExtension { Publisher = "Microsoft.ManagedIdentity" };\n' +
        '    vm.DefineNewExtension("msi").WithPublisher("Microsoft.ManagedIdentity");\n  }\n}\n',
    );
    assert.deepEqual(texts(tree, "string").slice(0, 2), ['$"http://localhost:{port}/oauth2/token"', '@"C:\\x"']);
    assert.deepEqual(kindsAround(tree, "Microsoft.ManagedIdentity"), ["string", "object", "call", "function"]);
    assert.deepEqual(
      tree.ofKind("call").map((c) => c.name),
      ["new VirtualMachineExtension", 'vm.DefineNewExtension("msi").WithPublisher', "vm.DefineNewExtension"],
    );
    assert.equal(tree.ofKind("function")[0]?.name, "M");
    assert.deepEqual(texts(tree, "comment"), ["// c"]);
  });

  it("Java: line and block comments, text blocks, constructor calls", async () => {
    const tree = await parse(
      "java",
      'class A {\n  /* old */\n  // c\n  void m() {\n    String t = """\n      text""";\n' +
        "    MSICredentials c = new MSICredentials(env, 50342);\n  }\n}\n",
    );
    assert.deepEqual(texts(tree, "comment"), ["/* old */", "// c"]);
    assert.deepEqual(texts(tree, "string"), ['"""\n      text"""']);
    assert.deepEqual(
      tree.ofKind("call").map((c) => c.name),
      ["new MSICredentials"],
    );
  });

  it("Ruby: =begin comments, backticks, hashes, calls with receivers", async () => {
    const tree = await parse(
      "ruby",
      "=begin\nold\n=end\ndef t(port)\n  out = `curl #{URL}`\n  MsRestAzure::MSITokenProvider.new(port)\n" +
        "  { publisher: 'Microsoft.ManagedIdentity' }\nend\n",
    );
    assert.deepEqual(texts(tree, "comment"), ["=begin\nold\n=end"]);
    assert.deepEqual(kindsAround(tree, "curl"), ["command-substitution", "function"]);
    assert.deepEqual(
      tree.ofKind("call").map((c) => c.name),
      ["MsRestAzure::MSITokenProvider.new"],
    );
    assert.deepEqual(kindsAround(tree, "Microsoft"), ["string", "object", "function"]);
  });

  it("JavaScript and TypeScript: template strings, new, arrow functions, object literals", async () => {
    for (const language of ["javascript", "typescript"] as const) {
      const tree = await parse(
        language,
        "// c\nconst f = () => fetch(`http://localhost:${port}/oauth2/token`, { headers: { Metadata: 'true' } });\n" +
          "new MSITokenCredentials({ port: 50342 });\n",
      );
      assert.deepEqual(kindsAround(tree, "oauth2"), ["string", "call", "function"], language);
      assert.deepEqual(
        tree.ofKind("call").map((c) => c.name),
        ["fetch", "new MSITokenCredentials"],
        language,
      );
      assert.equal(tree.ofKind("object").length, 3, language);
    }
  });

  it("offsets count UTF-16 code units, as JavaScript strings do", async () => {
    const tree = await parse("python", `# ü 😀 façade\nx = "${URL}"\n`);
    assert.deepEqual(texts(tree, "string"), [`"${URL}"`]);
    assert.deepEqual(texts(tree, "comment"), ["# ü 😀 façade"]);
  });

  it("a file that does not parse still gives its comments and strings, and counts the errors", async () => {
    const tree = await parse("python", `def broken(:\n    # ${URL}\n    x = "${URL}"\n`);
    assert.ok(tree.errors > 0);
    assert.deepEqual(texts(tree, "comment"), [`# ${URL}`]);
    assert.deepEqual(texts(tree, "string"), [`"${URL}"`]);
  });

  it("long call chains keep the end of each name", async () => {
    const chain = `${"a.b()".repeat(200)}.last()`;
    const tree = await parse("javascript", `${chain};\n`);
    const outer = tree.ofKind("call")[0]!;
    assert.ok(outer.name!.endsWith(".last") && outer.name!.length <= 160, outer.name);
  });
});

describe("syntax service: languages read by a lexer", () => {
  const cases: [Language, string, string[], string[]][] = [
    [
      "terraform",
      '# old: curl URL\n// also\n/* block */\nresource "x" "y" {\n  s = <<EOT\nhere\nEOT\n  a = "b#c"\n}\n',
      ["# old: curl URL", "// also", "/* block */"],
      ['"x"', '"y"', "<<EOT\nhere\nEOT", '"b#c"'],
    ],
    [
      "yaml",
      "# top\nrun: curl a#b # tail\nname: 'it''s'\nv: it's # end\nq: \"x # y\"\n",
      ["# top", "# tail", "# end"],
      ["'it''s'", '"x # y"'],
    ],
    ["dockerfile", '# syntax\nRUN curl x # why\nENV A="b"\n', ["# syntax", "# why"], ['"b"']],
    ["json", '{\n  // c\n  "a": "b\\"#", /* d */ "e": 1\n}\n', ["// c", "/* d */"], ['"a"', '"b\\"#"', '"e"']],
    ["bicep", "// c\nvar s = '''\nmulti\n'''\nvar t = 'x\\'y'\n", ["// c"], ["'''\nmulti\n'''", "'x\\'y'"]],
  ];
  for (const [language, text, comments, strings] of cases) {
    it(`${language}: comments and strings`, async () => {
      const tree = await parse(language, text);
      assert.deepEqual(texts(tree, "comment"), comments);
      assert.deepEqual(texts(tree, "string"), strings);
      assert.equal(tree.enclosing(text.indexOf(comments[0]!) + 1)?.kind, "comment");
    });
  }
});

describe("syntax tree queries", () => {
  it("enclosing: end-exclusive, nearest of the kinds asked", async () => {
    const text = 'def f():\n    g("s")\n';
    const tree = await parse("python", text);
    const quote = text.indexOf('"s"');
    assert.equal(tree.enclosing(quote)?.kind, "string");
    assert.equal(tree.enclosing(quote + 3)?.kind, "call", "the offset after a string's last quote is outside it");
    assert.equal(tree.enclosing(quote, quote + 3, ["function"])?.name, "f");
    assert.equal(tree.enclosing(quote, quote + 3, "object"), undefined);
    assert.equal(tree.enclosing(0, 1, "string"), undefined);
  });
});
