import type { Language } from "../../core/language.js";

// Fenced code blocks in Markdown (``` or ~~~, CommonMark's rules for opening and closing), with the language
// their info string names, and the map from a block's own text (its indentation removed, as when the block
// sits in a list item) back to offsets in the document.

export interface FencedBlock {
  language: Language;
  /** The block's code as a file of its language would hold it. */
  text: string;
  /** Spaces removed from the start of each line (the opening fence's indentation). */
  indent: number;
  /** Where each of the block's lines starts, in the block's text and in the document, and what was removed. */
  lines: { block: number; document: number; removed: number }[];
}

const LANGUAGES: Record<string, Language> = {
  python: "python",
  py: "python",
  python3: "python",
  sh: "shell",
  bash: "shell",
  shell: "shell",
  zsh: "shell",
  shellscript: "shell",
  powershell: "powershell",
  pwsh: "powershell",
  ps1: "powershell",
  ps: "powershell",
  js: "javascript",
  javascript: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "javascript",
  node: "javascript",
  ts: "typescript",
  typescript: "typescript",
  tsx: "typescript",
};

const OPENING = /^( *)(`{3,}|~{3,})[ \t]*([^\s`{]*)[^`\n]*$/;

export function fencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const lineAt = (n: number) =>
    text.slice(lineStarts[n]!, (lineStarts[n + 1] ?? text.length + 1) - 1).replace(/\r$/, "");
  for (let n = 0; n < lineStarts.length; n++) {
    const opening = OPENING.exec(lineAt(n));
    if (!opening) continue;
    const [, spaces, fence] = opening as unknown as [string, string, string];
    const info = opening[3]!.toLowerCase();
    const closing = new RegExp(`^ *${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`);
    let end = n + 1;
    while (end < lineStarts.length && !closing.test(lineAt(end))) end++;
    const language = LANGUAGES[info];
    if (language && end < lineStarts.length) {
      blocks.push({ language, ...contentOf(text, lineStarts, n + 1, end, spaces.length) });
    }
    n = end;
  }
  return blocks;
}

/** The lines between the fences, each stripped of up to `indent` spaces (a less indented line ends nothing). */
function contentOf(
  text: string,
  lineStarts: readonly number[],
  first: number,
  closing: number,
  indent: number,
): Omit<FencedBlock, "language"> {
  const lines: FencedBlock["lines"] = [];
  let content = "";
  for (let n = first; n < closing; n++) {
    const start = lineStarts[n]!;
    const line = text.slice(start, lineStarts[n + 1]!);
    const removed = Math.min(indent, /^ */.exec(line)![0].length);
    lines.push({ block: content.length, document: start + removed, removed });
    content += line.slice(removed);
  }
  return { text: content, indent, lines };
}

/** A block offset's place in the document. */
export function documentOffset(block: FencedBlock, offset: number): number {
  let lo = 0;
  let hi = block.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (block.lines[mid]!.block <= offset) lo = mid;
    else hi = mid - 1;
  }
  const line = block.lines[lo];
  return line ? line.document + (offset - line.block) : 0;
}
