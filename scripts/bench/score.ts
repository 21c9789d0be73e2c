import type { PlantedSite } from "./corpus.js";
import type { Hit } from "./tools.js";

// Compares what a tool reported with what was planted: a planted site is found when a report touches
// any of its lines (or names its file, for tools that only list files); a report touching no planted
// site is extra (a false positive on a decoy, or a real use in the copied tree).

export interface Score {
  /** Distinct places reported (files for file-level tools). */
  hits: number;
  expected: number;
  found: number;
  missed: PlantedSite[];
  extra: Hit[];
}

export function scoreHits(reported: readonly Hit[], sites: readonly PlantedSite[]): Score {
  const hits = distinct(reported);
  const touches = (hit: Hit, site: PlantedSite) =>
    hit.path === site.path &&
    (hit.line === undefined || (hit.line <= site.endLine && (hit.endLine ?? hit.line) >= site.line));
  const missed = sites.filter((site) => !hits.some((hit) => touches(hit, site)));
  const extra = hits.filter((hit) => !sites.some((site) => touches(hit, site)));
  return { hits: hits.length, expected: sites.length, found: sites.length - missed.length, missed, extra };
}

function distinct(hits: readonly Hit[]): Hit[] {
  const byKey = new Map<string, Hit>();
  for (const hit of hits) byKey.set(`${hit.path}:${hit.line ?? ""}`, hit);
  return [...byKey.values()];
}
