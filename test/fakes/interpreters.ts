import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

// Which program runs a fixture script: Python through an interpreter that has the modules the scripts
// import (a developer's pyenv python3 may have requests where Debian's /usr/bin/python3 has not, and CI's
// may be the other way round), shell scripts through the shell their #! line names.

const PYTHON_CANDIDATES = ["python3", "/usr/bin/python3", "python"];

/** The absolute path of the first python3 that imports every module, or undefined with what was tried. */
export function pythonWith(modules: readonly string[]): { path: string } | { missing: string } {
  const tried: string[] = [];
  for (const candidate of PYTHON_CANDIDATES) {
    const probe = spawnSync(candidate, ["-c", `import sys, ${modules.join(", ")}; print(sys.executable)`], {
      encoding: "utf8",
      timeout: 10_000,
    });
    if (probe.status === 0 && probe.stdout.trim() !== "") return { path: probe.stdout.trim() };
    tried.push(`${candidate}: ${probe.error?.message ?? (probe.stderr.trim().split("\n").at(-1) || "failed")}`);
  }
  return { missing: `no python3 imports ${modules.join(", ")} (${tried.join("; ")})` };
}

/** `sh` or `bash`, from the script's #! line (sh when it names neither). */
export function shellOf(path: string): string {
  const first = readFileSync(path, "utf8").split("\n", 1)[0] ?? "";
  return /^#!.*\bbash\b/.test(first) ? "bash" : "sh";
}
