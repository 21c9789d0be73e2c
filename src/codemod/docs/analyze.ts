import { fingerprintOf, isFileFinding, type Finding } from "../../core/finding.js";
import type { Analysis } from "../../core/fix.js";
import { isJavaScriptLike, type Language } from "../../core/language.js";
import { LineIndex } from "../../core/positions.js";
import type { SourceInput } from "../../pipeline/analysis.js";
import { documentSetting } from "../../../rules/support/code-paths.js";
import { endpointSettingAt } from "../../../rules/support/endpoint-patterns.js";
import { OLD_SDK_CALL } from "../../../rules/support/extension-call-prefilter.js";
import { cloudShellReason, reviewMessage } from "../findings.js";
import { findExtensionUrls } from "../scripts/extension-url.js";
import { endpointSettingReason, SCRIPT_RULE_ID } from "../scripts/analyze.js";
import { unsuppressed } from "../../core/suppressions.js";
import { documentOffset, onDocumentLines, rewritableBlocks, type RewritableBlock } from "./blocks.js";
import { namesALine } from "../../syntax/index.js";

// `fix --docs`: a Markdown (or reStructuredText) document's code blocks analysed as files of their language, their findings
// and edits moved back into the document. A block that does not parse (a snippet with placeholders) keeps
// its findings but loses its fixes; a document about Cloud Shell, which still serves the extension's URL,
// has every rewrite left to a person (lint judges its blocks by the same words: documentSetting).

export type BlockAnalyzer = (language: Language, input: SourceInput) => Analysis;

const UNPARSED_REASON = "its code block does not parse as a whole (placeholders?): rewrite it by hand";

/** The languages of the blocks that mention a loopback token URL: the analyzers a document needs. */
export function blockLanguages(text: string, rst: boolean): Set<Language> {
  return new Set(
    rewritableBlocks(text, rst)
      .filter(isRead)
      .map((block) => block.language),
  );
}

export function analyzeMarkdown(input: SourceInput, analyzeBlock: BlockAnalyzer): Analysis {
  const lines = new LineIndex(input.text);
  const occurrences = new Map<string, number>();
  const findings: Finding[] = [];
  let parseErrors = 0;
  const blocks = rewritableBlocks(input.text, RST.test(input.path));
  for (const found of blocks.filter(isRead)) {
    const setting = documentSetting(found.section);
    const path = `${input.path}${EXTENSIONS[found.language]}`;
    const analyzeIn = (read: RewritableBlock) =>
      analyzeBlock(read.language, { ...input, path, text: read.text, setting });
    // As lint does: read again on the document's lines only where a message names a line.
    let block = found;
    let analysis = analyzeIn(block);
    if (analysis.findings.some((f) => namesALine(f.message))) {
      block = onDocumentLines(found);
      analysis = analyzeIn(block);
    }
    parseErrors += analysis.parseErrors;
    const blockLines = new LineIndex(block.text);
    for (const finding of analysis.findings) {
      if (!isFileFinding(finding)) continue;
      const at = finding.location.file;
      const start = documentOffset(block, blockLines.offset(at.line, at.column));
      const end = documentOffset(block, blockLines.offset(at.endLine, at.endColumn));
      const snippet = input.text.slice(start, Math.min(end, start + 200));
      const occurrence = occurrences.get(snippet) ?? 0;
      occurrences.set(snippet, occurrence + 1);
      const held =
        finding.fix &&
        (analysis.parseErrors > 0 ? UNPARSED_REASON : setting ? cloudShellReason(setting.evidence) : undefined);
      const { fix: _, ...rest } = finding;
      findings.push({
        ...rest,
        // A document shows what to type and runs nothing: lint warns about its blocks, and so does fix.
        severity: "warning",
        ...(held
          ? {
              message: `Token request to the Managed Identity VM extension needs a person: ${held}`,
              messageId: "review",
            }
          : finding.fix
            ? { fix: finding.fix.map((edit) => movedEdit(block, edit)) }
            : {}),
        location: { file: lines.range(input.displayPath, start, end) },
        fingerprint: fingerprintOf(finding.ruleId, input.displayPath, snippet, occurrence),
      });
    }
  }
  const others = blocks.filter((block) => EXTENSIONS[block.language] === undefined);
  findings.push(...unrewrittenBlockFindings(input, others, lines));
  // Directives in the document itself (an HTML comment before a block) keep what they cover as it is.
  const blockLines = blocks.map((block) => block.documentLines);
  return { findings: unsuppressed(findings, input.text, "docs", blockLines), parseErrors };
}

