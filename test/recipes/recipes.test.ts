import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { KNOWN_EXTENSIONS, KNOWN_FILE_NAMES } from "../../src/core/language.js";
import { validateSarif } from "../support/sarif-schema.js";
import {
  expand,
  freshEnv,
  freshFolder,
  removeFolder,
  ROOT,
  runBash,
  type ScriptRun,
  snapshotRepository,
} from "./fresh.js";

// The README's Install and CI sections, run as written on fresh folders: the clone, the tarball, the dev
// dependency, the GitHub Action's steps with a fake GITHUB_* environment, the Azure Pipelines template's
// steps, the GitLab job's script and the pre-commit hook. The one change made to a command is the clone's
// URL, which points at a snapshot of this working tree; npm prefers its cache, which `npm ci` has filled.

/** The TypeScript parser the README's ESLint config names, installed from the registry as a user would. */
const TS_ESLINT_PARSER = "8.74.0";
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const TARBALL = `msi2imds-${VERSION}.tgz`;
const CLONE_URL = "https://github.com/msi2imds/msi2imds.git";
const FINDING = 'TOKEN_URL = "http://localhost:50342/oauth2/token"\n';
/** How the Azure Pipelines template and the GitLab job install msi2imds: the same command in both. */
const CI_INSTALL = 'npm install --global --no-audit --no-fund "$MSI2IMDS_PACKAGE"';

/** The fenced blocks of one README section, by language. */
function readmeBlocks(section: string, language: string): string[] {
  const start = README.indexOf(`\n## ${section}\n`);
  assert.ok(start >= 0, `README has a ## ${section} section`);
  const end = README.indexOf("\n## ", start + 1);
  const body = README.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1]!);
}

