import type { SyntaxNode, SyntaxTree } from "../../src/core/syntax-tree.js";

// A value bound to a name (`const X = "…"`, `String X = "…"`, `X string = "…"`, `X = "…"`, Go's `x := …` and
// `u, err := …`) and where that name is used again in the same file: enough to follow a constant into the call
// that uses it.

/** The names a value is bound to: the last two words before `=` (Java puts the type first, Go last). */
const BINDING =
  /\b([A-Za-z_]\w*)(?:[ \t]+([A-Za-z_]\w*))?(?:[ \t]*,[ \t]*[A-Za-z_]\w*)?[ \t]*(?::[ \t]*[\w.<>[\]]+[ \t]*)?:?(?<![=!<>])=\s*$/;
const BEFORE = 80;

/** The names the value starting at `offset` is bound to (none when it is not a binding's value). */
export function boundNames(text: string, offset: number): string[] {
  const m = BINDING.exec(text.slice(Math.max(0, offset - BEFORE), offset));
  return m ? [m[1]!, m[2]].filter((name): name is string => name !== undefined) : [];
}

/**
 * Where `name` is used outside comments and strings, as offsets of its first character. `x.name` is another
 * object's member of that name (`c.imdsEndpoint`, `self.url`), not a use.
 */
export function usesOf(tree: SyntaxTree, name: string): number[] {
  return [...tree.text.matchAll(new RegExp(`(?<!\\.\\s*)\\b${name}\\b`, "g"))]
    .map((m) => m.index)
    .filter((at) => !tree.enclosing(at, at, ["comment", "string"]) || interpolated(tree, at));
}

/** Inside a string but in an interpolation (`f"{IMDS}?…"`, `${IMDS}`): a use, not text. */
function interpolated(tree: SyntaxTree, at: number): boolean {
  const node: SyntaxNode | undefined = tree.enclosing(at, at, "string");
  if (!node) return false;
  const before = tree.text.slice(node.start, at);
  return /\$\{[^}]*$|\{[^}]*$|#\{[^}]*$/.test(before);
}
