import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

// The TypeScript compiler API that ts-morph bundles. ts-morph is CommonJS: `require` loads it without the
// ESM loader's scan for named exports, which costs about half a second on its 9 MB TypeScript bundle.
// The namespace below re-exports the node types the codemod names.

export const ts: typeof TsMorph.ts = (createRequire(import.meta.url)("ts-morph") as typeof TsMorph).ts;

export declare namespace ts {
  type Node = TsMorph.ts.Node;
  type SourceFile = TsMorph.ts.SourceFile;
  type Statement = TsMorph.ts.Statement;
  type Expression = TsMorph.ts.Expression;
  type Identifier = TsMorph.ts.Identifier;
  type CallExpression = TsMorph.ts.CallExpression;
  type NewExpression = TsMorph.ts.NewExpression;
  type PropertyAccessExpression = TsMorph.ts.PropertyAccessExpression;
  type ObjectLiteralExpression = TsMorph.ts.ObjectLiteralExpression;
  type ObjectLiteralElementLike = TsMorph.ts.ObjectLiteralElementLike;
  type PropertyAssignment = TsMorph.ts.PropertyAssignment;
  type ShorthandPropertyAssignment = TsMorph.ts.ShorthandPropertyAssignment;
  type PropertyName = TsMorph.ts.PropertyName;
  type NumericLiteral = TsMorph.ts.NumericLiteral;
  type LiteralLikeNode = TsMorph.ts.LiteralLikeNode;
  type TemplateLiteralLikeNode = TsMorph.ts.TemplateLiteralLikeNode;
  type VariableDeclaration = TsMorph.ts.VariableDeclaration;
  type ParameterDeclaration = TsMorph.ts.ParameterDeclaration;
  type FunctionDeclaration = TsMorph.ts.FunctionDeclaration;
  type ClassDeclaration = TsMorph.ts.ClassDeclaration;
  type ClassLikeDeclaration = TsMorph.ts.ClassLikeDeclaration;
  type BindingName = TsMorph.ts.BindingName;
  type BindingElement = TsMorph.ts.BindingElement;
  type ScriptKind = TsMorph.ts.ScriptKind;
  type ImportDeclaration = TsMorph.ts.ImportDeclaration;
}
