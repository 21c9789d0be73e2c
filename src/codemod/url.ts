import { ts } from "./ts.js";
import type { TextEdit } from "../core/finding.js";
import { EXTENSION_TOKEN_PATH, IMDS_HOST, IMDS_ORIGIN, IMDS_TOKEN_URL, imdsTokenUrl } from "../imds.js";
import { describeOrigin } from "./describe.js";
import { OPAQUE, type Segment, type TextSegment } from "./evaluate.js";
import { isExported, lookup } from "./scope.js";

// Recognises the extension's token URL in a flattened expression and plans the smallest text edit that
// turns it into the IMDS URL: the scheme, host, port and path are replaced where they were written,
// api-version goes first in the query and every parameter the code already sends stays as it was.

export interface UrlSettings {
  ports: readonly number[];
  apiVersion: string;
  /** The file speaks of the extension's world: a URL whose port is spliced in may be its (see endpoint-patterns). */
  anyPortMayBeExtension?: boolean;
}

export type UrlPlan =
  | { kind: "none" }
  | { kind: "review"; reason: string; literals: ts.Node[] }
  | {
      kind: "rewrite";
      host: string;
      port: number | undefined;
      edits: TextEdit[];
      /** The URL ends in a literal written at the call right after the new api-version: "&…" may be added to it. */
      openEnd: TextEdit | undefined;
      literals: ts.Node[];
      /** The constants (identifiers, member accesses) whose initializers the edits change. */
      constants: readonly ts.Node[];
    };

/* biome-ignore lint/suspicious/noControlCharactersInRegex: NUL stands for a segment whose value is not known
   (see flatten). */
const URL_PREFIX = /^http:\/\/(localhost|127\.0\.0\.1|\u0000):(\d{1,5}|\u0000)\/oauth2\/token\/?/i;
const PATH_PREFIX = /^\/oauth2\/token\/?/i;
const RELATIVE_PREFIX = /^\/?oauth2\/token\/?/i;

/**
 * What the URL is: "url" an absolute URL; "path" the path of a node:http options object, whose host and port
 * are checked apart; "relative" a path against a client instance's base URL (axios baseURL, got prefixUrl),
 * with or without its leading "/".
 */
export type UrlMode = "url" | "path" | "relative";

/**
 * `apiVersionInUrl: false`: the request's query lives in an option that replaces the URL's (got's
 * `searchParams`, undici's `query`), where the caller adds api-version; the URL keeps its query, if any, as is.
 */
