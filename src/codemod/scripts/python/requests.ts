import type { RequestsLike } from "./requests-like.js";

// requests takes proxies from the environment, for module functions and sessions alike; proxies= with None
// for each key it looks up, on the call itself, keeps it off them: the scheme's, and "all" (ALL_PROXY),
// which it falls back to when the scheme's is None.

function noProxies(quote: string): string {
  return `{${["http", "https", "all"].map((key) => `${quote}${key}${quote}: None`).join(", ")}}`;
}

export const REQUESTS: RequestsLike = {
  library: "requests",
  bodies: ["json", "files"],
  positional: true,
  bypassProxies({ module, args }) {
    if (args.keywords.has("proxies"))
      return "it sets proxies=, and IMDS must be reached directly, never through a proxy";
    return { added: [`proxies=${noProxies(module.quote)}`], edits: [], note: "proxies from the environment bypassed" };
  },
};
