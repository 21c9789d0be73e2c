import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { LinkToOtherHost, NextLinkLoop } from "./errors.js";

// The first policy every request of a scan or a removal passes, before it is signed: it goes to the ARM
// endpoint in use or nowhere (a nextLink or polling URL naming another host is refused, so the bearer token
// never leaves for it), and a paged list whose nextLink leads back to a page already read is stopped
// (a nextLink to itself once made 3,986 requests in 150 s). Each list is a chain of pages: the first
// request, then each page named by the one before; a page named again within its own chain is a loop.

const NEXT_LINK = /"nextLink"\s*:\s*("(?:[^"\\]|\\.)*")/;

export function createRequestGuard(armEndpoint: string): PipelinePolicy {
  const armOrigin = new URL(armEndpoint).origin;
  /** Page → the pages of its list read so far (shared by the whole chain). */
  const chains = new Map<string, Set<string>>();
  return {
    name: "msi2imdsRequestGuard",
    async sendRequest(request, next) {
      const url = new URL(request.url);
      if (url.origin !== armOrigin) throw new LinkToOtherHost(url, armOrigin);
      const response = await next(request);
      const named = NEXT_LINK.exec(response.bodyAsText ?? "")?.[1];
      if (named === undefined) return response;
      const nextLink = JSON.parse(named) as unknown;
      if (typeof nextLink !== "string" || !URL.canParse(nextLink)) return response;
      const page = pageKey(url);
      const chain = chains.get(page) ?? new Set([page]);
      const nextPage = pageKey(new URL(nextLink));
      if (chain.has(nextPage)) throw new NextLinkLoop(nextLink);
      chain.add(nextPage);
      chains.set(nextPage, chain);
      return response;
    },
  };
}

/** A page, whatever api-version the SDK sets on its URL and in whichever order the query names things. */
function pageKey(url: URL): string {
  const params = new URLSearchParams(url.search);
  params.delete("api-version");
  params.sort();
  return `${url.origin}${url.pathname.toLowerCase()}?${params}`;
}