export function planUrl(
  segments: readonly Segment[],
  settings: UrlSettings,
  mode: UrlMode = "url",
  { apiVersionInUrl = true } = {},
): UrlPlan {
  const starts: number[] = [];
  let flat = "";
  for (const segment of segments) {
    starts.push(flat.length);
    flat += segment.kind === "text" ? segment.value : OPAQUE;
  }
  const match = { url: URL_PREFIX, path: PATH_PREFIX, relative: RELATIVE_PREFIX }[mode].exec(flat);
  if (!match) return { kind: "none" };
  let end = match[0].length;
  const next = flat[end];
  if (next !== undefined && next !== "?" && next !== "#" && next !== OPAQUE) return { kind: "none" };
  const at = (offset: number) => segmentAt(starts, segments, offset);
  const literals = segments.filter((s): s is TextSegment => s.kind === "text").map((s) => s.node);
  const review = (reason: string): UrlPlan => ({ kind: "review", reason, literals });

  let host = "localhost";
  let port: number | undefined;
  if (mode === "url") {
    const [, hostText, portText] = match as unknown as [string, string, string];
    if (hostText === OPAQUE && portText === OPAQUE) return { kind: "none" };
    if (portText !== OPAQUE && !settings.ports.includes(Number(portText))) return { kind: "none" };
    // Another OAuth server on localhost, unless the file says otherwise: nothing to report.
    if (portText === OPAQUE && !settings.anyPortMayBeExtension) return { kind: "none" };
    if (hostText === OPAQUE || portText === OPAQUE) {
      const part = hostText === OPAQUE ? "host" : "port";
      const opaque = segments[at(flat.indexOf(OPAQUE))]!;
      return review(`its ${part} comes from ${describeOrigin(opaque.node as ts.Expression)}`);
    }
    host = hostText.toLowerCase();
    port = Number(portText);
  }
  if (next === OPAQUE) {
    return review(`its query string comes from ${describeOrigin(segments[at(end)]!.node as ts.Expression)}`);
  }

  const firstIndex = at(0);
  const lastIndex = at(end - 1);
  const first = segments[firstIndex]!;
  const last = segments[lastIndex]!;
  if (first.kind !== "text" || last.kind !== "text" || !first.exact || !last.exact) {
    return review("the URL is written with escape sequences msi2imds does not rewrite");
  }
  const whole = sameChain(first.via, last.via) && sameContainer(first, last);
  const split = whole ? undefined : splitPoint(match[0], starts, firstIndex, lastIndex, mode);

  const edits: TextEdit[] = [];
  let ampersand = false;
  let questionVia: readonly ts.Node[] = [];
  if (next === "?" && apiVersionInUrl) {
    const questionIndex = at(end);
    const question = segments[questionIndex]!;
    if (questionIndex === lastIndex) {
      end += 1;
      ampersand = true;
    } else if (question.kind === "text" && question.exact) {
      const offset = question.start + (end - starts[questionIndex]!);
      edits.push({ start: offset, end: offset + 1, text: "&" });
      // Its "?" becomes "&": a constant holding the query changes for every other use too.
      questionVia = question.via;
    } else {
      return review("its query string is written with escape sequences msi2imds does not rewrite");
    }
  }
  const newUrl = apiVersionInUrl ? imdsTokenUrl("", settings.apiVersion) : IMDS_TOKEN_URL;
  const newPath = newUrl.slice(IMDS_ORIGIN.length);
  const newPrefix = mode === "url" ? newUrl : mode === "relative" && !flat.startsWith("/") ? newPath.slice(1) : newPath;
  const lastEnd = last.start + (end - starts[lastIndex]!);
  const tail = ampersand ? "&" : "";
  let main: TextEdit;
  let pieces: readonly ts.Node[];
  if (whole) {
    main = { start: first.start, end: lastEnd, text: newPrefix + tail };
    edits.unshift(main);
    pieces = first.via;
  } else if (split === undefined) {
    // Host, port and path in pieces of their own (constants, say): each piece gets its part of the new URL.
    const inPlace = mode === "url" ? pieceEdits(segments, starts, match[0], end, newPrefix, tail) : undefined;
    if (!inPlace) return review("the URL is assembled from pieces msi2imds cannot rewrite in place");
    edits.unshift(...inPlace.edits);
    main = inPlace.edits.at(-1)!;
    pieces = inPlace.via;
  } else {
    // Two literals, as in new URL(path, base): each keeps its share of the new URL.
    const newSplit =
      split.oldOffsetInPath <= 1
        ? IMDS_ORIGIN.length + split.oldOffsetInPath
        : newPrefix.indexOf(EXTENSION_TOKEN_PATH) + split.oldOffsetInPath;
    main = { start: last.start, end: lastEnd, text: newPrefix.slice(newSplit) + tail };
    edits.unshift({ start: first.start, end: first.end, text: newPrefix.slice(0, newSplit) }, main);
    // Split edits stay inside their own literals, so the pieces may come through different constants.
    pieces = [...new Set([...first.via, ...last.via])];
  }
  const constants = [...new Set([...pieces, ...questionVia])];
  const shared = exportedConstant(constants);
  if (shared) return review(`the URL constant ${shared} is exported, so other modules build on it too`);
  const openEnd = next === undefined && last.via.length === 0 && lastIndex === segments.length - 1 ? main : undefined;
  return { kind: "rewrite", host, port, edits, openEnd, literals, constants };
}

/**
 * `http://${HOST}:${PORT}${TOKEN_PATH}`: the scheme, host, port and path of the old URL each lie whole in one
 * piece (or share one), and each piece is rewritten where it is written: the host becomes IMDS's, a port of
 * its own 80 (a ":port" inside a piece goes), the path IMDS's with the api-version. Undefined when a part is
 * cut across pieces or a piece is written with escapes.
 */
