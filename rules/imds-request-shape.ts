import type { FileRule } from "../src/core/rule.js";
import { createRule } from "./support/create-rule.js";
import { IMDS_TOKEN_URL_SOURCE } from "./support/endpoint-patterns.js";
import { commandAt, isCommandLanguage, statementAt, type Span } from "./support/extent.js";
import { matches } from "./support/matches.js";
import {
  API_VERSION_PARAM,
  DEFAULT_API_VERSION,
  isImdsIdentityApiVersion,
  METADATA_HEADER_NAME,
  METADATA_HEADER_VALUE,
} from "../src/imds.js";

// IMDS token requests that IMDS will reject: it serves GET only, needs an identity api-version and the
// Metadata: true header. Only the request's own command or call is read (the whole file for the header
// in code, where headers are often built elsewhere), and a bare URL constant is judged by its query
// alone, so correct calls are not flagged.

const REQUEST_COMMAND = /\b(?:curl|wget|Invoke-RestMethod|Invoke-WebRequest|irm|iwr)\b/i;
const POST = new RegExp(
  [
    String.raw`(?:^|\s)-X\s*["']?POST\b`,
    String.raw`--request[=\s]+["']?POST\b`,
    String.raw`(?:^|\s)(?:-d|--data(?:-\w+)?|--form|-F)(?=[\s=])`,
    String.raw`--post-(?:data|file)\b`,
    String.raw`-Method\s+["']?Post\b`,
    String.raw`\.post\s*\(`,
    String.raw`\bpost\s*\(`,
    String.raw`\bmethod\s*[:=]\s*["']POST["']`,
    String.raw`HttpMethod\.Post\b`,
    String.raw`\bMethodPost\b`,
    String.raw`\bPostAsync\s*\(`,
    String.raw`::Post\b`,
    String.raw`["']POST["']`,
  ].join("|"),
  "i",
);
const HEADER = new RegExp(String.raw`(?<![/\w.-])${METADATA_HEADER_NAME}(?![/\w-])`, "i");
const API_VERSION = new RegExp(`${API_VERSION_PARAM}`, "i");
/** Words a call that sends a request uses; a URL in any other call (a test's string list) is not a request. */
const REQUEST_WORD = new RegExp(
  [
    String.raw`\b(?:fetch|urlopen|curl|wget)\b|\b(?:get|post|send|request)\w*\s*[(<]`,
    String.raw`|\.(?:get|post|send|request)\b|\bhttp(?!s?:\/\/)|invoke-|\buri\s*\(`,
  ].join(""),
  "i",
);
/** A query string with something spliced in: what it ends up holding cannot be read from the text. */
const INTERPOLATED = /\$|\{|#\{|%[sdv]/;

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "imds-request-shape",
    description:
      "IMDS token requests that fail at run time: a POST, no api-version (or one without identity support), " +
      "or no Metadata: true header.",
    severity: "error",
    fixable: false,
    messages: {
      missingHeader: `IMDS rejects requests without the header ${METADATA_HEADER_NAME}: ${METADATA_HEADER_VALUE}.`,
      post: "IMDS serves tokens to GET only: a POST fails with 405; send GET with the parameters in the query string.",
      missingApiVersion:
        `IMDS rejects token requests without ${API_VERSION_PARAM}; ` +
        `add ${API_VERSION_PARAM}=${DEFAULT_API_VERSION}.`,
      apiVersionWithoutIdentity:
        `${API_VERSION_PARAM}={{version}} does not serve identity tokens; ` + `use ${DEFAULT_API_VERSION} or later.`,
    },
  },
  languages: [
    "javascript",
    "typescript",
    "python",
    "csharp",
    "java",
    "go",
    "ruby",
    "powershell",
    "shell",
    "yaml",
    "dockerfile",
  ],
  prefilter: () => [new RegExp(IMDS_TOKEN_URL_SOURCE, "i")],
  check(context) {
    const { text } = context;
    const fileHasHeader = HEADER.test(text);
    for (const m of matches(text, new RegExp(IMDS_TOKEN_URL_SOURCE, "gi"))) {
      const urlEnd = m.index + m[0].length;
      const query = /^\/?(\?[^\s"'`)]*)?/.exec(text.slice(urlEnd, urlEnd + 2000))![1] ?? "";
      const command = isCommandLanguage(context.language) ? commandAt(text, m.index, context.language) : undefined;
      const isRequestCommand = command !== undefined && REQUEST_COMMAND.test(slice(text, command));
      const statement = statementAt(text, m.index);
      const scope = isRequestCommand ? command! : statement;
      // In code, a URL outside any call (a constant) says nothing about the request made with it.
      const isRequest =
        isRequestCommand ||
        (command === undefined &&
          statement.nested &&
          REQUEST_WORD.test(text.slice(statement.start, m.index) + text.slice(urlEnd, statement.end)));
      const report = (messageId: string, data?: Record<string, string>) =>
        context.report({ messageId, ...(data ? { data } : {}), start: m.index, end: urlEnd + query.length });
      const scopeHasApiVersion = API_VERSION.test(slice(text, scope));
      checkApiVersion(
        query,
        !scopeHasApiVersion && !INTERPOLATED.test(query) && (isRequestCommand || query.length > 1),
        report,
      );
      if (isRequest && (isRequestCommand ? !HEADER.test(slice(text, scope)) : !fileHasHeader)) {
        report("missingHeader");
      }
      if (isRequest && POST.test(slice(text, scope))) report("post");
    }
  },
});

/** `visiblyMissing`: the request is in view and names no api-version anywhere. */
function checkApiVersion(
  query: string,
  visiblyMissing: boolean,
  report: (messageId: string, data?: Record<string, string>) => void,
): void {
  const version = new RegExp(`[?&]${API_VERSION_PARAM}=([^&#]*)`, "i").exec(query)?.[1];
  if (version === undefined) {
    if (visiblyMissing) report("missingApiVersion");
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(version) && !isImdsIdentityApiVersion(version)) {
    report("apiVersionWithoutIdentity", { version });
  }
}

function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}
