import type { FileRule, FileRuleContext } from "../src/core/rule.js";
import type { SyntaxNode, SyntaxTree } from "../src/core/syntax-tree.js";
import {
  API_VERSION_PARAM,
  DEFAULT_API_VERSION,
  FORBIDDEN_IMDS_HEADER,
  isImdsIdentityApiVersion,
  METADATA_HEADER_NAME,
  METADATA_HEADER_VALUE,
} from "../src/imds.js";
import { boundNames, usesOf } from "./support/bindings.js";
import { enclosingCalls, inComment, isMockCall, scopeMatches } from "./support/code-paths.js";
import { createRule } from "./support/create-rule.js";
import { IMDS_TOKEN_URL_SOURCE } from "./support/endpoint-patterns.js";
import { commandAt, indentedLineAt, parentLine, type Span } from "./support/extent.js";
import { matches } from "./support/matches.js";

// IMDS token requests that IMDS will reject: it serves GET only, needs an identity api-version and the
// Metadata: true header. Only a request is judged: the call or command the URL is passed to (directly, or
// through a constant bound to it in the same file), with the function around it for headers and parameters
// set beside the call. A URL that no request uses (a constant, a list of strings) or that a mocking library
// registers (httpretty, responses, WebMock…) is judged by the api-version its own query names, if any.

