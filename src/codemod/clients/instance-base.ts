import type { ts } from "../ts.js";
import type { TextEdit } from "../../core/finding.js";
import { IMDS_ORIGIN } from "../../imds.js";
import { flatten } from "../evaluate.js";
import { findProperty, propertyValue } from "../edit-helpers.js";
import { isExported } from "../scope.js";
import type { UrlSettings } from "../url.js";
import type { Instance } from "./callee.js";

// An axios instance's baseURL or a got instance's prefixUrl that points at the extension: its origin becomes
// IMDS's where it is written, and each call made on the instance keeps its relative path, rewritten to IMDS's.

export type BasePlan =
  | { kind: "none" }
  | { kind: "review"; reason: string; literals: ts.Node[] }
  | {
      kind: "rewrite";
      host: string;
      port: number;
      edits: TextEdit[];
      literals: ts.Node[];
      constants: readonly ts.Node[];
      /** The instance's default headers, where Metadata: true may already be. */
      headers: ts.Expression | undefined;
    };

const BASE_OPTIONS = ["baseURL", "prefixUrl"];
const EXTENSION_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1):(\d{1,5})(?=\/?$)/i;

export function planInstanceBase(instance: Instance, settings: UrlSettings): BasePlan {
  const option = BASE_OPTIONS.map((name) => findProperty(instance.config, name)).find((p) => p !== undefined);
  if (!option) return { kind: "none" };
  const segments = flatten(propertyValue(option));
  const literals = segments.flatMap((s) => (s.kind === "text" ? [s.node] : []));
  const [only] = segments;
  const flat = segments.map((s) => (s.kind === "text" ? s.value : "\u0000")).join("");
  const match = EXTENSION_ORIGIN.exec(flat);
  if (!match) return { kind: "none" };
  const port = Number(match[2]);
  if (!settings.ports.includes(port)) return { kind: "none" };
  const name = option.name.getText();
  if (segments.length !== 1 || only?.kind !== "text" || !only.exact)
    return { kind: "review", reason: `its ${name} is written in pieces msi2imds does not rewrite`, literals };
  if (isExported(instance.declaration))
    return {
      kind: "review",
      reason: `its client ${instance.declaration.name.getText()} is exported, so other modules call it too`,
      literals,
    };
  const headers = findProperty(instance.config, "headers");
  return {
    kind: "rewrite",
    host: match[1]!.toLowerCase(),
    port,
    edits: [{ start: only.start, end: only.start + match[0].length, text: IMDS_ORIGIN }],
    literals,
    constants: only.via,
    headers: headers ? propertyValue(headers) : undefined,
  };
}
