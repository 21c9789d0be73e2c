import { ts } from "./ts.js";

// Just enough scope resolution for constant evaluation without a type checker: a name is looked up in
// the statements of each enclosing block and in the parameters of each enclosing function. A `let` or `var`
// that nothing in its file ever assigns again is a constant too, as old Node code writes its constants.

export type Binding =
  | { kind: "const"; declaration: ts.VariableDeclaration; initializer: ts.Expression | undefined }
  | { kind: "variable"; declaration: ts.VariableDeclaration }
  | { kind: "parameter"; declaration: ts.ParameterDeclaration }
  | { kind: "import"; module: string /** "default", "*" or the exported name */; imported: string }
  | { kind: "class"; declaration: ts.ClassDeclaration }
  | { kind: "function"; declaration: ts.FunctionDeclaration };

export function lookup(name: string, from: ts.Node): Binding | undefined {
  for (let node: ts.Node | undefined = from.parent; node; node = node.parent) {
    const binding = bindingsOf(node)?.get(name);
    if (binding) return binding;
  }
  return undefined;
}

/**
 * The names a scope binds, indexed once per scope: a lookup costs one map read per enclosing scope, not a
 * walk over its statements (a minified bundle has tens of thousands, and as many names to look up).
 */
const scopes = new WeakMap<ts.Node, ReadonlyMap<string, Binding> | null>();

function bindingsOf(node: ts.Node): ReadonlyMap<string, Binding> | undefined {
  let bindings = scopes.get(node);
  if (bindings === undefined) {
    bindings = indexScope(node);
    scopes.set(node, bindings);
  }
  return bindings ?? undefined;
}

/** A function's parameters, or a block's statements; the first binding of a name wins, as in a walk. */
function indexScope(node: ts.Node): Map<string, Binding> | null {
  const bindings = new Map<string, Binding>();
  const bind = (name: string, binding: Binding) => {
    if (!bindings.has(name)) bindings.set(name, binding);
  };
  if (ts.isFunctionLike(node)) {
    for (const parameter of node.parameters) {
      for (const name of boundNames(parameter.name)) bind(name, { kind: "parameter", declaration: parameter });
    }
    return bindings;
  }
  const statements = statementsOf(node);
  if (!statements) return null;
  for (const statement of statements) indexStatement(statement, bind);
  return bindings;
}

/** `=` and every compound assignment (`+=`, `??=`, `<<=` …): TypeScript numbers them as one range. */
const isAssignment = (kind: number) => kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;

/**
 * Every name the file assigns after its declaration (`x = …`, `x += …`, `x++`, `[x] = …`, `for (x of …)`), and
 * every name declared by more than one `let`/`var`: read once per file, by name, whatever the scope (a name
 * written anywhere is not taken for a constant anywhere).
 */
const written = new WeakMap<ts.SourceFile, Set<string>>();

function writtenNames(node: ts.Node): Set<string> {
  const file = node.getSourceFile();
  let names = written.get(file);
  if (names) return names;
  const found = new Set<string>();
  const declared = new Set<string>();
  const targets = (target: ts.Node): void => {
    if (ts.isIdentifier(target)) found.add(target.text);
    else if (ts.isParenthesizedExpression(target)) targets(target.expression);
    else if (ts.isArrayLiteralExpression(target) || ts.isObjectLiteralExpression(target))
      ts.forEachChild(target, (child) => {
        if (ts.isShorthandPropertyAssignment(child)) found.add(child.name.text);
        else if (ts.isPropertyAssignment(child)) targets(child.initializer);
        else if (ts.isSpreadElement(child) || ts.isSpreadAssignment(child)) targets(child.expression);
        else targets(child);
      });
    else if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      targets(target.left); // a default in a destructuring
  };
  const visit = (child: ts.Node): void => {
    if (ts.isBinaryExpression(child) && isAssignment(child.operatorToken.kind)) targets(child.left);
    else if (
      (ts.isPrefixUnaryExpression(child) || ts.isPostfixUnaryExpression(child)) &&
      (child.operator === ts.SyntaxKind.PlusPlusToken || child.operator === ts.SyntaxKind.MinusMinusToken)
    )
      targets(child.operand);
    else if (
      (ts.isForOfStatement(child) || ts.isForInStatement(child)) &&
      !ts.isVariableDeclarationList(child.initializer)
    )
      targets(child.initializer);
    else if (ts.isVariableDeclaration(child) && ts.isIdentifier(child.name)) {
      const constant = (child.parent.flags & ts.NodeFlags.Const) !== 0;
      if (!constant && declared.has(child.name.text)) found.add(child.name.text);
      if (!constant) declared.add(child.name.text);
    }
    ts.forEachChild(child, visit);
  };
  visit(file);
  names = found;
  written.set(file, names);
  return names;
}

function statementsOf(node: ts.Node): readonly ts.Statement[] | undefined {
  if (
    ts.isSourceFile(node) ||
    ts.isBlock(node) ||
    ts.isModuleBlock(node) ||
    ts.isCaseClause(node) ||
    ts.isDefaultClause(node)
  ) {
    return node.statements;
  }
  return undefined;
}

