import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { describe, it } from "node:test";
import type { FixFileReport } from "../../src/core/report.js";
import { runFix } from "../../src/codemod/run.js";
import { DEFAULT_API_VERSION } from "../../src/imds.js";
import { makeRepo } from "../lint/helpers.js";

// fix rewrites a notebook's cells as it rewrites the scripts they hold: a Python cell as the Python file, a
// %%bash cell as the shell script, byte for byte what the script fixtures' outputs are (and those are run
// before and after against the fake extension and the strict fake IMDS: scripts-runtime.test). An IPython
// `!` line is rewritten as the same line of a shell script is.

const FIXTURES = resolve(import.meta.dirname, "../../fixtures");

const notebook = (cells: { source: string; metadata?: unknown }[]) =>
  `${JSON.stringify(
    {
      cells: cells.map(({ source, metadata = {} }) => ({
        cell_type: "code",
        execution_count: null,
        metadata,
        outputs: [],
        source: source.split(/(?<=\n)/),
      })),
      metadata: { kernelspec: { language: "python", name: "python3" } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  )}\n`;

/** The cells' sources after `fix --write` of `files` in a fresh folder, and the reports. */
async function fixed(
  files: Record<string, string>,
): Promise<{ read: (name: string) => string[]; reports: FixFileReport[] }> {
  const root = makeRepo(files);
  const reports: FixFileReport[] = [];
  await runFix([root], { write: true, force: true, port: [], apiVersion: DEFAULT_API_VERSION }, (r) =>
    reports.push({ ...r, path: basename(r.path) }),
  );
  const read = (name: string) =>
    (JSON.parse(readFileSync(join(root, name), "utf8")) as { cells: { source: string | string[] }[] }).cells.map((c) =>
      typeof c.source === "string" ? c.source : c.source.join(""),
    );
  return { read, reports };
}

const pairs = (folder: string, extension: string) =>
  readdirSync(join(FIXTURES, folder))
    .filter((name) => name.endsWith(`.input.${extension}`))
    .map((name) => ({
      name,
      input: readFileSync(join(FIXTURES, folder, name), "utf8"),
      output: readFileSync(join(FIXTURES, folder, name.replace(".input.", ".output.")), "utf8"),
    }));

