import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TsMorph from "ts-morph";
import { compileWebAssemblyWithLiftoffOnly } from "../syntax/webassembly-tiering.js";
import { defaultCacheDir, requireWithCodeCache } from "./code-cache.js";

// The TypeScript compiler API that ts-morph bundles (@ts-morph/common's typescript.js, the module
// ts-morph's own `ts` export is). The codemod needs only the compiler API, so the bundle is loaded alone,
// as CommonJS (the ESM loader's scan for named exports costs about half a second on 9 MB) and through
// V8's code cache. The namespace below re-exports the node types the codemod names. V8 checks a cache
// against the flags in force, and a run that parses a script too sets tiering flags for the grammars: they
// are set before the cache is read, so that the cache written at exit is the one the next run accepts.

const fromTsMorph = createRequire(createRequire(import.meta.url).resolve("ts-morph"));
const bundle = join(dirname(fromTsMorph.resolve("@ts-morph/common")), "typescript.js");

compileWebAssemblyWithLiftoffOnly();
export const ts = requireWithCodeCache(bundle, defaultCacheDir()).exports as typeof TsMorph.ts;

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
  type ImportEqualsDeclaration = TsMorph.ts.ImportEqualsDeclaration;
}
