import assert from "node:assert/strict";
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadedTreeSitter, loadedTypeScript, runCli, spawnCli } from "../support/spawn-cli.js";
import { fixtureWorkspace } from "../support/workspace.js";

// `msi2imds fix` over a tree of scripts, as a user runs it: the built CLI in a child process, over copies of
// fix's Python, shell and PowerShell fixtures.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function workspace(files: Record<string, string>): string {
  return fixtureWorkspace(join(ROOT, "fixtures"), files);
}

function run(cwd: string, ...args: string[]) {
  const { status, stdout, stderr } = runCli("dist", ["fix", ...args], cwd);
  return { code: status, stdout, stderr };
}

interface JsonReport {
  files: {
    path: string;
    status: string;
    reason?: string;
    review: { line: number; ruleId: string; message: string }[];
  }[];
  summary: Record<string, number>;
}

const TREE = {
  "agent/token.py": "fix-python/requests-post-form.input.py",
  "agent/settings.py": "fix-python/url-in-settings.review.py",
  "provision/get-token.sh": "fix-shell/curl-post-variable.input.sh",
  "provision/login.ps1": "fix-powershell/post-body-variable.input.ps1",
  "provision/windows.ps1": "fix-powershell/crlf-bom.input.ps1",
  "provision/imds.sh": "fix-shell/lookalikes.valid.sh",
};

test("fix walks into .py, .sh and .ps1 files: a diff each, the review list, exit 1 for what needs a person", (t) => {
  const dir = workspace(TREE);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const before = readFileSync(join(dir, "agent/token.py"));
  const { code, stdout } = run(dir);
  assert.equal(code, 1, stdout);
  for (const path of ["agent/token.py", "provision/get-token.sh", "provision/login.ps1", "provision/windows.ps1"])
    assert.match(stdout, new RegExp(`^--- a/${path}\\n\\+\\+\\+ b/${path}$`, "m"));
  assert.doesNotMatch(stdout, /^--- a\/provision\/imds\.sh/m);
  assert.match(
    stdout,
    /^\+.*requests\.get\(MSI_URL, params=payload, .*proxies=\{"http": None, "https": None, "all": None\}\)$/m,
  );
  assert.match(stdout, /^\+ {2}curl -G -sS "\$MSI_URL" \\$/m);
  assert.match(stdout, /^Needs review: 1 item in 1 file\n {2}\S+ \(1 item\)\n {4}.*\n/m);
  assert.match(stdout, /^ {4}agent\/settings\.py:3:19 {2}.*TOKEN_ENDPOINT is not used in this module/m);
  // PowerShell that may be 5.1 gets no -NoProxy: the rewrite's note says so, nothing is left for review.
  assert.match(stdout, /^note: -NoProxy was not added where the script does not say it runs on PowerShell 6/m);
  assert.match(stdout, /4 to change, 2 unchanged, 0 skipped, 0 error\(s\), 1 need review/);
  assert.ok(readFileSync(join(dir, "agent/token.py")).equals(before), "a dry run writes nothing");
});

test("--write rewrites scripts byte for byte (BOM, CRLF, mode kept) and a second run changes nothing", (t) => {
  const dir = workspace(TREE);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(join(dir, "provision/get-token.sh"), 0o755);
  const first = run(dir, "--write");
  assert.equal(first.code, 1, first.stdout);
  for (const [path, output] of [
    ["agent/token.py", "fix-python/requests-post-form.output.py"],
    ["provision/get-token.sh", "fix-shell/curl-post-variable.output.sh"],
    ["provision/login.ps1", "fix-powershell/post-body-variable.output.ps1"],
    ["provision/windows.ps1", "fix-powershell/crlf-bom.output.ps1"],
  ] as const) {
    assert.ok(readFileSync(join(dir, path)).equals(readFileSync(join(ROOT, "fixtures", output))), path);
  }
  assert.equal(statSync(join(dir, "provision/get-token.sh")).mode & 0o777, 0o755);
  const again = run(dir, "--write", "--format", "json");
  const report = JSON.parse(again.stdout) as JsonReport;
  assert.deepEqual(report.summary, { changed: 0, unchanged: 6, skipped: 0, errors: 0, review: 1 });
  assert.deepEqual(
    report.files.filter((f) => f.review.length > 0).map((f) => [f.path, f.review.map((r) => r.ruleId)]),
    [["agent/settings.py", ["no-extension-endpoint-text"]]],
  );
});

