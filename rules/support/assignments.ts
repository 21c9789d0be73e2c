// A tolerant structural scan for ARM JSON (with comments), Bicep, Terraform, jsonnet and PowerShell
// hashtables (braces) and for YAML (indentation): every `key: "value"` / `key = 'value'` pair, and every key
// set to a name instead (`type: extType`, `type = var.type`, `$type`), tagged with the object it belongs to.
// Enough to tell an extension's publisher and type apart from the rest of a template without a full parser
// per language.

export interface Assignment {
  /** Lower-cased, quotes removed. */
  key: string;
  /** The string, quotes removed; for a value that is a name, the name; else (a number, an object) empty. */
  value: string;
  /** Set to a name or expression, not a string: its value is known only when it is deployed. */
  named?: boolean;
  /** Offsets of the value, quotes included. */
  start: number;
  end: number;
  /** Id of the innermost enclosing {…} / […] (0 = top level). */
  container: number;
}

export interface Syntax {
  lineComments: readonly string[];
  blockComments: boolean;
  singleQuotes: boolean;
  /** Terraform heredocs (<<EOT … EOT) and Bicep '''…''' strings. */
  multilineStrings: boolean;
}

/** `variable`: `$name` (PowerShell, a shell), a value that is a name, never a key: `$Publisher = …` sets a variable. */
type Token = { kind: "key" | "variable" | "string" | "assign" | "other"; text: string; start: number; end: number };

/** Words that are values, not names. */
const LITERAL_WORDS = new Set(["true", "false", "null", "True", "False", "None", "$true", "$false", "$null"]);

