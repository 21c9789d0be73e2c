import type { Language } from "../core/language.js";
import type { NodeKind, SyntaxNode, SyntaxTree } from "../core/syntax-tree.js";

// The queries every tree answers, over the nodes a parser or lexer kept.

/** Makes the tree's queries over nodes given in document order, parents before children. */
export function syntaxTree(language: Language, text: string, nodes: SyntaxNode[], errors: number): SyntaxTree {
  const byKind = new Map<NodeKind, SyntaxNode[]>();
  for (const node of nodes) {
    const list = byKind.get(node.kind);
    if (list) list.push(node);
    else byKind.set(node.kind, [node]);
  }
  return {
    language,
    text,
    nodes,
    errors,
    enclosing(start, end = start, kinds) {
      const wanted = kinds === undefined ? undefined : typeof kinds === "string" ? [kinds] : kinds;
      // The last node starting at or before `start` is the innermost that can hold it; every node that
      // holds it is that node or one of its parents.
      for (let node = lastStartingAtOrBefore(nodes, start); node; node = node.parent) {
        if (node.start <= start && end <= node.end && (start < node.end || start === node.start))
          if (!wanted || wanted.includes(node.kind)) return node;
      }
      return undefined;
    },
    ofKind: (kind) => byKind.get(kind) ?? [],
    textOf: (node) => text.slice(node.start, node.end),
  };
}

function lastStartingAtOrBefore(nodes: readonly SyntaxNode[], offset: number): SyntaxNode | undefined {
  let lo = 0;
  let hi = nodes.length - 1;
  let found: SyntaxNode | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const node = nodes[mid]!;
    if (node.start <= offset) {
      found = node;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