function assertRan(run: ScriptRun, what: string, status = 0): void {
  assert.equal(
    run.status,
    status,
    `${what} exited ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
  );
}

/** A user's repository: one finding in Python, a clean shell script, and the tarball where the README puts it. */
function userRepository(work: string, tarball?: string): string {
  const repo = join(work, "your-repo");
  mkdirSync(join(repo, "src"), { recursive: true });
  writeFileSync(join(repo, "src/token.py"), FINDING);
  writeFileSync(join(repo, "deploy.sh"), "echo deploy\n");
  if (tarball) {
    mkdirSync(join(repo, "tools"), { recursive: true });
    copyFileSync(tarball, join(repo, "tools", TARBALL));
  }
  return repo;
}

describe("the README's Install and CI recipes, on fresh folders", { concurrency: true }, () => {
  const work = freshFolder("recipes");
  let snapshot = "";
  let resolveTarball: (path: string) => void = () => {};
  let rejectTarball: (error: unknown) => void = () => {};
  /** The tarball the Install section's `npm pack` made: what the other recipes install. */
  const tarball = new Promise<string>((resolve, reject) => {
    resolveTarball = resolve;
    rejectTarball = reject;
  });
  tarball.catch(() => {}); // a failure is reported by the Install test; the others then fail on await

  before(() => {
    // Named as the project: `git clone <url> && cd msi2imds` as the README says.
    snapshot = snapshotRepository(join(work, "msi2imds.git"));
  });
  after(() => removeFolder(work));

  /**
   * A fresh CI agent where msi2imds was installed from the tarball by CI_INSTALL, which the Azure Pipelines
   * and GitLab tests each check is their install command: run once for both, it gives the prefix to use.
   */
  let agent: Promise<string> | undefined;
  const installedAgent = () => {
    agent ??= (async () => {
      const home = join(work, "agent");
      const repo = userRepository(home, await tarball);
      const prefix = join(home, "prefix");
      const run = await runBash(CI_INSTALL, repo, freshEnv(prefix, { MSI2IMDS_PACKAGE: `./tools/${TARBALL}` }));
      assertRan(run, "the CI templates' install command");
      return prefix;
    })();
    return agent;
  };

  it("Install: from a clone to a tarball on the PATH, then a dev dependency that npx runs", async () => {
    try {
      const blocks = readmeBlocks("Install", "sh");
      assert.equal(blocks.length, 2, "the clone block and the dev-dependency block");
      const script = blocks.join("\n").replaceAll(CLONE_URL, snapshot);
      assert.ok(script.includes(TARBALL), `the README names ${TARBALL}, this version's tarball`);
      const home = join(work, "install");
      const repo = userRepository(home);
      writeFileSync(join(repo, "src/token.py"), "print('no extension here')\n");
      writeFileSync(join(repo, "package.json"), '{ "name": "your-repo", "private": true }\n');
      const env = freshEnv(join(home, "prefix"));
      const run = await runBash(`set -u\n${script}`, home, env);
      assertRan(run, "the Install section");
      assert.match(run.stdout, new RegExp(`^${VERSION.replaceAll(".", "\\.")}$`, "m"), "msi2imds --version");
      const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
      assert.match(manifest.devDependencies.msi2imds, /msi2imds-.*\.tgz$/);
      // npx ran the dev dependency's own bin in the user's repository.
      assert.ok(existsSync(join(repo, "node_modules/.bin/msi2imds")));
      resolveTarball(join(home, "msi2imds", TARBALL));
    } catch (error) {
      rejectTarball(error);
      throw error;
    }
  });

  it("GitHub Action: valid, and its run steps give annotations, a job summary and SARIF from one run", async () => {
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));
    assert.equal(action.runs.using, "composite");
    for (const input of ["paths", "baseline", "fail-on"]) assert.ok(action.inputs[input], `input ${input}`);
    const steps = action.runs.steps as { uses?: string; run?: string; if?: string; with?: Record<string, string> }[];
    assert.match(steps[0]?.uses ?? "", /^actions\/setup-node@v\d+$/);
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    assert.equal(upload?.uses, "github/codeql-action/upload-sarif@v4");
    assert.match(upload?.if ?? "", /^always\(\) && /, "the upload runs when lint found something (and failed)");
    assert.equal(upload?.with?.sarif_file, "${{ inputs.sarif-file }}");

    // The README's step, with its inputs, on a workspace that has one finding.
    const [snippet] = readmeBlocks("CI", "yaml");
    const use = (parse(snippet!) as { steps: { uses?: string; with?: Record<string, string> }[] }).steps.find((s) =>
      s.uses?.startsWith("msi2imds/msi2imds@"),
    );
    assert.ok(use?.with, "the README's workflow uses the action with inputs");
    for (const name of Object.keys(use.with)) assert.ok(action.inputs[name], `README input ${name} is declared`);
    const inputs = Object.fromEntries(
      Object.entries(action.inputs as Record<string, { default?: string }>).map(([name, { default: value }]) => [
        `inputs.${name}`,
        String(use.with![name] ?? value ?? ""),
      ]),
    );

    const home = join(work, "action");
    const actionPath = join(home, "action");
    mkdirSync(home, { recursive: true });
    const clone = await runBash(`git clone -q "${snapshot}" "${actionPath}"`, home, freshEnv(home));
    assertRan(clone, "git clone");
    const workspace = userRepository(home);
    const output = join(home, "github_output");
    const summary = join(home, "step_summary");
    writeFileSync(output, "");
    const env = freshEnv(join(home, "prefix"), {
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: actionPath,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
    });
    const values = { ...inputs, "github.action_path": actionPath };
    const runs: ScriptRun[] = [];
    for (const step of steps as { run?: string; "working-directory"?: string; env?: Record<string, string> }[]) {
      if (!step.run) continue;
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, values)]));
      const cwd = step["working-directory"] ? expand(step["working-directory"], values) : workspace;
      runs.push(await runBash(expand(step.run, values), cwd, { ...env, ...stepEnv }));
    }
    assert.equal(runs.length, 2, "install and lint");
    assertRan(runs[0]!, "the install step");
    const lint = runs[1]!;
    assertRan(lint, "the lint step (findings with fail-on error)", 1);
    assert.match(lint.stdout, /^::error file=src\/token\.py,line=1,col=\d+,.*title=no-extension-endpoint-text::/m);
    assert.match(lint.stderr, /baseline msi2imds-baseline\.json does not exist yet/);
    assert.match(readFileSync(summary, "utf8"), /^### msi2imds lint\n\n1 error\(s\)/m);
    assert.match(readFileSync(output, "utf8"), /^exit-code=1\nsarif-file=msi2imds\.sarif\n$/);
    const sarif = JSON.parse(readFileSync(join(workspace, "msi2imds.sarif"), "utf8"));
    validateSarif(sarif);
    assert.equal(sarif.runs[0].results[0].ruleId, "no-extension-endpoint-text");
  });

  it("Azure Pipelines: the template's steps install the tarball, lint and leave the SARIF to publish", async () => {
    const template = parse(readFileSync(join(ROOT, "ci/msi2imds.azure-pipelines.yml"), "utf8"));
    const declared = new Map(
      (template.parameters as { name: string; default?: string }[]).map((p) => [p.name, p.default]),
    );
    const snippet = parse(readmeBlocks("CI", "yaml")[1]!) as {
      steps: { template: string; parameters: Record<string, string> }[];
    };
    const use = snippet.steps[0]!;
    assert.ok(existsSync(join(ROOT, use.template)), `${use.template} is in this repository`);
    for (const name of Object.keys(use.parameters)) assert.ok(declared.has(name), `parameter ${name} is declared`);
    const values = Object.fromEntries(
      [...declared].map(([name, value]) => [`parameters.${name}`, String(use.parameters[name] ?? value ?? "")]),
    );

    const home = join(work, "azure");
    const repo = userRepository(home, await tarball);
    const staging = join(home, "a"); // a fresh agent: the staging folder holds nothing
    const steps = template.steps as {
      task?: string;
      bash?: string;
      env?: Record<string, string>;
      condition?: string;
      inputs?: Record<string, string>;
    }[];
    const env = freshEnv(await installedAgent());
    const macros = (text: string) => text.replaceAll("$(Build.ArtifactStagingDirectory)", staging);
    const [install, ...lintSteps] = steps.filter((s) => s.bash);
    const [installCommand, ...afterInstall] = install!.bash!.split(" && ");
    assert.equal(installCommand, CI_INSTALL);
    assert.equal(expand(install!.env!.MSI2IMDS_PACKAGE!, values), `./tools/${TARBALL}`);
    const runs = [await runBash(afterInstall.join(" && "), repo, env)];
    for (const step of lintSteps) {
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, values)]));
      runs.push(await runBash(macros(expand(step.bash!, values)), repo, { ...env, ...stepEnv }));
    }
    assertRan(runs[0]!, "the install step (msi2imds --version)");
    assert.match(runs[0]!.stdout, new RegExp(`^${VERSION.replaceAll(".", "\\.")}$`, "m"));
    assertRan(runs[1]!, "the lint step (one finding)", 1);
    assert.match(runs[1]!.stdout, /src\/token\.py\n\s+1:\d+\s+error/);
    const publish = steps.find((s) => s.task?.startsWith("PublishBuildArtifacts@"));
    assert.equal(publish?.condition, "succeededOrFailed()", "the SARIF is published after findings too");
    const sarif = JSON.parse(readFileSync(join(macros(publish!.inputs!.PathtoPublish!), "msi2imds.sarif"), "utf8"));
    validateSarif(sarif);
  });

  it("GitLab CI: the job's script writes a Code Quality report that GitLab picks up", async () => {
    const job = parse(readFileSync(join(ROOT, "ci/msi2imds.gitlab-ci.yml"), "utf8"))["msi2imds-lint"];
    const snippet = parse(readmeBlocks("CI", "yaml")[2]!) as {
      include: { local: string }[];
      variables: Record<string, string>;
    };
    assert.ok(existsSync(join(ROOT, snippet.include[0]!.local)), "the included file is in this repository");
    assert.match(job.image, /^node:(\d+)/);
    assert.ok(Number(/^node:(\d+)/.exec(job.image)![1]) >= 20);
    assert.equal(job.artifacts.when, "always");
    const report = job.artifacts.reports.codequality as string;

    const home = join(work, "gitlab");
    const repo = userRepository(home, await tarball);
    // GitLab runs the script's lines in one shell, stopping at the first that fails.
    const [installLine, ...lintLines] = job.script as string[];
    assert.equal(installLine, CI_INSTALL);
    assert.equal(snippet.variables.MSI2IMDS_PACKAGE, `./tools/${TARBALL}`);
    const env = freshEnv(await installedAgent(), { ...job.variables, ...snippet.variables });
    const run = await runBash(lintLines.join("\n"), repo, env);
    assertRan(run, "the job (one finding)", 1);
    assert.match(
      run.stderr,
      new RegExp(`1 error\\(s\\), 0 warning\\(s\\), 0 file\\(s\\) skipped; report written to ${report}`),
    );
    const issues = JSON.parse(readFileSync(join(repo, report), "utf8"));
    assert.deepEqual(
      issues.map((i: { check_name: string; location: { path: string } }) => [i.check_name, i.location.path]),
      [["no-extension-endpoint-text", "src/token.py"]],
    );
    // fail-on never: the same report, and the job passes; a value it does not know stops it.
    const never = await runBash(lintLines.join("\n"), repo, { ...env, MSI2IMDS_FAIL_ON: "never" });
    assertRan(never, "the job with MSI2IMDS_FAIL_ON=never");
    assert.deepEqual(JSON.parse(readFileSync(join(repo, report), "utf8")), issues);
    const unknown = await runBash(lintLines.join("\n"), repo, { ...env, MSI2IMDS_FAIL_ON: "sometimes" });
    assertRan(unknown, "the job with MSI2IMDS_FAIL_ON=sometimes", 2);
    assert.match(unknown.stdout, /MSI2IMDS_FAIL_ON must be error, warning or never, not 'sometimes'/);
  });

  it("ESLint: the README's eslint.config.mjs takes the plugin from the installed package, for JS and TS", async () => {
    const [config] = readmeBlocks("ESLint", "js");
    assert.ok(config!.trim().split("\n").length <= 4, "four lines at most");
    await tarball;
    const repo = join(work, "install", "your-repo");
    // As `npm init -y` makes it: CommonJS, which is why the README names the config .mjs.
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(repo, "package.json"), JSON.stringify({ ...manifest, type: "commonjs" }));
    writeFileSync(join(repo, "eslint.config.mjs"), config!);
    const call = 'fetch("http://localhost:50342/oauth2/token?resource=x")';
    writeFileSync(join(repo, "src/token.js"), `export const token = ${call};\n`);
    writeFileSync(join(repo, "src/typed.ts"), `interface Token { value: string }\nexport const token = ${call};\n`);
    const eslintVersion = JSON.parse(readFileSync(join(ROOT, "node_modules/eslint10/package.json"), "utf8")).version;
    const env = freshEnv(join(work, "install", "prefix"));
    const install = `npm install --save-dev eslint@${eslintVersion} @typescript-eslint/parser@${TS_ESLINT_PARSER}`;
    const run = await runBash(`${install}\nnpx eslint src`, repo, env);
    assertRan(run, "eslint on files with an extension call", 1);
    for (const file of ["token.js", "typed.ts"])
      assert.match(
        run.stdout,
        new RegExp(
          `src/${file.replace(".", "\\.")}\\n\\s+\\d+:\\d+\\s+error\\s+fetch gets a token from the Managed Identity VM extension.*msi2imds/no-extension-endpoint`,
        ),
        `${run.stdout}\n${run.stderr}`,
      );
  });

  it("pre-commit: the hook lints the staged files of the kinds the rules read", async () => {
    const [hook] = parse(readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as {
      id: string;
      entry: string;
      language: string;
      files: string;
    }[];
    const snippet = parse(readmeBlocks("CI", "yaml")[3]!) as { repos: { hooks: { id: string }[] }[] };
    assert.equal(snippet.repos[0]!.hooks[0]!.id, hook!.id);
    assert.equal(hook!.language, "node", "pre-commit installs it with npm, which builds it as it packs it");
    const files = new RegExp(hook!.files.replace(/^\(\?i\)/, ""), "i");
    const names = [
      ...KNOWN_EXTENSIONS.map((e) => `dir/file.${e}`),
      ...KNOWN_FILE_NAMES,
      "Dockerfile.prod",
      "x.dockerfile",
    ];
    for (const name of names) assert.ok(files.test(name), `the hook passes ${name}`);
    for (const name of ["notes.txt", "image.png", "adockerfile", "data.csv"])
      assert.ok(!files.test(name), `the hook leaves out ${name}`);

    // The entry as pre-commit runs it, on the PATH the Install section gave.
    await tarball;
    const home = join(work, "install");
    const repo = userRepository(join(work, "pre-commit"));
    const staged = ["src/token.py", "deploy.sh"].filter((f) => files.test(f));
    const run = await runBash(`${hook!.entry} ${staged.join(" ")}`, repo, freshEnv(join(home, "prefix")));
    assertRan(run, "the hook's entry (one finding)", 1);
    assert.match(run.stdout, /src\/token\.py/);
  });
});
