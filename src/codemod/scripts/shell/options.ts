import type { ConcreteNode } from "../../../syntax/index.js";
import { namedChildren, textOf } from "../nodes.js";
import { doubleQuotedText, staticValue } from "./words.js";

// A command's arguments read as getopt does: short options clustered (`-sSX POST`, `-XPOST`), long ones
// with their value in the next argument or after "=", and what is left: operands (the URLs).

export interface OptionSpec {
  /** Short options that take a value. */
  shortWithValue: string;
  /** Long options that take a value. */
  longWithValue: ReadonlySet<string>;
  /** `--name=value` is accepted (wget), not only `--name value` (curl). */
  longEquals: boolean;
}

export interface Option {
  /** `-X` or `--request`. */
  name: string;
  /** The argument the option is written in. */
  node: ConcreteNode;
  /** The argument holding its value when that is the next one. */
  valueNode?: ConcreteNode;
  /** Its value when fixed in the text (undefined when it expands, or there is none). */
  value?: string;
  /** Its value as text for inside double quotes (expansions kept), when it can be written there. */
  valueQuoted?: string;
  /** It shares its argument with other short options (`-sX`), at this index of the argument's text. */
  clusterIndex?: number;
}

export interface ReadOptions {
  options: Option[];
  operands: ConcreteNode[];
}

export function readOptions(text: string, args: readonly ConcreteNode[], spec: OptionSpec): ReadOptions {
  const options: Option[] = [];
  const operands: ConcreteNode[] = [];
  for (let i = 0; i < args.length; i++) {
    const node = args[i]!;
    const word = staticValue(text, node);
    const next = () => {
      const valueNode = args[++i];
      return {
        valueNode,
        value: valueNode && staticValue(text, valueNode),
        valueQuoted: valueNode && doubleQuotedText(text, valueNode),
      };
    };
    const long = word === undefined && spec.longEquals ? expandingLongOption(text, node) : undefined;
    if (long) {
      options.push({ name: long.name, node, valueQuoted: long.valueQuoted });
    } else if (word === undefined || word === "-" || !word.startsWith("-")) {
      operands.push(node);
    } else if (word === "--") {
      operands.push(...args.slice(i + 1));
      break;
    } else if (word.startsWith("--")) {
      const equals = spec.longEquals ? word.indexOf("=") : -1;
      const name = equals === -1 ? word : word.slice(0, equals);
      const value = word.slice(equals + 1);
      if (equals !== -1)
        options.push({ name, node, value, valueQuoted: doubleQuotedText(text, node)?.slice(equals + 1) });
      else if (spec.longWithValue.has(name)) options.push({ name, node, ...next() });
      else options.push({ name, node });
    } else {
      for (let j = 1; j < word.length; j++) {
        const name = `-${word[j]}`;
        const clusterIndex = word.length > 2 ? j : undefined;
        if (!spec.shortWithValue.includes(word[j]!)) {
          options.push({ name, node, clusterIndex });
          continue;
        }
        const rest = word.slice(j + 1);
        options.push(
          rest !== ""
            ? { name, node, value: rest, valueQuoted: doubleQuotedText(text, node)?.slice(j + 1), clusterIndex }
            : { name, node, clusterIndex, ...next() },
        );
        break;
      }
    }
  }
  return { options, operands };
}

/** `--post-data="resource=$R"`: a long option whose value after "=" expands. */
function expandingLongOption(text: string, node: ConcreteNode): { name: string; valueQuoted?: string } | undefined {
  const first = node.type === "concatenation" ? namedChildren(node)[0] : undefined;
  const head = first?.type === "word" ? textOf(text, first) : "";
  const equals = head.indexOf("=");
  if (!head.startsWith("--") || equals === -1) return undefined;
  const quoted = doubleQuotedText(text, node);
  return { name: head.slice(0, equals), valueQuoted: quoted?.slice(equals + 1) };
}
