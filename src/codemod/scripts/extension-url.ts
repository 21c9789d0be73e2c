import type { TextEdit } from "../../core/finding.js";
import { API_VERSION_PARAM, IMDS_TOKEN_URL } from "../../imds.js";
import {
  builtExtensionUrl,
  extensionOrigins,
  literalExtensionUrl,
  mayBeExtensionOnAnyPort,
} from "../../../rules/support/endpoint-patterns.js";

// The extension's token URL as scripts write it, found in the text and turned into the IMDS URL in place:
// scheme, host, port and path replaced, api-version first in the query, every parameter the script already
// sends kept as written.

export interface UrlOccurrence {
  start: number;
  /** Where the URL's path ends, after an optional "/" and "?". */
  end: number;
  /**
   * "built": the port is filled in at run time (a variable, a format placeholder); "origin": the scheme, host
   * and port alone, in a file that writes the token path elsewhere (the URL is assembled from pieces);
   * "connection": Python's http.client connected to the extension's host and port, the path sent apart.
   */
  kind: "literal" | "built" | "origin" | "connection";
  host: string;
  port: number | undefined;
  /** The port as written, for a built one ("${MSI_PORT}", "{}"). */
  portText: string;
  /** The URL went on with a query ("?" written). */
  query: boolean;
}

const HOST_AND_PORT = /(localhost|127\.0\.0\.1):(.*)\/oauth2\/token/i;

/** Extension token URLs in the text, on one of `ports` when the port is written out. */
export function findExtensionUrls(text: string, ports: readonly number[]): UrlOccurrence[] {
  const found: UrlOccurrence[] = [];
  // A port spliced in is the extension's only where the file speaks of its world, as lint judges it.
  const patterns = mayBeExtensionOnAnyPort(text)
    ? ([
        [literalExtensionUrl(), "literal"],
        [builtExtensionUrl(), "built"],
      ] as const)
    : ([[literalExtensionUrl(), "literal"]] as const);
  for (const [pattern, kind] of patterns) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      if (/^https:/i.test(match[0])) continue; // the extension spoke plain HTTP only
      let end = start + match[0].length;
      // "/oauth2/token/", "/oauth2/token/x": a trailing slash is the same endpoint, a longer path is not.
      if (text[end] === "/") {
        if (/[\w.~%-]/.test(text[end + 1] ?? "")) continue;
        end++;
      }
      const query = text[end] === "?";
      if (query) end++;
      const [, host, portText] = HOST_AND_PORT.exec(match[0]) as unknown as [string, string, string];
      const port = kind === "literal" ? Number(portText) : undefined;
      if (port !== undefined && !ports.includes(port)) continue;
      found.push({ start, end, kind, host: host.toLowerCase(), port, portText, query });
    }
  }
  for (const { match, kind, host, port, portText } of extensionOrigins(text, ports)) {
    const start = match.index;
    found.push({ start, end: start + match[0].length, kind, host, port, portText, query: false });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** What a case for a person says about a URL whose port or path is not written with it. */
export function unwrittenReason(occurrence: UrlOccurrence): string {
  if (occurrence.kind === "connection")
    return "http.client connects to the extension's host and port and sends the path apart; msi2imds does not rewrite http.client";
  return occurrence.kind === "origin"
    ? "the URL is assembled from pieces (the extension's origin here, its path elsewhere) msi2imds does not join"
    : `its port is filled in at run time (${occurrence.portText})`;
}

/** The IMDS URL with api-version, ready for the query the script writes after it ("&" when there is one). */
export function imdsUrlPrefix(apiVersion: string, moreQuery: boolean): string {
  return `${IMDS_TOKEN_URL}?${API_VERSION_PARAM}=${apiVersion}${moreQuery ? "&" : ""}`;
}

/** Replaces the extension URL where it is written. */
export function urlEdit(occurrence: UrlOccurrence, apiVersion: string, moreQuery = occurrence.query): TextEdit {
  return { start: occurrence.start, end: occurrence.end, text: imdsUrlPrefix(apiVersion, moreQuery) };
}