function pieceEdits(
  segments: readonly Segment[],
  starts: readonly number[],
  matched: string,
  end: number,
  newPrefix: string,
  tail: string,
): { edits: TextEdit[]; via: ts.Node[] } | undefined {
  const hostStart = "http://".length;
  const colon = matched.indexOf(":", hostStart);
  const pathStart = matched.indexOf("/", colon);
  const newPath = newPrefix.slice(IMDS_ORIGIN.length);
  const edits: TextEdit[] = [];
  const via = new Set<ts.Node>();
  for (let i = 0; i < segments.length && starts[i]! < end; i++) {
    const segment = segments[i]!;
    if (segment.kind !== "text" || !segment.exact) return undefined;
    const from = starts[i]!;
    const to = Math.min(from + segment.value.length, end);
    const inside = (a: number, b: number) => from <= a && b <= to;
    const overlaps = (a: number, b: number) => a < to && from < b;
    // Each part that changes must lie whole in this piece, or not in it at all.
    const parts = [
      [hostStart, colon],
      [colon + 1, pathStart],
      [pathStart, end],
    ] as const;
    if (parts.some(([a, b]) => overlaps(a, b) && !inside(a, b))) return undefined;
    let text = "";
    if (from < hostStart) text += matched.slice(from, Math.min(to, hostStart));
    if (inside(hostStart, colon)) text += IMDS_HOST;
    // ":50342" written together goes; a port in a piece of its own (a constant) becomes 80 after a ":" kept.
    const portAlone = !inside(colon, colon + 1);
    if (inside(colon, colon + 1) && !inside(colon + 1, pathStart)) text += ":";
    if (inside(colon + 1, pathStart) && portAlone) text += "80";
    if (inside(pathStart, end)) text += newPath + tail;
    const offset = (at: number) => segment.start + (at - from);
    // The scheme and a ":" between pieces stay as they are.
    if (text === matched.slice(from, to)) continue;
    edits.push({ start: offset(from), end: offset(to), text });
    for (const node of segment.via) via.add(node);
  }
  return { edits, via: [...via] };
}

/**
 * Where a URL written in exactly two literals may be cut: the first holds the origin and maybe the start
 * of the path, the second the rest. The offset is into the old path ("/oauth2/token").
 */
function splitPoint(
  matched: string,
  starts: readonly number[],
  firstIndex: number,
  lastIndex: number,
  mode: UrlMode,
): { oldOffsetInPath: number } | undefined {
  if (mode !== "url" || lastIndex !== firstIndex + 1 || starts[firstIndex] !== 0) return undefined;
  const oldOffsetInPath = starts[lastIndex]! - matched.indexOf("/", "http://".length);
  return oldOffsetInPath >= 0 ? { oldOffsetInPath } : undefined;
}

function segmentAt(starts: readonly number[], segments: readonly Segment[], offset: number): number {
  for (let i = segments.length - 1; i >= 0; i--) {
    if (starts[i]! <= offset) return i;
  }
  return 0;
}

/** The name of an exported constant the URL was read through, if any. */
function exportedConstant(via: readonly ts.Node[]): string | undefined {
  for (const node of via) {
    if (!ts.isIdentifier(node)) continue;
    const binding = lookup(node.text, node);
    if (binding?.kind === "const" && isExported(binding.declaration)) return node.text;
  }
  return undefined;
}

function sameChain(a: readonly ts.Node[], b: readonly ts.Node[]): boolean {
  return a.length === b.length && a.every((node, i) => node === b[i]);
}

/** One edit may span from the first piece to the last only if both sit in one literal construct. */
function sameContainer(first: TextSegment, last: TextSegment): boolean {
  if (first.node === last.node) return true;
  // "a" + "b" may become one literal when both use the same quote.
  if (ts.isStringLiteral(first.node) && ts.isStringLiteral(last.node) && first.start < last.start) {
    const text = first.node.getSourceFile().text;
    return (
      text[first.start - 1] === text[last.start - 1] && concatenationRoot(first.node) === concatenationRoot(last.node)
    );
  }
  const template = (node: ts.Node) =>
    ts.isTemplateHead(node) ? node.parent : ts.isTemplateSpan(node.parent) ? node.parent.parent : undefined;
  const a = template(first.node);
  return a !== undefined && a === template(last.node);
}

/**
 * Unlike analyze's maximalStringExpression, stops at a template's `${…}`: literals in two spans are not one
 * concatenation.
 */
function concatenationRoot(node: ts.Node): ts.Node {
  let root = node;
  while (
    (ts.isBinaryExpression(root.parent) && root.parent.operatorToken.kind === ts.SyntaxKind.PlusToken) ||
    ts.isParenthesizedExpression(root.parent)
  ) {
    root = root.parent;
  }
  return root;
}
