import type { ConcreteNode } from "../../syntax/index.js";

// Small questions asked of a concrete syntax tree (src/syntax/concrete.ts) by every script rewrite.

export function textOf(text: string, node: ConcreteNode): string {
  return text.slice(node.start, node.end);
}

export function namedChildren(node: ConcreteNode): ConcreteNode[] {
  return node.children.filter((child) => child.named);
}

export function fieldOf(node: ConcreteNode, field: string): ConcreteNode | undefined {
  return node.children.find((child) => child.field === field);
}

export function childOfType(node: ConcreteNode, type: string): ConcreteNode | undefined {
  return node.children.find((child) => child.type === type);
}

/** Every node under `root` (itself included) in document order, without recursion. */
export function* descendants(root: ConcreteNode): Generator<ConcreteNode> {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

/** The innermost node holding [start, end) that `accept` takes, or undefined. */
export function innermost(
  root: ConcreteNode,
  start: number,
  end: number,
  accept: (node: ConcreteNode) => boolean,
): ConcreteNode | undefined {
  let found: ConcreteNode | undefined;
  let node: ConcreteNode | undefined = root;
  while (node) {
    if (accept(node)) found = node;
    node = node.children.find((child) => child.start <= start && end <= child.end);
  }
  return found;
}

/** The nearest ancestor (not the node itself) that `accept` takes. */
export function ancestor(node: ConcreteNode, accept: (node: ConcreteNode) => boolean): ConcreteNode | undefined {
  for (let up = node.parent; up; up = up.parent) if (accept(up)) return up;
  return undefined;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The spaces or tabs a line starts with. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
