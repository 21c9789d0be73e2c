import { ts } from "./ts.js";
import type { TextEdit } from "../core/finding.js";
import { propertyName } from "./evaluate.js";

// Text edits on the smallest nodes, written the way the file already writes things: its quotes, its
// line endings and the indentation of the neighbouring property.

export type Property = ts.PropertyAssignment | ts.ShorthandPropertyAssignment;

export function findProperty(object: ts.ObjectLiteralExpression, name: string): Property | undefined {
  const wanted = name.toLowerCase();
  for (const property of object.properties) {
    if (
      (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) &&
      propertyName(property.name)?.toLowerCase() === wanted
    ) {
      return property;
    }
  }
  return undefined;
}

/** The value of `name: value` or of the shorthand `name`. */
export function propertyValue(property: Property): ts.Expression {
  return ts.isPropertyAssignment(property) ? property.initializer : property.name;
}

export function replaceNode(node: ts.Node, text: string): TextEdit {
  return { start: node.getStart(), end: node.end, text };
}

/** Removes a property with the separator that belongs to it, leaving the others' layout as it was. */
export function removeProperty(object: ts.ObjectLiteralExpression, property: ts.ObjectLiteralElementLike): TextEdit[] {
  return removeProperties(object, [property]);
}

/** Removes several properties of one object; neighbours are removed as one run so no two edits overlap. */
export function removeProperties(
  object: ts.ObjectLiteralExpression,
  removed: readonly ts.ObjectLiteralElementLike[],
): TextEdit[] {
  const properties = object.properties;
  const gone = new Set(removed);
  const edits: TextEdit[] = [];
  for (let i = 0; i < properties.length; i++) {
    if (!gone.has(properties[i]!)) continue;
    let last = i;
    while (last + 1 < properties.length && gone.has(properties[last + 1]!)) last++;
    const first = properties[i]!;
    const end = properties[last]!;
    const following = properties[last + 1];
    const preceding = properties[i - 1];
    // Up to the next property, a comment after it goes too; the last ones go with their lines where they
    // have lines of their own, so that a comment after them does not stay behind on the line before.
    const lines = following ? undefined : ownLines(object.getSourceFile().text, first.getStart(), end.end);
    if (following) edits.push({ start: first.getStart(), end: following.getStart(), text: "" });
    else if (lines && preceding) {
      edits.push({ start: lines.start, end: lines.end, text: "" });
      // The property left last keeps or loses its comma as the removed one had it.
      if (!properties.hasTrailingComma) {
        const comma = object.getSourceFile().text.indexOf(",", preceding.end);
        edits.push({ start: comma, end: comma + 1, text: "" });
      }
    } else if (preceding) edits.push({ start: preceding.end, end: end.end, text: "" });
    else
      edits.push({
        start: first.getStart(),
        end: properties.hasTrailingComma ? skipComma(object, end.end) : end.end,
        text: "",
      });
    i = last;
  }
  return edits;
}

/**
 * The lines from `start` to `end` when nothing else is on them but a comma and a comment after `end`: from
 * the first line's start to past the last one's line break.
 */
export function ownLines(text: string, start: number, end: number): { start: number; end: number } | undefined {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== "") return undefined;
  const rest = /^[ \t]*,?[ \t]*(?:\/\/[^\n]*|\/\*(?:(?!\*\/)[^\n])*\*\/[ \t]*)?\r?\n/.exec(text.slice(end));
  return rest ? { start: lineStart, end: end + rest[0].length } : undefined;
}

function skipComma(object: ts.ObjectLiteralExpression, offset: number): number {
  const text = object.getSourceFile().text;
  const comma = text.indexOf(",", offset);
  return comma === -1 ? offset : comma + 1;
}

/** Adds `propertyText` as the first property, on its own line when the object is laid out that way. */
/** Puts properties before the first one, each on a line of its own where the object writes them so. */
export function insertFirstProperty(
  object: ts.ObjectLiteralExpression,
  propertyText: string | readonly string[],
): TextEdit {
  const properties = typeof propertyText === "string" ? [propertyText] : propertyText;
  const text = object.getSourceFile().text;
  const first = object.properties[0];
  const open = object.getStart() + 1;
  if (!first) return { start: open, end: object.end - 1, text: ` ${properties.join(", ")} ` };
  const firstStart = first.getStart();
  const leading = text.slice(open, firstStart);
  const newline = leading.lastIndexOf("\n");
  const separator = newline === -1 ? ", " : `,${leading.slice(newline - (leading[newline - 1] === "\r" ? 1 : 0))}`;
  return { start: firstStart, end: firstStart, text: properties.map((property) => `${property}${separator}`).join("") };
}

export function renameProperty(property: Property, name: string): TextEdit {
  return replaceNode(property.name, name);
}

/** Adds an argument after the last one. */
export function appendArgument(call: ts.CallExpression | ts.NewExpression, argumentText: string): TextEdit {
  const args = call.arguments ?? ts.factory.createNodeArray();
  const last = args[args.length - 1];
  if (last) return { start: last.end, end: last.end, text: `, ${argumentText}` };
  return { start: args.pos, end: args.pos, text: argumentText };
}

/** A string literal in the file's own quote style (the value must need no escaping). */
export function quoted(value: string, quote: string): string {
  return `${quote}${value}${quote}`;
}

/** The object literal an expression is, directly or through a file-local constant. */
export function objectLiteralOf(
  expression: ts.Expression | undefined,
  resolve: (e: ts.Expression) => ts.Expression | undefined,
): ts.ObjectLiteralExpression | undefined {
  let current = expression;
  for (let depth = 0; current && depth < 5; depth++) {
    while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current))
      current = current.expression;
    if (ts.isObjectLiteralExpression(current)) return current;
    current = resolve(current);
  }
  return undefined;
}

export function stringValue(expression: ts.Expression | undefined): string | undefined {
  return expression && (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression))
    ? expression.text
    : undefined;
}

/** Removes a statement, with its line when it has the line to itself. */
/**
 * Removals of whole lines, joined where they touch; a run of lines that stood alone between blank lines
 * takes one of them with it, so that the code around it is spaced as before rather than by two blank lines.
 */
export function tidiedRemovals(text: string, removals: readonly TextEdit[]): TextEdit[] {
  const joined: TextEdit[] = [];
  for (const edit of [...removals].sort((a, b) => a.start - b.start)) {
    const last = joined.at(-1);
    if (last && last.end === edit.start) joined[joined.length - 1] = { ...last, end: edit.end };
    else joined.push({ ...edit });
  }
  return joined.map((edit) => {
    const wholeLines = (edit.start === 0 || text[edit.start - 1] === "\n") && text[edit.end - 1] === "\n";
    const previousLine = text.slice(text.lastIndexOf("\n", edit.start - 2) + 1, edit.start);
    const blankBefore = edit.start === 0 || /^[ \t]*\r?\n$/.test(previousLine);
    const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(edit.end, edit.end + 200));
    return wholeLines && blankBefore && blankAfter ? { ...edit, end: edit.end + blankAfter[0].length } : edit;
  });
}

export function statementRemoval(statement: ts.Statement): TextEdit {
  const text = statement.getSourceFile().text;
  const start = statement.getStart();
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const after = /^[ \t]*(\r?\n|$)/.exec(text.slice(statement.end));
  if (after && /^[ \t]*$/.test(text.slice(lineStart, start)))
    return { start: lineStart, end: statement.end + after[0].length, text: "" };
  const spaces = /^[ \t]*/.exec(text.slice(statement.end))![0].length;
  return { start, end: statement.end + spaces, text: "" };
}
