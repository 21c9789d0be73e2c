import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// A temporary folder holding copies of fixture files under the names a test gives them (folders made).

export function fixtureWorkspace(fixtures: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-fix-"));
  for (const [name, fixture] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    copyFileSync(join(fixtures, fixture), join(dir, name));
  }
  return dir;
}
