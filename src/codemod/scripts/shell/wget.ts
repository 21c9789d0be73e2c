import type { TextEdit } from "../../../core/finding.js";
import { FORBIDDEN_IMDS_HEADER } from "../../../imds.js";
import type { ConcreteNode } from "../../../syntax/index.js";
import { FORM_CONTENT_TYPE_REMOVED, FORWARDED_FOR_REMOVED, type Outcome } from "../../findings.js";
import type { ScriptContext } from "../context.js";
import { afterArguments, beforeName, commandArguments, removeOption, setsForCommand } from "./command.js";
import { readOptions, type Option, type OptionSpec } from "./options.js";
import type { ShellUrl } from "./plan.js";
import { quoteWord } from "./words.js";

// wget: a --post-data form moves into the URL (wget has no -G), --method=POST goes, the Metadata header
// stays or is added, and an empty http_proxy for the command keeps IMDS away from the proxy wget reads from
// the environment: GNU and BusyBox wget both read that variable, where BusyBox's (Alpine's) has no
// --no-proxy and stops on it.

const WGET: OptionSpec = {
  shortWithValue: "aABDeiIlOoPQRtTUwXY",
  longWithValue: new Set([
    "--post-data",
    "--post-file",
    "--body-data",
    "--body-file",
    "--method",
    "--header",
    "--output-document",
    "--output-file",
    "--append-output",
    "--tries",
    "--timeout",
    "--wait",
    "--user",
    "--password",
    "--user-agent",
    "--referer",
    "--ca-certificate",
    "--certificate",
    "--private-key",
    "--execute",
    "--input-file",
    "--directory-prefix",
    "--load-cookies",
    "--save-cookies",
  ]),
  longEquals: true,
};
const NOT_A_QUERY = new Set(["--post-file", "--body-data", "--body-file"]);

/** The form's content type, which a GET without a body no longer sends (domain.md: drop it). */
function isFormContentType(header: string): boolean {
  return /^\s*content-type\s*:\s*application\/x-www-form-urlencoded\b/i.test(header);
}

/** A header IMDS refuses (domain.md: never add or forward it). */
export function isForwardedFor(header: string): boolean {
  return new RegExp(`^\\s*${FORBIDDEN_IMDS_HEADER}\\s*:`, "i").test(header);
}

export function isMetadataHeader(header: string): boolean {
  return /^\s*metadata\s*:\s*true\s*$/i.test(header);
}

/** Removes the form's Content-Type (a GET has no body) and X-Forwarded-For (IMDS refuses it), with notes. */
export function refusedHeaderRemovals(command: ConcreteNode, headers: readonly Option[], notes: string[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const header of headers) {
    if (header.value === undefined) continue;
    if (isFormContentType(header.value)) notes.push(FORM_CONTENT_TYPE_REMOVED);
    else if (isForwardedFor(header.value)) notes.push(FORWARDED_FOR_REMOVED);
    else continue;
    edits.push(...removeOption(command, header));
  }
  return edits;
}

export function planWget(context: ScriptContext, command: ConcreteNode, url: ShellUrl): Outcome {
  const { text } = context;
  const review = (reason: string): Outcome => ({ kind: "review", client: "wget", reason });
  const { options, operands } = readOptions(text, commandArguments(command), WGET);
  if (!operands.includes(url.argument)) return review("the URL is not where wget reads it");
  if (operands.length > 1) return review("it fetches more than one URL");
  const edits = [...url.edits];
  const notes: string[] = [];
  const unreadable = options.find((o) => NOT_A_QUERY.has(o.name));
  if (unreadable) return review(`it sends ${unreadable.name}, which msi2imds cannot move into the query`);
  for (const method of options.filter((o) => o.name === "--method")) {
    const verb = method.value?.toUpperCase();
    if (verb === "POST") edits.push(...removeOption(command, method));
    else if (verb !== "GET")
      return review(`IMDS answers GET only, and this sends ${method.value ?? "a method set at run time"}`);
  }
  const forms = options.filter((o) => o.name === "--post-data");
  if (forms.length > 1) return review("it sends more than one --post-data");
  const form = forms[0];
  if (form) {
    if (url.quoted === undefined || form.valueQuoted === undefined)
      return review("its URL or form cannot be joined into one word");
    // The joined word replaces the whole argument: an edit of the URL inside it gives way to it.
    const inside = (e: TextEdit) => e.start >= url.argument.start && e.end <= url.argument.end;
    const value = url.value !== undefined && form.value !== undefined ? `${url.value}&${form.value}` : undefined;
    const kept = edits.filter((e) => !inside(e));
    edits.length = 0;
    edits.push(
      ...kept,
      { start: url.argument.start, end: url.argument.end, text: quoteWord(value, `${url.quoted}&${form.valueQuoted}`) },
      ...removeOption(command, form),
    );
    notes.push("the --post-data form moves into the query of a GET");
  } else if (options.some((o) => o.name === "--method")) notes.push("POST becomes GET");
  const back: string[] = [];
  const headers = options.filter((o) => o.name === "--header");
  edits.push(...refusedHeaderRemovals(command, headers, notes));
  if (!headers.some((h) => h.value === undefined || isMetadataHeader(h.value))) {
    back.push("--header=Metadata:true");
    notes.push("Metadata: true added");
  }
  edits.push(...afterArguments(command, back));
  const proxyOff = options.some(
    (o) => o.name === "--no-proxy" || ((o.name === "--proxy" || o.name === "-Y") && o.value === "off"),
  );
  if (!proxyOff && !setsForCommand(text, command, "http_proxy")) {
    edits.push(beforeName(command, "http_proxy="));
    notes.push("http_proxy= set for wget: IMDS must not be reached through a proxy");
  }
  const { occurrence } = url;
  return { kind: "rewrite", client: "wget", host: occurrence.host, port: occurrence.port, edits, notes };
}
