import { escapeRegExp } from "../../src/core/patterns.js";
import { EXTENSION_HOSTS, EXTENSION_TOKEN_PATH, IMDS_HOST, IMDS_TOKEN_PATH } from "../../src/imds.js";
import { lineBefore } from "./extent.js";
import { matches } from "./matches.js";

// Regular expressions for the two endpoints as they appear in text, built from src/imds.ts so no host,
// port or path is spelled twice.

const HOST = `(?:${EXTENSION_HOSTS.map(escapeRegExp).join("|")})`;
const EXTENSION_PATH = `${escapeRegExp(EXTENSION_TOKEN_PATH)}(?![\\w-])`;

/** Ways code puts a port into a URL string instead of writing the number. */
const PORT_PLACEHOLDERS = [
  String.raw`\{[^{}\s"']{0,24}\}`, // Python format / f-string, C# interpolation, String.Format {0}
  `%[0-9]*[dsv]`, // printf family: Python %, Go Sprintf, Java String.format
  String.raw`\$\{?[A-Za-z_][\w.]*\}?`, // shell, PowerShell, Groovy/Kotlin ${port} and $port
  String.raw`\$\([^()\s]{1,32}\)`, // PowerShell $($port)
  String.raw`#\{[^}\s]{1,32}\}`, // Ruby #{port}
  String.raw`\{\{[^{}]{1,64}\}\}`, // Jinja, Go and Helm templates {{ msi_port }}
  String.raw`\\\([^()\s]{1,32}\)`, // Swift \(port)
  // "…:" + port + "/oauth2/token", Lua's .., Nim's & $port &, R's paste0("…:", port, "/…"), Clojure's (str "…:" port "/…")
  // (each part bounded: runs of spaces between open-ended parts make a pattern slow on long blank stretches)
  String.raw`["'](?:\s{0,8}(?:\.\.|[+.&,])\s{0,8}|\s{1,8})\$?[A-Za-z_][\w.()-]{0,64}(?:\s{0,8}(?:\.\.|[+.&,])\s{0,8}|\s{1,8})["']`,
].join("|");

/**
 * A host spliced in (`http://{host}:{port}/oauth2/token`, `%s`, `${host}`): with a port after it and the
 * extension's path, it is the extension's URL built for any host. Only after a scheme: AAD's token URLs
 * (`https://{authority}/{tenant}/oauth2/token`) never carry a port.
 */
const HOST_PLACEHOLDER = String.raw`https?://(?:\{[^{}\s"':/]{0,24}\}|%s|\$\{?[A-Za-z_][\w.]*\}?|#\{[^}\s]{1,32}\})`;
const ANY_HOST = `(?:(?:https?://)?${HOST}|${HOST_PLACEHOLDER})`;

/** The extension's URL with a literal port (captured in group 1). */
export function literalExtensionUrl(): RegExp {
  return new RegExp(`${ANY_HOST}:(\\d{1,5})(?![0-9])${EXTENSION_PATH}`, "gi");
}

/**
 * IMDS's path on the extension's host and a literal port (captured in group 1): `localhost:50342/metadata/
 * identity/oauth2/token`, neither endpoint (seen in docs scripts and local emulators).
 */
export function hybridExtensionUrl(): RegExp {
  return new RegExp(`(?:https?://)?${HOST}:(\\d{1,5})${escapeRegExp(IMDS_TOKEN_PATH)}(?![\\w-])`, "gi");
}

/**
 * The extension's origin alone, `http://localhost:50342` ending there (a quote, a space, the end of a line): a
 * base its token path is joined to elsewhere in the file (`"$base/oauth2/token"`).
 */
const ORIGIN = `http://(${HOST}):(\\d{1,5})/?(?=["'\`\\s]|$)`;

/**
 * Python's http.client connection to the extension's host and port (`HTTPConnection("localhost", 50342)`,
 * `HTTPConnection("127.0.0.1:50342")`), the path given to its request: host in group 1, port in 2 or 3.
 */
const CONNECTION = `\\bHTTPS?Connection\\(\\s*["'](${HOST})(?::(\\d{1,5}))?["']\\s*(?:,\\s*(?:port\\s*=\\s*)?(\\d{1,5}))?`;

/**
 * The extension's host and port as a call's first argument, the path given apart (Dart's
 * `Uri.http('localhost:50342', '/oauth2/token')`): host in group 1, port in 2. http.client's is CONNECTION.
 */
const HOST_ARGUMENT = `(?<!HTTPS?Connection)\\(\\s*["'](${HOST}):(\\d{1,5})["']\\s*,`;

/** What a file holding an extension connection must contain. */
export const CONNECTION_PREFILTER = `HTTPS?Connection\\(\\s*["']${HOST}`;

/** The token path not as IMDS's (`/metadata/identity/oauth2/token`): the extension's, to join to an origin. */
const EXTENSION_PATH_ALONE = new RegExp(
  `(?<!${escapeRegExp(IMDS_TOKEN_PATH.slice(0, -EXTENSION_TOKEN_PATH.length))}/)${escapeRegExp(EXTENSION_TOKEN_PATH.slice(1))}`,
);

/** The extension's host and port written apart from its token path: an origin, or an http.client connection. */
export interface ExtensionOrigin {
  match: RegExpExecArray;
  kind: "origin" | "connection";
  host: string;
  port: number;
  /** The port as written. */
  portText: string;
}