function indexStatement(statement: ts.Statement, bind: (name: string, binding: Binding) => void): void {
  if (ts.isVariableStatement(statement)) {
    const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of statement.declarationList.declarations) {
      const module = requiredModule(declaration.initializer);
      if (ts.isIdentifier(declaration.name)) {
        const name = declaration.name.text;
        const constant = isConst || (declaration.initializer !== undefined && !writtenNames(statement).has(name));
        if (module) bind(name, { kind: "import", module, imported: "default" });
        else if (constant) bind(name, { kind: "const", declaration, initializer: declaration.initializer });
        else bind(name, { kind: "variable", declaration });
        continue;
      }
      const importsFrom = module && ts.isObjectBindingPattern(declaration.name) ? module : undefined;
      for (const element of declaration.name.elements) {
        if (ts.isOmittedExpression(element)) continue;
        // `const { a: { b } } = require("m")` imports b as the property a names: the outer element's.
        const property =
          element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName : undefined;
        for (const name of boundNames(element.name)) {
          bind(
            name,
            importsFrom
              ? { kind: "import", module: importsFrom, imported: property?.text ?? name }
              : { kind: "variable", declaration },
          );
        }
      }
    }
    return;
  }
  if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
    const module = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (!clause) return;
    if (clause.name) bind(clause.name.text, { kind: "import", module, imported: "default" });
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) bind(bindings.name.text, { kind: "import", module, imported: "*" });
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements)
        bind(element.name.text, { kind: "import", module, imported: (element.propertyName ?? element.name).text });
    }
    return;
  }
  // TypeScript's `import X = require("m")`.
  if (
    ts.isImportEqualsDeclaration(statement) &&
    ts.isExternalModuleReference(statement.moduleReference) &&
    ts.isStringLiteral(statement.moduleReference.expression)
  ) {
    bind(statement.name.text, {
      kind: "import",
      module: statement.moduleReference.expression.text,
      imported: "default",
    });
    return;
  }
  if (ts.isClassDeclaration(statement) && statement.name)
    bind(statement.name.text, { kind: "class", declaration: statement });
  if (ts.isFunctionDeclaration(statement) && statement.name)
    bind(statement.name.text, { kind: "function", declaration: statement });
}

/** Every name a binding name (an identifier, or a destructuring pattern at any depth) binds, in order. */
function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  const stack: ts.BindingName[] = [name];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (ts.isIdentifier(current)) {
      names.push(current.text);
      continue;
    }
    for (let i = current.elements.length - 1; i >= 0; i--) {
      const element = current.elements[i]!;
      if (!ts.isOmittedExpression(element)) stack.push(element.name);
    }
  }
  return names;
}

/** `require("m")` → "m". */
export function requiredModule(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const inner = skipOuterExpressions(expression);
  if (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === "require") {
    const argument = inner.arguments[0];
    if (argument && ts.isStringLiteralLike(argument)) return argument.text;
  }
  return undefined;
}

/** Parentheses, `as`, `satisfies`, `!` and `<T>` change no value. */
export function skipOuterExpressions(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

export function isExported(declaration: ts.VariableDeclaration | ts.ClassDeclaration): boolean {
  const statement = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    return true;
  const name = declaration.name && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  if (!name) return false;
  const file = declaration.getSourceFile();
  return file.statements.some(
    (s) =>
      (ts.isExportDeclaration(s) &&
        s.exportClause !== undefined &&
        ts.isNamedExports(s.exportClause) &&
        s.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === name)) ||
      (ts.isExportAssignment(s) && ts.isIdentifier(s.expression) && s.expression.text === name),
  );
}

/**
 * A static or instance property initializer of a class that nothing changes: `static readonly URL = "…"`,
 * or a `#private` field the class never assigns again (only the class can).
 */
export function classProperty(
  declaration: ts.ClassLikeDeclaration,
  name: string,
  isStatic: boolean,
): ts.Expression | undefined {
  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name || member.name.getText() !== name) continue;
    if (!ts.isIdentifier(member.name) && !ts.isPrivateIdentifier(member.name)) continue;
    const modifiers = ts.getModifiers(member) ?? [];
    const hasStatic = modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
    const readonly = modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
    const unchanged = readonly || (ts.isPrivateIdentifier(member.name) && !assignedAgain(declaration, name));
    if (hasStatic === isStatic && unchanged) return member.initializer;
  }
  return undefined;
}

/** `this.#name = …` (or `+=`, …) anywhere in the class. */
function assignedAgain(declaration: ts.ClassLikeDeclaration, name: string): boolean {
  return new RegExp(
    String.raw`\.${name.replace(/[$]/g, "\\$")}\s*(?:[-+*/%&|^]|\*\*|<<|>>>?|\?\?|&&|\|\|)?=(?!=)`,
  ).test(declaration.getText());
}

export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
  }
  return undefined;
}

/** Every read or write of the variable `declaration` declares, in the block it is declared in. */
export function referencesTo(declaration: ts.VariableDeclaration): ts.Identifier[] {
  if (!ts.isIdentifier(declaration.name)) return [];
  const name = declaration.name.text;
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && !isNameOfItsParent(node)) {
      const binding = lookup(name, node);
      if (binding && "declaration" in binding && binding.declaration === declaration) found.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(declaration.parent.parent.parent);
  return found;
}

/** Whether every name `expression` reads is bound before `offset` (or is a parameter, an import or a global). */
export function boundBefore(expression: ts.Expression, offset: number): boolean {
  let ok = true;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(node) && !isPropertyName(node)) {
      const binding = lookup(node.text, node);
      if (binding && "declaration" in binding && binding.kind !== "parameter" && binding.declaration.end > offset)
        ok = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return ok;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node)
  );
}

/** `b` in `a.b`, `{ b: 1 }`, `function b()`: a name, not a read of a variable (a shorthand `{ b }` is a read). */
export function isNameOfItsParent(node: ts.Identifier): boolean {
  const parent = node.parent as ts.Node & { name?: ts.Node };
  return parent.name === node && !ts.isShorthandPropertyAssignment(parent);
}