/**
 * The extension's URL in a block of a language fix does not rewrite (a raw HTTP request, C#, Go): lint warns
 * about it, so fix lists it for a person rather than pass over it.
 */
function unrewrittenBlockFindings(input: SourceInput, blocks: readonly RewritableBlock[], lines: LineIndex): Finding[] {
  const occurrences = new Map<string, number>();
  return blocks.flatMap((block) =>
    unrewrittenUrls(
      input,
      lines,
      { ...block, place: (offset) => documentOffset(block, offset), where: "a code block" },
      occurrences,
    ),
  );
}

/** Code fix does not rewrite, in a document (a block, a notebook's cell): where each offset of it stands. */
export interface UnrewrittenCode {
  language: Language;
  text: string;
  /** What the document says where it stands (its Markdown section). */
  section: string;
  place: (offset: number) => number;
  /** What it is, in the reason given: "a code block". */
  where: string;
}

/** The extension's literal URLs in code fix does not rewrite, each an item for a person saying why. */
export function unrewrittenUrls(
  input: SourceInput,
  lines: LineIndex,
  code: UnrewrittenCode,
  occurrences = new Map<string, number>(),
): Finding[] {
  const setting = documentSetting(code.section);
  return findExtensionUrls(code.text, input.ports).flatMap((url) => {
    if (url.kind !== "literal") return [];
    const start = code.place(url.start);
    const end = code.place(url.end);
    const tool = endpointSettingAt(code.text, url.start, code.language === "terraform");
    const why = tool
      ? endpointSettingReason(tool)
      : setting
        ? cloudShellReason(setting.evidence)
        : `it is in ${code.where} of a language fix does not rewrite (${code.language === "text" ? "plain text, HTTP" : code.language})`;
    const snippet = input.text.slice(start, end);
    const occurrence = occurrences.get(snippet) ?? 0;
    occurrences.set(snippet, occurrence + 1);
    return [
      {
        ruleId: SCRIPT_RULE_ID,
        severity: "warning" as const,
        messageId: "review",
        message: reviewMessage(why, input.apiVersion, !tool),
        location: { file: lines.range(input.displayPath, start, end) },
        fingerprint: fingerprintOf(SCRIPT_RULE_ID, input.displayPath, snippet, occurrence),
      },
    ];
  });
}

const EXTENSIONS: Partial<Record<Language, string>> = {
  python: ".py",
  shell: ".sh",
  powershell: ".ps1",
  javascript: ".js",
  typescript: ".ts",
};

const RST = /\.rst$/i;

/** What a block fix rewrites mentions: a token path, or the Azure CLI's `--msi` switches. */
const REWRITTEN = /oauth2\/token|--msi\b/i;

/** A block of a language fix rewrites that mentions what it rewrites: the others are not parsed. */
const isRead = (block: RewritableBlock) =>
  EXTENSIONS[block.language] !== undefined &&
  (REWRITTEN.test(block.text) || (isJavaScriptLike(block.language) && OLD_SDK_CALL.test(block.text)));

/** An edit of the block, in the document: lines it adds are indented as the block is. */
function movedEdit(block: RewritableBlock, edit: { start: number; end: number; text: string }) {
  const text = block.indent > 0 ? edit.text.replaceAll("\n", `\n${" ".repeat(block.indent)}`) : edit.text;
  return { start: documentOffset(block, edit.start), end: documentOffset(block, edit.end), text };
}