export function scanAssignments(text: string, syntax: Syntax): Assignment[] {
  const assignments: Assignment[] = [];
  const stack: number[] = [0];
  let nextContainer = 1;
  let previous: Token | undefined;
  let beforePrevious: Token | undefined;
  let keyContainer = 0;
  const push = (token: Token) => {
    const named =
      ((token.kind === "key" || token.kind === "variable") && !LITERAL_WORDS.has(token.text)) || token.text === "$";
    if (
      token.kind !== "assign" &&
      previous?.kind === "assign" &&
      beforePrevious &&
      (beforePrevious.kind === "key" || beforePrevious.kind === "string")
    ) {
      assignments.push({
        key: beforePrevious.text.toLowerCase(),
        // A number, a literal word or an object is no string or name: only its key tells (`settings = {`).
        value: token.kind === "string" || named ? token.text : "",
        ...(named ? { named } : {}),
        start: token.start,
        end: token.end,
        container: keyContainer,
      });
    }
    if (token.kind === "key" || token.kind === "string") keyContainer = stack.at(-1)!;
    beforePrevious = previous;
    previous = token;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    const lineComment = syntax.lineComments.find((p) => text.startsWith(p, i));
    if (lineComment) {
      i = endOf(text, "\n", i);
      continue;
    }
    if (syntax.blockComments && text.startsWith("/*", i)) {
      i = endOf(text, "*/", i + 2) + 2;
      continue;
    }
    if (syntax.multilineStrings && text.startsWith("'''", i)) {
      const end = endOf(text, "'''", i + 3);
      push({ kind: "string", text: text.slice(i + 3, end), start: i, end: end + 3 });
      i = end + 3;
      continue;
    }
    const heredoc = syntax.multilineStrings ? /^<<-?\s*([A-Za-z_]\w*)/.exec(text.slice(i, i + 80)) : null;
    if (heredoc) {
      const close = new RegExp(`\\n[ \\t]*${heredoc[1]}[ \\t]*(?:\\r?\\n|$)`).exec(text.slice(i));
      const end = close ? i + close.index + close[0].length : text.length;
      push({ kind: "other", text: "", start: i, end });
      i = end;
      continue;
    }
    if (c === '"' || (c === "'" && syntax.singleQuotes)) {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" && c === '"' ? 2 : 1;
      push({ kind: "string", text: text.slice(i + 1, j), start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === "{" || c === "[") {
      stack.push(nextContainer++);
      push({ kind: "other", text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === "}" || c === "]") {
      if (stack.length > 1) stack.pop();
      push({ kind: "other", text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    // `=>` sets a key too (Puppet, Ruby-style hashes in settings: `'publisher' => '…'`).
    if (c === "=" && text[i + 1] === ">") {
      push({ kind: "assign", text: "=>", start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if ((c === ":" || c === "=") && text[i + 1] !== "=" && text[i + 1] !== ">" && text[i + 1] !== ":") {
      push({ kind: "assign", text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    const variable = c === "$" ? /^\$\{?[A-Za-z_][\w:]*\}?/.exec(text.slice(i, i + 100)) : null;
    if (variable) {
      push({ kind: "variable", text: variable[0], start: i, end: i + variable[0].length });
      i += variable[0].length;
      continue;
    }
    const word = /^[A-Za-z_][\w-]*/.exec(text.slice(i, i + 100));
    if (word) {
      push({ kind: "key", text: word[0], start: i, end: i + word[0].length });
      i += word[0].length;
      continue;
    }
    push({ kind: "other", text: c, start: i, end: i + 1 });
    i++;
  }
  return assignments;
}

const YAML_KEY_LINE = /^( *)((?:- +)*)("[^"]*"|'[^']*'|[A-Za-z_$][\w$.-]*) *:(?: +(.*))?$/;
const BLOCK_SCALAR = /^[|>][-+0-9]*$/;

/**
 * The same for YAML (Ansible tasks, Pulumi YAML, Kubernetes-style manifests): a mapping is the keys at one
 * indentation under one parent, and each `- ` item starts one. Block scalars (`|`, `>`) are skipped: a
 * script in them is no mapping. Flow mappings (`{a: 1}`) are not read.
 */
export function scanYamlAssignments(text: string): Assignment[] {
  const assignments: Assignment[] = [];
  /** Open mappings, innermost last: the column of their keys and their id. */
  const open: { column: number; id: number }[] = [{ column: 0, id: 0 }];
  let nextContainer = 1;
  let blockIndent = -1;
  let offset = 0;
  for (const line of text.split("\n")) {
    const lineStart = offset;
    offset += line.length + 1;
    const content = line.endsWith("\r") ? line.slice(0, -1) : line;
    const indent = /^ */.exec(content)![0].length;
    if (blockIndent >= 0) {
      if (indent > blockIndent || content.trim() === "") continue;
      blockIndent = -1;
    }
    const m = YAML_KEY_LINE.exec(content);
    if (!m) continue;
    const [, spaces, dashes, rawKey, rawValue = ""] = m;
    const column = spaces!.length + dashes!.length;
    while (open.length > 1 && open.at(-1)!.column > column) open.pop();
    if (dashes || open.at(-1)!.column < column) {
      if (dashes && open.at(-1)!.column === column) open.pop();
      open.push({ column, id: nextContainer++ });
    }
    const value = rawValue.replace(/ +#.*$/, "").trim();
    if (BLOCK_SCALAR.test(value)) {
      blockIndent = column;
      continue;
    }
    if (value === "") {
      // A key over a nested mapping (`settings:`): it tells what the mapping it is set in is.
      const keyStart = lineStart + column;
      const key = rawKey!.replace(/^["']|["']$/g, "").toLowerCase();
      assignments.push({ key, value: "", start: keyStart, end: keyStart, container: open.at(-1)!.id });
      continue;
    }
    const quoted = /^(["'])(.*)\1$/.exec(value);
    const valueStart = lineStart + content.indexOf(value, column + rawKey!.length);
    assignments.push({
      key: rawKey!.replace(/^["']|["']$/g, "").toLowerCase(),
      value: quoted ? quoted[2]! : value,
      ...(/\{\{|\$\{/.test(value) ? { named: true } : {}),
      start: valueStart,
      end: valueStart + value.length,
      container: open.at(-1)!.id,
    });
  }
  return assignments;
}

/** Assignments grouped by the object they belong to. */
export function byContainer(assignments: readonly Assignment[]): Map<number, Assignment[]> {
  const groups = new Map<number, Assignment[]>();
  for (const a of assignments) groups.set(a.container, [...(groups.get(a.container) ?? []), a]);
  return groups;
}

function endOf(text: string, marker: string, from: number): number {
  const at = text.indexOf(marker, from);
  return at === -1 ? text.length : at;
}
