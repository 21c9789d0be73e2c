import type { RequestsLike } from "./requests-like.js";

// requests takes proxies from the environment, for module functions and sessions alike; proxies= with None
// for both schemes, on the call itself, keeps it off them.

function noProxies(quote: string): string {
  return `{${quote}http${quote}: None, ${quote}https${quote}: None}`;
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
