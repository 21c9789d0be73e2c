import type { ConcreteNode } from "../../../syntax/index.js";
import type { Outcome } from "../../findings.js";
import type { ScriptContext } from "../context.js";
import { afterArguments, afterName, commandArguments, removeOption } from "./command.js";
import { readOptions, type OptionSpec } from "./options.js";
import type { ShellUrl } from "./plan.js";
import { isMetadataHeader, refusedHeaderRemovals } from "./wget.js";

// curl: a form (-d, --data…, --data-urlencode) stays where it is and -G sends it as the query of a GET;
// -X POST goes; the Metadata header stays or is added; --noproxy '*' keeps IMDS away from any proxy.

const CURL: OptionSpec = {
  shortWithValue: "AbcCdDeEFHKmoPQrtTuUwxXYyz",
  longWithValue: new Set([
    "--data",
    "--data-ascii",
    "--data-binary",
    "--data-raw",
    "--data-urlencode",
    "--request",
    "--header",
    "--form",
    "--form-string",
    "--json",
    "--noproxy",
    "--proxy",
    "--url",
    "--output",
    "--user",
    "--user-agent",
    "--referer",
    "--max-time",
    "--connect-timeout",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--write-out",
    "--cacert",
    "--cert",
    "--key",
    "--cookie",
    "--cookie-jar",
    "--upload-file",
    "--config",
    "--resolve",
    "--interface",
  ]),
  longEquals: false,
};
const FORM = new Set(["-d", "--data", "--data-ascii", "--data-binary", "--data-raw", "--data-urlencode"]);
const NOT_A_QUERY = new Set(["-F", "--form", "--form-string", "--json", "-T", "--upload-file"]);

export function planCurl(context: ScriptContext, command: ConcreteNode, url: ShellUrl): Outcome {
  const { text } = context;
  const review = (reason: string): Outcome => ({ kind: "review", client: "curl", reason });
  const { options, operands } = readOptions(text, commandArguments(command), CURL);
  const urls = [...operands, ...options.filter((o) => o.name === "--url").map((o) => o.valueNode)];
  if (!urls.includes(url.argument)) return review("the URL is not where curl reads it");
  if (urls.length > 1) return review("it fetches more than one URL");
  const edits = [...url.edits];
  const notes: string[] = [];
  const unreadable = options.find((o) => NOT_A_QUERY.has(o.name));
  if (unreadable) return review(`it sends ${unreadable.name}, which cannot become a query string`);
  if (options.some((o) => o.name === "-x" || o.name === "--proxy"))
    return review("it sets a proxy, and IMDS must be reached directly");
  for (const method of options.filter((o) => o.name === "-X" || o.name === "--request")) {
    const verb = method.value?.toUpperCase();
    if (verb === "POST") {
      edits.push(...removeOption(command, method));
      notes.push("POST becomes GET");
    } else if (verb !== "GET")
      return review(`IMDS answers GET only, and this sends ${method.value ?? "a method set at run time"}`);
  }
  const front: string[] = [];
  if (options.some((o) => FORM.has(o.name)) && !options.some((o) => o.name === "-G" || o.name === "--get")) {
    front.push("-G");
    notes.push("the form is sent as the query of a GET (-G)");
  }
  const back: string[] = [];
  const headers = options.filter((o) => o.name === "-H" || o.name === "--header");
  edits.push(...refusedHeaderRemovals(command, headers, notes));
  if (!headers.some((h) => h.value === undefined || isMetadataHeader(h.value))) {
    back.push("-H Metadata:true");
    notes.push("Metadata: true added");
  }
  if (!options.some((o) => o.name === "--noproxy")) {
    back.push("--noproxy '*'");
    notes.push("--noproxy '*' added: IMDS must not be reached through a proxy");
  }
  edits.push(...afterName(command, front), ...afterArguments(command, back));
  const { occurrence } = url;
  return { kind: "rewrite", client: "curl", host: occurrence.host, port: occurrence.port, edits, notes };
}