test("--format json lists each script with its status and review items; exit 0 when all are rewritten", (t) => {
  const dir = workspace({
    "a.py": "fix-python/urllib-request-post.input.py",
    "b.sh": "fix-shell/wget-post-data.input.sh",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { code, stdout } = run(dir, "--format", "json", "--write");
  assert.equal(code, 0, stdout);
  const report = JSON.parse(stdout) as JsonReport;
  assert.deepEqual(
    report.files.map((f) => [f.path, f.status, f.review.length]),
    [
      ["a.py", "changed", 0],
      ["b.sh", "changed", 0],
    ],
  );
});

test("a script without an extension is read by its #! line, named on the command line or walked", (t) => {
  const dir = workspace({
    "named/get-token": "fix-shell/curl-data.input.sh",
    "bin/get-token": "fix-shell/curl-data.input.sh",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const notes = "see http://localhost:50342/oauth2/token\n";
  writeFileSync(join(dir, "bin/notes"), notes);
  // A name that tells another language is lint's, not fix's: not even listed.
  writeFileSync(join(dir, "bin/Dockerfile"), `FROM alpine\nRUN curl -s ${"http://localhost:50342/oauth2/token"}\n`);
  const output = readFileSync(join(ROOT, "fixtures/fix-shell/curl-data.output.sh"));
  const named = run(dir, "--write", "named/get-token");
  assert.equal(named.code, 0, named.stdout);
  assert.ok(readFileSync(join(dir, "named/get-token")).equals(output));
  // Walked, as lint reads it: the #! script is rewritten, a text file without an extension is left as it is.
  const report = JSON.parse(run(dir, "--format", "json", "bin").stdout) as JsonReport;
  assert.deepEqual(
    report.files.map((f) => [f.path, f.status]),
    [
      ["bin/get-token", "changed"],
      ["bin/notes", "unchanged"],
    ],
  );
  assert.equal(run(dir, "--write", "bin").code, 0);
  assert.ok(readFileSync(join(dir, "bin/get-token")).equals(output));
  assert.equal(readFileSync(join(dir, "bin/notes"), "utf8"), notes);
});

test("a rewrite in a file that waits for the extension's folder says that check must go too", (t) => {
  const dir = workspace({ "get.sh": "fix-shell/curl-data.input.sh" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = readFileSync(join(dir, "get.sh"), "utf8").replace(
    "# Gets",
    "[ -d /var/lib/waagent/Microsoft.ManagedIdentity.ManagedIdentityExtensionForLinux-1.0.0.8 ] || exit 1\n# Gets",
  );
  writeFileSync(join(dir, "get.sh"), script);
  const { stdout } = run(dir);
  assert.match(
    stdout,
    /^note: line 2 looks for the extension's folder \(Microsoft\.ManagedIdentity\.ManagedIdentityExtensionForLinux\)/m,
  );
  // A rewrite without such a check gets no such note.
  writeFileSync(join(dir, "get.sh"), readFileSync(join(ROOT, "fixtures/fix-shell/curl-data.input.sh")));
  assert.doesNotMatch(run(dir).stdout, /extension's folder/);
});

test("an endpoint setting to remove is listed without an IMDS request to make", (t) => {
  const dir = workspace({ "plan.sh": "fix-shell/terraform-setting.review.sh" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [item] = (JSON.parse(run(dir, "--format", "json").stdout) as JsonReport).files[0]!.review;
  assert.match(item!.message, /ARM_MSI_ENDPOINT points Terraform \(or Packer\) at the extension: remove the setting/);
  assert.doesNotMatch(item!.message, /Target: GET/);
});

test("a suppression directive keeps its line as it is", (t) => {
  const dir = workspace({ "keep.sh": "fix-shell/suppressed.valid.sh" });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { code, stdout } = run(dir, "--format", "json");
  assert.equal(code, 0);
  assert.deepEqual(
    (JSON.parse(stdout) as JsonReport).files.map((f) => [f.path, f.status]),
    [["keep.sh", "unchanged"]],
  );
});

test("--docs rewrites the code blocks of Markdown documents; without it they are not walked", (t) => {
  const dir = workspace({
    "docs/tutorial.md": "fix-docs/tutorial.input.md",
    "docs/cloud-shell.md": "fix-docs/cloud-shell.review.md",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const plain = JSON.parse(run(dir, "--format", "json").stdout) as JsonReport;
  assert.deepEqual(plain.files, []);
  const named = JSON.parse(run(dir, "--format", "json", "docs/tutorial.md").stdout) as JsonReport;
  assert.deepEqual(
    named.files.map((f) => [f.status, f.reason]),
    [["skipped", "a Markdown document: add --docs to rewrite its fenced code blocks"]],
  );
  const { code, stdout } = run(dir, "--docs", "--write", "--format", "json");
  assert.equal(code, 1, stdout);
  const report = JSON.parse(stdout) as JsonReport;
  assert.deepEqual(
    report.files.map((f) => [f.path, f.status, f.review.map((r) => r.line)]),
    [
      ["docs/cloud-shell.md", "unchanged", [6]],
      ["docs/tutorial.md", "changed", []],
    ],
  );
  const want = readFileSync(join(ROOT, "fixtures/fix-docs/tutorial.output.md"));
  assert.ok(readFileSync(join(dir, "docs/tutorial.md")).equals(want));
});

test("tree-sitter loads only for a script that is a candidate, TypeScript only for JS/TS", (t) => {
  const dir = workspace({
    "token.ts": "no-extension-endpoint/fetch-literal.input.ts",
    "get.sh": "fix-shell/curl-data.input.sh",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "imds.sh"), "curl -s -H Metadata:true http://169.254.169.254/metadata/instance\n");
  const js = spawnCli("dist", ["fix", "token.ts", "imds.sh"], dir);
  assert.equal(js.status, 1, js.stdout); // a dry run: the rewrite is not applied
  assert.ok(!loadedTreeSitter(js), "a JS candidate and a script without one load no grammar");
  const script = spawnCli("dist", ["fix", "get.sh"], dir);
  assert.equal(script.status, 1, script.stdout);
  assert.ok(
    loadedTreeSitter(script) && !loadedTypeScript(script),
    "a script candidate loads tree-sitter, not TypeScript",
  );
});