/** A POST said outright: `-X POST`, `--request POST`. */
const EXPLICIT_POST = /(?:^|\s)-X\s*["']?POST\b|--request[=\s]+["']?POST\b/i;
/** A POST the call's shape implies: a form body, a post method, a POST constant. */
const IMPLIED_POST = new RegExp(
  [
    String.raw`(?:^|\s)(?:-d|--data(?:-\w+)?|--form|-F)(?=[\s=])`,
    String.raw`--post-(?:data|file)\b`,
    String.raw`-Method\s+["']?Post\b`,
    String.raw`\.post\s*\(`,
    String.raw`\bpost\s*\(`,
    String.raw`\bmethod\s*[:=]\s*["']?POST\b`,
    String.raw`HttpMethod\.Post\b`,
    String.raw`\bMethodPost\b`,
    String.raw`\bPostAsync\s*\(`,
    String.raw`::Post\b`,
    `["']POST["']`,
    String.raw`\.POST\s*\(`,
  ].join("|"),
  "i",
);
/** curl's -G (--get, or in a group of short options: -sG) sends the -d/--data fields as the query of a GET. */
const CURL_GET = /\bcurl\b.*?(?:\s--get\b|\s-[A-Za-z]*G[A-Za-z]*(?=\s|$))/s;
const HEADER = new RegExp(String.raw`(?<![/\w.-])${METADATA_HEADER_NAME}(?![/\w-])`, "i");
/** Headers handed to the request some other way (a variable): they may hold Metadata, set elsewhere. */
const HEADER_ARGUMENT =
  /(?:^|\s)(?:-H|--header|-Headers)\b|\bheaders\s*[=:]|\bHeaders?\s*[.=]|setRequestProperty|\.header\s*\(|DefaultRequestHeaders/i;
/**
 * A header set to "true" under a name the file takes from elsewhere (`request.Header.Set(azcore.HeaderMetadata,
 * "true")`, `headers[METADATA] = "true"`), or on a headers object built before (`headers.Metadata = "true"`):
 * no other header IMDS clients send has that value.
 */
const HEADER_BY_NAME =
  /\b(?:set|add|append|put|header)\s*\(\s*[A-Za-z_$][\w$.]*\s*,\s*["'`]true["'`]\s*\)|\[\s*[A-Za-z_$][\w$.]*\s*\]\s*=\s*["'`]true["'`]|\bheaders\.Metadata\s*=\s*["'`]true["'`]/i;
/** The header named in the request itself (a proxy of the file's own may read it elsewhere). */
const FORWARDED_FOR = new RegExp(`["'\\s]${FORBIDDEN_IMDS_HEADER}["':]`, "i");
/** The parameter named, not a look-alike: `api-version%3D=` is a parameter of another name. */
const API_VERSION = new RegExp(`${API_VERSION_PARAM}(?![%\\w-])`, "i");
/** Calls and commands that send a request: the name a call is known by, in any case. */
const REQUEST_CALL = new RegExp(
  String.raw`(?:^|[.:\s])(?:get|post|put|request|fetch|urlopen|send|sendasync|getasync|postasync|` +
    "getstringasync|getstreamasync|getbytearrayasync|newrequest|newrequestwithcontext|openconnection|" +
    "newbuilder|downloadstring|uploadstring|get_response|invoke-restmethod|invoke-webrequest|irm|iwr|curl_init|" +
    String.raw`curl|wget|axios|got|new httprequestmessage|new httpget|new httppost)$|HTTP::(?:Get|Post)\.new$`,
  "i",
);
/**
 * A URL object made of the string (`new URL(…)`, `URI(…)`, `URI.create(…)`, `new Uri(…)`, `url.Parse(…)`): no
 * request yet, followed as the string itself would be, through the name it is bound to.
 */
const URL_OBJECT =
  /^(?:new\s+(?:java\.net\.|System\.)?(?:URL|URI|Uri)|(?:java\.net\.)?URI\.(?:create|parse)|URI|Kernel\.URI|url\.Parse)$/;
/** A query string with something spliced in: what it ends up holding cannot be read from the text. */
const INTERPOLATED = /\$|\{|#\{|%[sdv]/;

type Report = (messageId: string, data?: Record<string, string>) => void;
/** A call (with the name it is known by) or a command that sends a request. */
type Request = Span & { name?: string };

export default createRule<FileRule>({
  kind: "file",
  meta: {
    id: "imds-request-shape",
    description:
      "IMDS token requests that fail at run time: a POST, no api-version (or one without identity support), " +
      "no Metadata: true header, or an X-Forwarded-For header.",
    severity: "error",
    fixable: false,
    messages: {
      missingHeader: `IMDS rejects requests without the header ${METADATA_HEADER_NAME}: ${METADATA_HEADER_VALUE}.`,
      post: "IMDS serves tokens to GET only: a POST fails with 405; send GET with the parameters in the query string.",
      missingApiVersion:
        `IMDS rejects token requests without ${API_VERSION_PARAM}; ` +
        `add ${API_VERSION_PARAM}=${DEFAULT_API_VERSION}.`,
      forwardedFor: `IMDS refuses requests that carry ${FORBIDDEN_IMDS_HEADER}: drop the header.`,
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
    "php",
  ],
  syntax: true,
  prefilter: () => [new RegExp(IMDS_TOKEN_URL_SOURCE, "i")],
  check(context) {
    const { text } = context;
    const tree = context.syntax();
    // Read once per file, whatever the number of requests: headers handed in as a variable or set on a
    // client object may be set anywhere in it.
    let headerInFile: boolean | undefined;
    const fileMentionsHeader = () => (headerInFile ??= HEADER.test(text));
    for (const m of matches(text, new RegExp(IMDS_TOKEN_URL_SOURCE, "gi"))) {
      if (inComment(tree, m.index)) continue;
      const urlEnd = m.index + m[0].length;
      const query = /^\/?(\?[^\s"'`)]*)?/.exec(text.slice(urlEnd, urlEnd + 2000))![1] ?? "";
      const report: Report = (messageId, data) =>
        context.report({ messageId, ...(data ? { data } : {}), start: m.index, end: urlEnd + query.length });
      const requests = requestsOf(context, m.index, urlEnd);
      if (requests === "mock") continue;
      if (requests.length === 0) {
        checkApiVersion(query, false, report);
        continue;
      }
      // One verdict per problem, whichever request (of those using a constant) shows it.
      const found = new Set<string>();
      const once: Report = (messageId, data) => {
        if (!found.has(messageId)) report(messageId, data);
        found.add(messageId);
      };
      for (const request of requests) judge(context, request, query, once, fileMentionsHeader);
    }
  },
});

/** The requests a URL at [start, end) goes to: its own call or command, or those using its constant. */
function requestsOf(context: FileRuleContext, start: number, end: number): Request[] | "mock" {
  const tree = context.syntax();
  if (context.language === "yaml" || context.language === "dockerfile") {
    // No grammar: the shell command the URL sits in.
    const command = commandAt(context, start, context.language);
    if (isRequest(context.text.slice(command.start, command.end))) return [command];
    const task = context.language === "yaml" ? ansibleUriTask(context.text, start) : undefined;
    return task ? [{ ...task, name: ANSIBLE_URI }] : [];
  }
  const calls = enclosingCalls(tree, start, end);
  if (calls.some(isMockCall)) return "mock";
  if (calls.some((call) => REQUEST_CALL.test(call.name ?? ""))) return [calls.at(-1)!];
  const urlObject =
    calls.length > 0 && calls.every((call) => URL_OBJECT.test(call.name ?? "")) ? calls.at(-1) : undefined;
  if (calls.length > 0 && !urlObject) return [];
  // A constant (or a URL object): the requests that name it. A name bound in a function is that function's:
  // another function's variable of the same name is another value.
  const literal = urlObject ?? tree.enclosing(start, end, "string");
  const names = literal ? boundNames(context.text, literal.start) : [];
  const scope = tree.enclosing(start, end, "function");
  const requests = new Map<SyntaxNode, Request>();
  for (const name of names)
    for (const at of usesOf(tree, name)) {
      if (at >= (literal?.start ?? start) - 80 && at < end) continue; // the binding itself
      if (scope && (at < scope.start || at >= scope.end)) continue;
      const around = enclosingCalls(tree, at, at + name.length);
      if (around.some(isMockCall) || !around.some((call) => REQUEST_CALL.test(call.name ?? ""))) continue;
      if (isPayload(tree, at, around.find((call) => REQUEST_CALL.test(call.name ?? ""))!)) continue;
      requests.set(around.at(-1)!, around.at(-1)!);
    }
  return [...requests.values()];
}

/** The name an Ansible uri task goes by as a request. */
const ANSIBLE_URI = "ansible uri";
const URL_KEY = /^[ \t]*url:[ \t]*["']?$/;
const URI_MODULE = /^([ \t]*)(?:-[ \t]+)?(?:ansible\.(?:builtin|windows)\.)?(?:win_)?uri:[ \t]*$/;
/** How far a task's mapping is read: an Ansible task is a few lines. */
const MAX_TASK_LINES = 40;

/**
 * An Ansible `uri` (or `win_uri`) task whose `url:` the URL at `start` is: the module's mapping, from its
 * key to the end of its indented block, holds the request's headers, method and body.
 */
function ansibleUriTask(text: string, start: number): Span | undefined {
  const url = indentedLineAt(text, start);
  if (!URL_KEY.test(text.slice(url.start, start))) return undefined;
  const task = parentLine(text, url, MAX_TASK_LINES);
  const module = task && URI_MODULE.exec(task.text);
  if (!task || !module) return undefined;
  let end = text.indexOf("\n", start);
  for (let j = 0; j < MAX_TASK_LINES && end !== -1; j++) {
    const row = indentedLineAt(text, end + 1);
    if (row.text.trim() !== "" && row.indent <= module[1]!.length) break;
    end = text.indexOf("\n", end + 1);
  }
  return { start: task.start, end: end === -1 ? text.length : end };
}

/** Calls that turn a value into part of another URL: what they are given is data, not where a request goes. */
const ENCODER =
  /(?:^|[.:])(?:urlencode|rawurlencode|escape|quote(?:_plus)?|encodeURIComponent|encode_www_form_component|encode|QueryEscape|PathEscape|EscapeDataString|UrlEncode)$/i;

/**
 * A use of the URL's name that hands it to a request as data, not as where it goes: spliced into another
 * string, a value in an object or dict (`params={"url": target}`), or an encoder's argument (an SSRF test
 * asking an app to fetch IMDS for it), anywhere between the use and the request.
 */
function isPayload(tree: SyntaxTree, at: number, request: SyntaxNode): boolean {
  for (let node = tree.enclosing(at, at + 1); node && node !== request; node = node.parent) {
    if (node.kind === "string" || node.kind === "object") return true;
    if (node.kind === "call" && ENCODER.test(node.name ?? "")) return true;
  }
  return false;
}

function isRequest(command: string): boolean {
  return /\b(?:curl|wget|Invoke-RestMethod|Invoke-WebRequest|irm|iwr)\b/i.test(command);
}

/**
 * A request as its call (the whole chain: a builder's .header() and .POST() count) and the code around it
 * show it: headers and parameters may be set in the same function, beside the call.
 */
function judge(
  context: FileRuleContext,
  request: Request,
  query: string,
  report: Report,
  fileMentionsHeader: () => boolean,
): void {
  const call = context.text.slice(request.start, request.end);
  // A command says everything on its line; code may set headers and parameters beside the call.
  const command = ["shell", "powershell", "yaml", "dockerfile"].includes(context.language);
  const around = (pattern: RegExp) =>
    lexicalOnly(context) ? pattern.test(call) : scopeMatches(context.syntax(), request.start, pattern);
  const hasApiVersion = API_VERSION.test(call) || (!command && around(API_VERSION));
  checkApiVersion(query, !hasApiVersion && !INTERPOLATED.test(query), report);
  // Headers handed in as a variable, or set where the session or client object was made.
  // Ansible may set a module's headers once for a play (module_defaults).
  const defaults = request.name === ANSIBLE_URI && /\bmodule_defaults\s*:/.test(context.text);
  const setElsewhere = (HEADER_ARGUMENT.test(call) || onClientObject(request) || defaults) && fileMentionsHeader();
  const hasHeader = HEADER.test(call) || setElsewhere || (!command && (around(HEADER) || around(HEADER_BY_NAME)));
  if (!hasHeader) report("missingHeader");
  if (sendsPost(call)) report("post");
  if (FORWARDED_FOR.test(call)) report("forwardedFor");
}

function sendsPost(call: string): boolean {
  return EXPLICIT_POST.test(call) || (IMPLIED_POST.test(call) && !CURL_GET.test(call));
}

/** Receivers that are modules or packages, whose functions carry no headers of their own. */
const MODULE_RECEIVER = /^(?:requests|httpx|aiohttp|urllib(?:\.request)?|urllib2|http|https|axios|got|Net::HTTP)$/;

/** `self.session.get(…)`, `client.GetAsync(…)`: a request made through an object rather than a module. */
function onClientObject({ name }: Request): boolean {
  const receiver = name ? /^(.+?)(?:\.|::)[\w-]+$/.exec(name)?.[1] : undefined;
  return receiver !== undefined && !MODULE_RECEIVER.test(receiver);
}

function lexicalOnly(context: FileRuleContext): boolean {
  return context.language === "yaml" || context.language === "dockerfile";
}

/** `visiblyMissing`: the request is in view and names no api-version anywhere. */
function checkApiVersion(query: string, visiblyMissing: boolean, report: Report): void {
  const version = new RegExp(`[?&]${API_VERSION_PARAM}=([^&#]*)`, "i").exec(query)?.[1];
  if (version === undefined) {
    if (visiblyMissing) report("missingApiVersion");
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(version) && !isImdsIdentityApiVersion(version)) {
    report("apiVersionWithoutIdentity", { version });
  }
}
