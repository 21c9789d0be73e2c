import { structuredPatch } from "diff";

// A unified diff of one file, as `git diff` prints it: a/ and b/ paths, three lines of context. Carriage
// returns are left out of the display (the written file keeps them); colour is the caller's choice.

export interface DiffColors {
  removed(text: string): string;
  added(text: string): string;
  hunk(text: string): string;
  header(text: string): string;
}

const plain: DiffColors = { removed: (t) => t, added: (t) => t, hunk: (t) => t, header: (t) => t };

export function unifiedDiff(path: string, before: string, after: string, colors: DiffColors = plain): string {
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before, after, "", "", { context: 3 });
  const out = [colors.header(`--- a/${path}`), colors.header(`+++ b/${path}`)];
  for (const hunk of patch.hunks) {
    out.push(colors.hunk(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`));
    for (const raw of hunk.lines) {
      const line = raw.replace(/\r$/, "");
      out.push(line.startsWith("-") ? colors.removed(line) : line.startsWith("+") ? colors.added(line) : line);
    }
  }
  return `${out.join("\n")}\n`;
}