/**
 * The extension's host and port on one of `ports`, written apart from its token path, in a file that writes
 * that path (not IMDS's) somewhere: what lint reports and fix leaves to a person, found once.
 */
export function extensionOrigins(text: string, ports: readonly number[]): ExtensionOrigin[] {
  if (!EXTENSION_PATH_ALONE.test(text)) return [];
  const found: ExtensionOrigin[] = [];
  for (const [source, flags, kind] of [
    [ORIGIN, "gim", "origin"],
    [HOST_ARGUMENT, "gi", "origin"],
    [CONNECTION, "g", "connection"],
  ] as const) {
    for (const match of matches(text, new RegExp(source, flags))) {
      const portText = match[2] ?? match[3]!;
      const port = Number(portText);
      if (ports.includes(port)) found.push({ match, kind, host: match[1]!.toLowerCase(), port, portText });
    }
  }
  return found;
}

/** The extension's URL with the port spliced in by formatting or concatenation. */
export function builtExtensionUrl(): RegExp {
  return new RegExp(`${ANY_HOST}:(?:${PORT_PLACEHOLDERS})${EXTENSION_PATH}`, "gi");
}

/**
 * For the prefilter: a loopback host and ":", then the token path anywhere after. Nothing is asked of the
 * text between: whatever a placeholder or concatenation holds (spaces, a long name, non-ASCII letters,
 * whose UTF-8 bytes the prefilter sees one by one), the prefilter never drops a file the rule would flag.
 * Tried once, from the start: the first host (captured in a lookahead, which never backtracks), then the
 * last token path. `host:[\s\S]*?path` would scan to the end from every host in a file whose path comes
 * first: 40 s for a 4 MB file.
 */
export const EXTENSION_URL_PREFILTER = `^(?=([\\s\\S]*?${HOST}:))\\1[\\s\\S]*${escapeRegExp(EXTENSION_TOKEN_PATH)}`;

/** For the prefilter: a spliced-in host, anything but a "/" up to the token path (a port must be there). */
export const PLACEHOLDER_HOST_URL_PREFILTER = String.raw`://(?:\{|%s|\$|#\{)[^/\s]{0,64}${escapeRegExp(EXTENSION_TOKEN_PATH)}`;

export const IMDS_TOKEN_URL_SOURCE = `(?:https?://)?${escapeRegExp(IMDS_HOST)}${escapeRegExp(IMDS_TOKEN_PATH)}`;

/**
 * A word of the extension's world: MSI (MSI_PORT, msi_endpoint), managed identity in any spelling, the
 * Metadata: true header it requires, or Azure.
 */
const EXTENSION_CONTEXT = new RegExp(
  [
    String.raw`\bmsi(?![a-z])`,
    String.raw`managed[\s_-]?identit`,
    String.raw`\bMetadata["']?\s*[:=,]\s*["']?true`,
    "azure",
  ].join("|"),
  "i",
);
/** An OAuth flow's own words: the extension never took a grant type, nor had an authorize endpoint. */
const OAUTH_FLOW = /\bgrant_type\b|\/oauth2\/(?:v2\.0\/)?authorize\b/;

/**
 * Whether a token URL whose port is spliced in may be the extension's, by what else its file says. Spring
 * Authorization Server, Cognito-style servers and OIDC proxies serve /oauth2/token on localhost too: with no
 * port to tell them apart, the file must speak of the extension's world and not of an OAuth flow.
 */
export function mayBeExtensionOnAnyPort(text: string): boolean {
  return EXTENSION_CONTEXT.test(text) && !OAUTH_FLOW.test(text);
}

/**
 * Terraform's and Packer's endpoint setting right before its value: ARM_MSI_ENDPOINT anywhere (`export
 * ARM_MSI_ENDPOINT=`, a pipeline's `ARM_MSI_ENDPOINT: `), the azurerm provider's `msi_endpoint = "` in HCL.
 * Code's own MSI_ENDPOINT constants are requests' URLs, not settings.
 */
const ENDPOINT_SETTING = /\b(ARM_MSI_ENDPOINT)\b["']?[ \t]*[:=][ \t]*["']?$/;
const HCL_ENDPOINT_SETTING = /\b(msi_endpoint)[ \t]*=[ \t]*"$/;
/** How far back on its line a value's setting name is looked for. */
export const SETTING_REACH = 200;

/**
 * The setting a URL at `start` is the value of, when it is a tool's managed-identity endpoint setting: the
 * tool calls it instead of finding IMDS itself, so the fix is to remove the setting, not to rewrite the URL.
 */
export function endpointSettingAt(text: string, start: number, hcl = false): string | undefined {
  const before = lineBefore(text, start, SETTING_REACH);
  return (ENDPOINT_SETTING.exec(before) ?? (hcl ? HCL_ENDPOINT_SETTING.exec(before) : null))?.[1];
}

/**
 * The folder the VM agent installs and logs the extension in (`/var/lib/waagent/Microsoft.ManagedIdentity.
 * ManagedIdentityExtensionForLinux-1.0.0.8`, `C:\\Packages\\Plugins\\…`): code that looks for it gates on the
 * extension being there.
 */
export const EXTENSION_FOLDER = /Microsoft\.ManagedIdentity\.ManagedIdentityExtensionFor(?:Linux|Windows)/g;
