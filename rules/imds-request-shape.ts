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
    // What a command says is read once per command, however many URLs it holds.
    const commands = new Map<number, CommandFacts>();
    const commandFacts = (command: Span): CommandFacts => {
      let facts = commands.get(command.start);
      if (!facts) {
        const words = slice(text, command);
        facts = Object.assign(scopeFacts(words), { isRequest: REQUEST_COMMAND.test(words) });
        commands.set(command.start, facts);
      }
      return facts;
    };
    for (const m of matches(text, new RegExp(IMDS_TOKEN_URL_SOURCE, "gi"))) {
      const urlEnd = m.index + m[0].length;
      const query = /^\/?(\?[^\s"'`)]*)?/.exec(text.slice(urlEnd, urlEnd + 2000))![1] ?? "";
      const command = isCommandLanguage(context.language) ? commandAt(context, m.index, context.language) : undefined;
      const inCommand = command && commandFacts(command);
      const isRequestCommand = inCommand?.isRequest === true;
      const statement = statementAt(context, m.index);
      const scope = isRequestCommand ? inCommand! : scopeFacts(slice(text, statement));
      const isRequest =
        isRequestCommand ||
        (command === undefined &&
          statement.nested &&
          REQUEST_WORD.test(text.slice(statement.start, m.index) + text.slice(urlEnd, statement.end)));
      const report = (messageId: string, data?: Record<string, string>) =>
        context.report({ messageId, ...(data ? { data } : {}), start: m.index, end: urlEnd + query.length });
      checkApiVersion(
        query,
        !scope.hasApiVersion && !INTERPOLATED.test(query) && (isRequestCommand || query.length > 1),
        report,
      );
      if (isRequest && (isRequestCommand ? !scope.hasHeader : !fileHasHeader)) {
        report("missingHeader");
      }
      if (isRequest && scope.isPost) report("post");
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

/** What the words around a URL say of its request. */
interface ScopeFacts {
  hasApiVersion: boolean;
  hasHeader: boolean;
  isPost: boolean;
}

interface CommandFacts extends ScopeFacts {
  /** The command is curl, wget, Invoke-RestMethod…: the URL is its request. */
  isRequest: boolean;
}

/** Each fact read from the words only when asked: most URLs are no request, and POST is a long pattern. */
function scopeFacts(words: string): ScopeFacts {
  let hasApiVersion: boolean | undefined;
  let hasHeader: boolean | undefined;
  let isPost: boolean | undefined;
  return {
    get hasApiVersion() {
      hasApiVersion ??= API_VERSION.test(words);
      return hasApiVersion;
    },
    get hasHeader() {
      hasHeader ??= HEADER.test(words);
      return hasHeader;
    },
    get isPost() {
      isPost ??= POST.test(words);
      return isPost;
    },
  };
}

function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}
