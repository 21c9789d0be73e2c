import type { Language } from "../../core/language.js";
import { codeBlocks, textOnDocumentLines, type CodeBlock } from "../../syntax/index.js";

// A document's code blocks (found by the syntax service, as lint finds them) as a rewrite reads them: each
// as the file of its language it shows, its common indentation removed (a block in a list item is indented
// as a whole, which Python would not parse), with the map from the block's text back to the document.

export interface RewritableBlock {
  language: Language;
  /** The block's code as a file of its language would hold it. */
  text: string;
  /** The document's lines before the block (CodeBlock.linesBefore). */
  linesBefore: number;
  /** Spaces removed from the start of each line. */
  indent: number;
  /** Where each of the block's lines starts, in the block's text and in the document. */
  lines: { block: number; document: number }[];
  /** The headings above it and its section's words before it (CodeBlock.section). */
  section: string;
  /** Its lines in the document, fences included (CodeBlock.lines). */
  documentLines: CodeBlock["lines"];
}

export function rewritableBlocks(text: string, rst: boolean): RewritableBlock[] {
  // A diff's new side is read by lint; fix leaves the diff as the document wrote it.
  const blocks = codeBlocks(text, rst).filter((block) => !block.diff);
  return blocks.map(({ language, start, text: raw, linesBefore, section, lines: documentLines }) => {
    const rows = raw.split("\n");
    const indent = Math.min(...rows.filter((row) => row.trim() !== "").map((row) => /^ */.exec(row)![0].length));
    const lines: RewritableBlock["lines"] = [];
    let content = "";
    let at = start;
    for (const row of rows) {
      const removed = Math.min(Number.isFinite(indent) ? indent : 0, /^ */.exec(row)![0].length);
      lines.push({ block: content.length, document: at + removed });
      content += `${row.slice(removed)}\n`;
      at += row.length + 1;
    }
    const kept = Number.isFinite(indent) ? indent : 0;
    return { language, text: content, linesBefore, indent: kept, lines, section, documentLines };
  });
}

/** The block after the document's lines before it, as lint reads one whose messages name a line. */
export function onDocumentLines(block: RewritableBlock): RewritableBlock {
  const before = block.linesBefore;
  return {
    ...block,
    text: textOnDocumentLines(block),
    lines: block.lines.map((line) => ({ ...line, block: line.block + before })),
  };
}

/** A block offset's place in the document. */
export function documentOffset(block: RewritableBlock, offset: number): number {
  let lo = 0;
  let hi = block.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (block.lines[mid]!.block <= offset) lo = mid;
    else hi = mid - 1;
  }
  const line = block.lines[lo]!;
  return line.document + (offset - line.block);
}
