// The one place that knows both token endpoints: the deprecated Managed Identity VM extension and the
// Instance Metadata Service (IMDS) that replaces it. Sources: ../shared/docs/domain.md §1–§3 and §6.

/** The extension's default port; settings.port could change it, and 50343 is common in the wild. */
export const EXTENSION_DEFAULT_PORT = 50342;
export const EXTENSION_COMMON_PORTS: readonly number[] = [50342, 50343];
/** Hosts the extension answered on (it listened on IPv4 loopback only). */
export const EXTENSION_HOSTS: readonly string[] = ["localhost", "127.0.0.1"];
export const EXTENSION_TOKEN_PATH = "/oauth2/token";

export const EXTENSION_PUBLISHER = "Microsoft.ManagedIdentity";
export const EXTENSION_TYPES: readonly string[] = [
  "ManagedIdentityExtensionForWindows",
  "ManagedIdentityExtensionForLinux",
];

export const IMDS_HOST = "169.254.169.254";
export const IMDS_ORIGIN = `http://${IMDS_HOST}`;
export const IMDS_TOKEN_PATH = "/metadata/identity/oauth2/token";
export const IMDS_TOKEN_URL = `${IMDS_ORIGIN}${IMDS_TOKEN_PATH}`;
export const DEFAULT_API_VERSION = "2018-02-01";

/** IMDS api-versions that serve the identity category (it was introduced in 2018-02-01). */
export const IMDS_IDENTITY_API_VERSIONS: readonly string[] = [
  "2018-02-01",
  "2018-04-02",
  "2018-10-01",
  "2019-02-01",
  "2019-03-11",
  "2019-04-30",
  "2019-06-01",
  "2019-06-04",
  "2019-08-01",
  "2019-08-15",
  "2019-11-01",
  "2020-06-01",
  "2020-07-15",
  "2020-09-01",
  "2020-10-01",
  "2020-12-01",
  "2021-01-01",
  "2021-02-01",
  "2021-03-01",
  "2021-05-01",
  "2021-08-01",
  "2021-10-01",
  "2021-11-01",
  "2021-11-15",
  "2021-12-13",
  "2023-07-01",
];

/** IMDS requires this header, spelled exactly so (an SSRF guard). */
export const METADATA_HEADER_NAME = "Metadata";
export const METADATA_HEADER_VALUE = "true";
/** IMDS rejects any request that carries this header. */
export const FORBIDDEN_IMDS_HEADER = "X-Forwarded-For";

/** Query parameters both endpoints understand; identity selectors are mutually exclusive. */
export const RESOURCE_PARAM = "resource";
export const API_VERSION_PARAM = "api-version";
export const IDENTITY_SELECTOR_PARAMS: readonly string[] = ["client_id", "object_id", "msi_res_id", "mi_res_id"];
export const TOKEN_PARAMS: readonly string[] = [RESOURCE_PARAM, ...IDENTITY_SELECTOR_PARAMS];

/** Look-alikes that must never be rewritten (domain.md §6). */
export const LOOKALIKE_ENV_VARS: readonly string[] = [
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "MSI_ENDPOINT",
  "MSI_SECRET",
  "IMDS_ENDPOINT",
];
export const APP_SERVICE_TOKEN_PATH = "/MSI/token";
export const APP_SERVICE_API_VERSIONS: readonly string[] = ["2017-09-01", "2019-08-01"];
export const ARC_PORT = 40342;

export function isImdsIdentityApiVersion(version: string): boolean {
  return IMDS_IDENTITY_API_VERSIONS.includes(version);
}

export function isExtensionPublisher(publisher: unknown): boolean {
  return typeof publisher === "string" && publisher.toLowerCase() === EXTENSION_PUBLISHER.toLowerCase();
}

export function isExtensionType(type: unknown): boolean {
  return typeof type === "string" && EXTENSION_TYPES.some((t) => t.toLowerCase() === type.toLowerCase());
}

/** An extension is identified by publisher and type, never by its free-form name. */
export function isManagedIdentityExtension(publisher: unknown, type: unknown): boolean {
  return isExtensionPublisher(publisher) && isExtensionType(type);
}

export function isExtensionHost(host: string): boolean {
  return EXTENSION_HOSTS.includes(host.toLowerCase());
}

/** The extension's ports: the defaults plus any the user configured. */
export function extensionPorts(extra: readonly number[] = []): number[] {
  return [...new Set([...EXTENSION_COMMON_PORTS, ...extra])];
}

export interface ExtensionEndpoint {
  host: string;
  port: number;
  /** The query string as written, without the leading "?" ("" when absent). */
  query: string;
}

/**
 * Parses an absolute URL and tells whether it is the extension's token endpoint on one of `ports`.
 * Paths under /metadata/identity (Azure Arc, odd hybrids) are deliberately not the extension.
 */
export function parseExtensionTokenUrl(
  url: string,
  ports: readonly number[] = EXTENSION_COMMON_PORTS,
): ExtensionEndpoint | undefined {
  const match = /^http:\/\/(localhost|127\.0\.0\.1):(\d{1,5})(\/oauth2\/token)\/?(?:\?([^#]*))?$/i.exec(url);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (!ports.includes(port)) return undefined;
  return { host: match[1]!.toLowerCase(), port, query: match[4] ?? "" };
}

/** Builds the IMDS token URL, api-version first, the other parameters as the code spelled them. */
export function imdsTokenUrl(query: string, apiVersion: string = DEFAULT_API_VERSION): string {
  const rest = query.replace(/^\?/, "");
  const params = rest.split("&").filter((p) => p !== "" && !p.toLowerCase().startsWith(`${API_VERSION_PARAM}=`));
  return `${IMDS_TOKEN_URL}?${[`${API_VERSION_PARAM}=${apiVersion}`, ...params].join("&")}`;
}
