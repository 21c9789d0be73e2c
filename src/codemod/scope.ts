import { ts } from "./ts.js";

// Just enough scope resolution for constant evaluation without a type checker: a name is looked up in
// the statements of each enclosing block and in the parameters of each enclosing function.

export type Binding =
  | { kind: "const"; declaration: ts.VariableDeclaration; initializer: ts.Expression | undefined }
  | { kind: "variable"; declaration: ts.VariableDeclaration }
  | { kind: "parameter"; declaration: ts.ParameterDeclaration }
  | { kind: "import"; module: string /** "default", "*" or the exported name */; imported: string }
  | { kind: "class"; declaration: ts.ClassDeclaration }
  | { kind: "function"; declaration: ts.FunctionDeclaration };

export function lookup(name: string, from: ts.Node): Binding | undefined {
  for (let node: ts.Node | undefined = from.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node)) {
      for (const parameter of node.parameters) {
        if (bindsName(parameter.name, name)) return { kind: "parameter", declaration: parameter };
      }
    }
    const statements = statementsOf(node);
    if (!statements) continue;
    for (const statement of statements) {
      const binding = bindingIn(statement, name);
      if (binding) return binding;
    }
  }
  return undefined;
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

function bindingIn(statement: ts.Statement, name: string): Binding | undefined {
  if (ts.isVariableStatement(statement)) {
    const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name)) {
        if (declaration.name.text !== name) continue;
        const module = requiredModule(declaration.initializer);
        if (module) return { kind: "import", module, imported: "default" };
        return isConst
          ? { kind: "const", declaration, initializer: declaration.initializer }
          : { kind: "variable", declaration };
      }
      const element = bindingElementNamed(declaration.name, name);
      if (!element) continue;
      const module = requiredModule(declaration.initializer);
      if (module && ts.isObjectBindingPattern(declaration.name)) {
        const imported =
          element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : name;
        return { kind: "import", module, imported };
      }
      return { kind: "variable", declaration };
    }
    return undefined;
  }
  if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
    const module = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (!clause) return undefined;
    if (clause.name?.text === name) return { kind: "import", module, imported: "default" };
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name)
      return { kind: "import", module, imported: "*" };
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        if (element.name.text === name)
          return { kind: "import", module, imported: (element.propertyName ?? element.name).text };
      }
    }
    return undefined;
  }
  // TypeScript's `import X = require("m")`.
  if (
    ts.isImportEqualsDeclaration(statement) &&
    statement.name.text === name &&
    ts.isExternalModuleReference(statement.moduleReference) &&
    ts.isStringLiteral(statement.moduleReference.expression)
  )
    return { kind: "import", module: statement.moduleReference.expression.text, imported: "default" };
  if (ts.isClassDeclaration(statement) && statement.name?.text === name)
    return { kind: "class", declaration: statement };
  if (ts.isFunctionDeclaration(statement) && statement.name?.text === name)
    return { kind: "function", declaration: statement };
  return undefined;
}

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return bindingElementNamed(name, wanted) !== undefined;
}

function bindingElementNamed(pattern: ts.BindingName, wanted: string): ts.BindingElement | undefined {
  if (ts.isIdentifier(pattern)) return undefined;
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isIdentifier(element.name) ? element.name.text === wanted : bindingElementNamed(element.name, wanted))
      return element;
  }
  return undefined;
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

/** A static or instance property initializer of a class: `static readonly URL = "…"`. */
export function classProperty(
  declaration: ts.ClassLikeDeclaration,
  name: string,
  isStatic: boolean,
): ts.Expression | undefined {
  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name || !ts.isIdentifier(member.name) || member.name.text !== name)
      continue;
    const modifiers = ts.getModifiers(member) ?? [];
    const hasStatic = modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
    const readonly = modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
    if (hasStatic === isStatic && readonly) return member.initializer;
  }
  return undefined;
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