describe("fix on notebooks", () => {
  it("rewrites each Python cell as fix rewrites the Python file (every fix-python pair)", async () => {
    const cases = pairs("fix-python", "py");
    const files = Object.fromEntries(cases.map(({ name, input }) => [`${name}.ipynb`, notebook([{ source: input }])]));
    const { read } = await fixed(files);
    for (const { name, output } of cases) assert.deepEqual(read(`${name}.ipynb`), [output], name);
  });

  it("rewrites each %%bash cell as fix rewrites the shell script (every fix-shell pair)", async () => {
    const cases = pairs("fix-shell", "sh");
    const files = Object.fromEntries(
      cases.map(({ name, input }) => [`${name}.ipynb`, notebook([{ source: `%%bash\n${input}` }])]),
    );
    const { read } = await fixed(files);
    for (const { name, output } of cases) assert.deepEqual(read(`${name}.ipynb`), [`%%bash\n${output}`], name);
  });

  it("rewrites an IPython `!` line as the same line of a shell script, a directive's line left alone", async () => {
    const line = 'curl -s -H Metadata:true "http://localhost:50342/oauth2/token?resource=https://vault.azure.net"';
    const directive = "# msi2imds-disable-next-line no-extension-endpoint-text -- kept as it was\n";
    const { read, reports } = await fixed({
      "a.ipynb": notebook([{ source: `import os\n!${line}\ntoken = !${line}\n${directive}!${line}\n` }]),
      "a.sh": `${line}\n`,
    });
    const script = reports.find((r) => r.path === "a.sh")!.after!.trimEnd();
    assert.notEqual(script, line, "the script's line is rewritten");
    assert.deepEqual(read("a.ipynb"), [`import os\n!${script}\ntoken = !${script}\n${directive}!${line}\n`]);
  });

  it("reads the kernel's cells as one program: imports, constants and Cloud Shell checks of other cells", async () => {
    const url = '"http://localhost:50342/oauth2/token"';
    const constant = `import requests\nMSI_URL = ${url}\nrequests.get(MSI_URL, params={"resource": "a"}, headers={"Metadata": "true"})\n`;
    const post = 'r = requests.post(MSI_URL, data={"resource": "b"}, headers={"Metadata": "true"})\n';
    const { read, reports } = await fixed({
      "shared.ipynb": notebook([{ source: constant }, { source: post }]),
      "shell-uses-it.ipynb": notebook([{ source: constant }, { source: '!curl -s $MSI_URL --data "resource=c"\n' }]),
      "cloud-shell.ipynb": notebook([
        { source: 'import os\nassert "MSI_ENDPOINT" in os.environ\n' },
        { source: `import requests\nrequests.post(${url}, data={"resource": "d"}, headers={"Metadata": "true"})\n` },
      ]),
      "shared.py": constant + post,
    });
    // As the same code in one file: the constant and both calls.
    const script = reports.find((r) => r.path === "shared.py")!.after!;
    assert.equal(read("shared.ipynb").join(""), script);
    // A `!` line uses the constant where Python cannot rewrite it: nothing changes, and a person is told where.
    const shell = reports.find((r) => r.path === "shell-uses-it.ipynb")!;
    assert.equal(shell.status, "unchanged");
    assert.ok(shell.review.some((r) => /also used on line 1 of cell 2/.test(r.message)));
    const cloudShell = reports.find((r) => r.path === "cloud-shell.ipynb")!;
    assert.equal(cloudShell.status, "unchanged");
    assert.match(cloudShell.review[0]!.message, /Cloud Shell code path .*\(in cell 2 of this notebook\)$/);
  });

  it("holds a constant a `!` line uses however IPython interpolates it; rewrites a TS kernel's cells", async () => {
    const constant =
      'import requests\nMSI_URL = "http://localhost:50342/oauth2/token"\nrequests.get(MSI_URL, headers={"Metadata": "true"})\n';
    const uses = [
      '!curl -s {MSI_URL!s} --data "resource=c"\n',
      '!curl -s {MSI_URL + ""} --data "resource=c"\n',
      '!curl -s \\\n  $MSI_URL \\\n  --data "resource=c"\n',
      "!curl -s -d resource=c -H Metadata:true \\\n$MSI_URL\n",
    ];
    // Keywords and shell braces are no Python names: the program still parses, and its call is rewritten.
    const shellOnly = "!sed -i 's/{from}/x/' f && echo $in {lambda} {x.}\n";
    const { read, reports } = await fixed({
      ...Object.fromEntries(uses.map((use, i) => [`use${i}.ipynb`, notebook([{ source: constant }, { source: use }])])),
      "keywords.ipynb": notebook([{ source: constant }, { source: shellOnly }]),
      "deno.ipynb": JSON.stringify({
        cells: [
          {
            cell_type: "code",
            metadata: {},
            outputs: [],
            source:
              'const r = await fetch("http://localhost:50342/oauth2/token?resource=x", { headers: { Metadata: "true" } });\n',
          },
        ],
        metadata: { kernelspec: { language: "typescript", name: "deno" } },
      }),
    });
    for (const i of uses.keys())
      assert.equal(reports.find((r) => r.path === `use${i}.ipynb`)!.status, "unchanged", uses[i]);
    assert.equal(reports.find((r) => r.path === "keywords.ipynb")!.status, "changed");
    assert.match(read("deno.ipynb")[0]!, /169\.254\.169\.254\/metadata\/identity\/oauth2\/token\?api-version=/);
  });

  it("places what it lists in a kernel it does not rewrite in each cell (R)", async () => {
    const text = JSON.stringify(
      {
        cells: [
          "library(httr)\n",
          'r <- GET("http://localhost:50342/oauth2/token")\n',
          's <- GET("http://localhost:50342/oauth2/token")\n',
        ].map((source) => ({ cell_type: "code", metadata: {}, outputs: [], source })),
        metadata: { kernelspec: { language: "R" } },
      },
      null,
      1,
    );
    const { reports } = await fixed({ "r.ipynb": text });
    const review = reports[0]!.review;
    assert.deepEqual(
      review.map((r) => [
        ("file" in r.location && r.location.file.line) || 0,
        /\(in cell (\d) of this notebook\)$/.exec(r.message)?.[1],
      ]),
      [
        [text.split("\n").findIndex((l) => l.includes("r <- GET")) + 1, "2"],
        [text.split("\n").findIndex((l) => l.includes("s <- GET")) + 1, "3"],
      ],
    );
    assert.notEqual(review[0]!.fingerprint, review[1]!.fingerprint);
  });

  it("lists for a person the URL in cells it does not rewrite: a browser's %%javascript, HTML", async () => {
    const { reports } = await fixed({
      "a.ipynb": notebook([
        { source: '%%javascript\nfetch("http://localhost:50342/oauth2/token?resource=x")\n' },
        { source: '%%capture\n%%html\n<a href="http://localhost:50342/oauth2/token">token</a>\n' },
      ]),
    });
    assert.deepEqual(
      reports[0]!.review.map((r) => /language fix does not rewrite \((\w+)/.exec(r.message)?.[1]),
      ["javascript", "plain"],
    );
  });

  it("leaves to a person a cell that does not parse, and reports the notebook's lines", async () => {
    const source =
      'import requests\nx?\nrequests.get("http://localhost:50342/oauth2/token", headers={"Metadata": "true"})\n';
    const text = notebook([{ source }]);
    const { read, reports } = await fixed({ "a.ipynb": text });
    assert.deepEqual(read("a.ipynb"), [source]);
    const [report] = reports;
    assert.equal(report!.review.length, 1);
    assert.match(report!.review[0]!.message, /does not parse as a whole .*\(in cell 1 of this notebook\)$/);
    const at = report!.review[0]!.location;
    assert.ok("file" in at);
    assert.equal(at.file.line, text.split("\n").findIndex((l) => l.includes("requests.get")) + 1);
  });

  it("a second run changes nothing; a notebook whose JSON is broken is not written", async () => {
    const root = makeRepo({
      "a.ipynb": notebook([
        {
          source:
            'import requests\nrequests.get("http://localhost:50342/oauth2/token", headers={"Metadata": "true"})\n',
        },
      ]),
      "b.ipynb": '{"cells": [{"source": ["requests.get(\\"http://localhost:50342/oauth2/token\\")"',
    });
    const run = async () => {
      const reports: FixFileReport[] = [];
      await runFix([root], { write: true, force: true, port: [], apiVersion: DEFAULT_API_VERSION }, (r) =>
        reports.push(r),
      );
      return Object.fromEntries(reports.map((r) => [basename(r.path), r.status]));
    };
    assert.deepEqual(await run(), { "a.ipynb": "changed", "b.ipynb": "skipped" });
    const after = readFileSync(join(root, "a.ipynb"), "utf8");
    assert.deepEqual(await run(), { "a.ipynb": "unchanged", "b.ipynb": "skipped" });
    assert.equal(readFileSync(join(root, "a.ipynb"), "utf8"), after);
  });
});
