import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { codeBlocks, textOnDocumentLines } from "../../src/syntax/index.js";

// The code blocks of docs, each with its language and its place in the document.

const show = (text: string, rst = false) =>
  codeBlocks(text, rst).map((b) => {
    if (!b.diff)
      assert.equal(text.slice(b.start, b.start + b.text.length), b.text, "the block's text is the document's");
    const before = text.slice(0, b.start).split("\n").length - 1;
    assert.equal(textOnDocumentLines(b), "\n".repeat(before) + b.text, "read on the document's lines");
    return [b.language, b.text];
  });

describe("code blocks", () => {
  it("Markdown fences: ``` and ~~~, info strings, nested in lists, unlabelled ones by their text", () => {
    const doc = [
      "# Title",
      "```bash",
      "curl x",
      "```",
      "1. In a list:",
      "   ```azurecli-interactive",
      "   az login --msi",
      "   ```",
      "~~~~ {.python}",
      "print('```')",
      "~~~~",
      "```",
      "$ az vm list",
      "```",
      "```",
      '{ "a": 1 }',
      "```",
      "```text",
      "just words",
      "```",
      "Inline ```code``` is no fence.",
      "```ps1",
      "unclosed",
    ].join("\r\n");
    assert.deepEqual(show(doc), [
      ["shell", "curl x"],
      ["shell", "   az login --msi"],
      ["python", "print('```')"],
      ["shell", "$ az vm list"],
      ["json", '{ "a": 1 }'],
      ["text", "just words"],
      ["powershell", "unclosed"],
    ]);
  });

  it("a diff block is read as its new side, each line where the document has it", () => {
    const doc =
      "# Move to IMDS\n\n```diff\n- curl http://localhost:50342/oauth2/token\n+ curl http://169.254.169.254/x\n  echo done\n```\n";
    const [block] = codeBlocks(doc, false);
    assert.equal(block!.diff, true);
    assert.equal(block!.text.length, doc.indexOf("\n```\n", block!.start) - block!.start);
    assert.equal(block!.text, `${" ".repeat(42)}\n  curl http://169.254.169.254/x\n  echo done`);
    assert.equal(block!.language, "shell");
  });

  it("reStructuredText: code-block directives with options, code and literal blocks", () => {
    const doc = [
      "Title",
      "=====",
      "",
      ".. code-block:: python",
      "   :linenos:",
      "",
      "   import requests",
      "   requests.get(url)",
      "",
      "Then::",
      "",
      "    Invoke-RestMethod -Uri $u",
      "",
      ".. code:: yaml",
      "",
      "  steps: []",
      "Back to text.",
    ].join("\n");
    assert.deepEqual(show(doc, true), [
      ["python", "   import requests\n   requests.get(url)"],
      ["powershell", "    Invoke-RestMethod -Uri $u"],
      ["yaml", "  steps: []"],
    ]);
  });

  it("each block knows its section: the headings above it and its section's words before it", () => {
    const markdown = [
      "# Tokens on a VM",
      "",
      "## Prerequisites",
      "Use Azure Cloud Shell, or install the CLI.",
      "",
      "## Get a token",
      "Over SSH:",
      "```sh",
      "curl $URL",
      "```",
      "Tokens in Cloud Shell",
      "---------------------",
      "Cloud Shell has its own endpoint:",
      "```sh",
      "curl $URL",
      "```",
    ].join("\n");
    const [vm, cloudShell] = codeBlocks(markdown, false).map((b) => b.section);
    assert.equal(vm, "Tokens on a VM\nGet a token\nOver SSH:\n```sh\n");
    assert.equal(cloudShell, "Tokens on a VM\nTokens in Cloud Shell\nCloud Shell has its own endpoint:\n```sh\n");
    const rst = [
      "Tokens",
      "======",
      "",
      "In Cloud Shell",
      "--------------",
      "",
      ".. code-block:: bash",
      "",
      "   curl $URL",
      "",
      "On a VM",
      "-------",
      "",
      ".. code-block:: bash",
      "",
      "   curl $URL",
    ].join("\n");
    assert.deepEqual(
      codeBlocks(rst, true).map((b) => b.section.split("\n")[1]),
      ["In Cloud Shell", "On a VM"],
    );
  });
});
