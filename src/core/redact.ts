// Secrets never reach an output. Every message msi2imds takes from a response (ARM, Resource Graph, the
// identity endpoint) passes through redactSecrets before it is reported, logged or written: a careless or
// hostile endpoint can echo what it was sent. Known secrets (the tokens this process was issued, a client
// secret from the environment) are removed wherever they appear; anything shaped like one is removed too.

export const REDACTED = "[redacted]";

const SHAPES: readonly [pattern: RegExp, replacement: string][] = [
  // An Authorization header or field, whatever its scheme: its value, to the end of the line or the quote.
  [/(\bauthorization["']?\s*[:=]\s*["']?)[^"'\r\n]+/gi, `$1${REDACTED}`],
  [/\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1 ${REDACTED}`],
  // A JWT: three base64url parts, the first a JSON header ({" is eyJ).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Credentials named in a form body, a query string or JSON.
  [
    /\b((?:client_secret|clientSecret|client_assertion|access_token|accessToken|refresh_token|id_token|password)["']?\s*[:=]\s*["']?)[^"'&\s,;}]+/gi,
    `$1${REDACTED}`,
  ],
  // A Microsoft Entra client secret as the portal issues it: three characters, a digit, "Q~", then 31 or more.
  [/(?<![A-Za-z0-9_.~-])[A-Za-z0-9_.-]{3}\dQ~[A-Za-z0-9_.~-]{31,}/g, REDACTED],
];

const known = new Set<string>();

/** A secret this process holds (a token it was issued, a client secret): never shown, wherever it turns up. */
export function rememberSecret(secret: string | undefined): void {
  if (secret !== undefined && secret.length >= 8) known.add(secret);
}

export function redactSecrets(text: string): string {
  let redacted = text;
  for (const secret of known) redacted = redacted.split(secret).join(REDACTED);
  for (const [pattern, replacement] of SHAPES) redacted = redacted.replace(pattern, replacement);
  return redacted;
}
