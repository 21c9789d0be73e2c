import { ts } from "../ts.js";
import type { TextEdit } from "../../core/finding.js";
import { boundBefore, lookup } from "../scope.js";
import { formQueryText } from "./form.js";
import { statementRemoval } from "../edit-helpers.js";

// A node:http POST writes its form to the request stream: `req.write(body); req.end()` or `req.end(body)`, on
// the request the call returns. Found, the form can move into the query and the write go; anything else done
// with the stream (piped to, handed on, written twice) leaves the call to a person.

export type StreamedForm = { query: string; removal: TextEdit } | { review: string };

export function streamedForm(call: ts.CallExpression): StreamedForm {
  const writes = bodyWrites(call);
  if ("review" in writes) return writes;
  if (writes.length !== 1)
    return {
      review:
        writes.length === 0
          ? "it sends POST and msi2imds cannot find where the form is written to the request"
          : `it writes its body in ${writes.length} calls; move the form into the query and send GET by hand`,
    };
  const [write] = writes as [ts.CallExpression];
  const body = write.arguments[0]!;
  // The form moves to where the request is made: everything it reads must exist there already.
  const sentAt = call.getStart();
  const query = boundBefore(body, sentAt) ? formQueryText(body, sentAt) : undefined;
  if (!query)
    return {
      review: `its form body (${body.getText()}) has a shape msi2imds cannot move into the query of the request`,
    };
  const removal = removalOf(write);
  if (!removal) return { review: `its body is written where msi2imds cannot take the write away (${write.getText()})` };
  return { query, removal };
}

/** The `.write(x)` / `.end(x)` calls with an argument made on the request `call` returns. */
function bodyWrites(call: ts.CallExpression): ts.CallExpression[] | { review: string } {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const chained = writeCall(node);
  if (chained !== undefined) return chained ? [chained] : [];
  const declaration = node.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== node || !ts.isIdentifier(declaration.name))
    return { review: "it sends POST on a request msi2imds cannot follow to where its form is written" };
  const name = declaration.name.text;
  const writes: ts.CallExpression[] = [];
  let handedOn: ts.Node | undefined;
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child) && child.text === name && child !== declaration.name) {
      const binding = lookup(name, child);
      if (binding && "declaration" in binding && binding.declaration === declaration) {
        const write = writeCall(child);
        if (write) writes.push(write);
        else if (write === undefined) handedOn ??= child;
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(declaration.parent.parent.parent);
  if (handedOn) {
    const line = handedOn.getSourceFile().getLineAndCharacterOfPosition(handedOn.getStart()).line + 1;
    return { review: `its request stream is used on line ${line} in a way msi2imds does not follow` };
  }
  return writes;
}

/**
 * For a use of the request: the `.write(x)`/`.end(x)` call it makes, null for any other member use
 * (`req.on(…)`, `req.end()`), undefined when the request itself is handed on.
 */
function writeCall(use: ts.Node): ts.CallExpression | null | undefined {
  const access = use.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== use) return undefined;
  const member = access.name.text;
  const invoked = ts.isCallExpression(access.parent) && access.parent.expression === access ? access.parent : undefined;
  if ((member === "write" || member === "end") && invoked && invoked.arguments.length > 0) {
    return member === "end" && invoked.arguments.length > 1 ? undefined : invoked;
  }
  // Piping into the request sends a body too.
  return member === "pipe" ? undefined : null;
}

/** `req.write(body);` goes as a statement (with its line when it has one to itself); `req.end(body)` becomes `req.end()`. */
function removalOf(write: ts.CallExpression): TextEdit | undefined {
  const member = (write.expression as ts.PropertyAccessExpression).name.text;
  if (member === "end") {
    const [body] = write.arguments;
    return { start: body!.getStart(), end: body!.end, text: "" };
  }
  // write() without its chunk would throw: only a statement of its own can go.
  const statement = write.parent;
  return ts.isExpressionStatement(statement) ? statementRemoval(statement) : undefined;
}
