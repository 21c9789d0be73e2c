import type { Language } from "../core/language.js";
import type { NodeKind } from "../core/syntax-tree.js";

// What each tree-sitter grammar calls the nodes the syntax tree keeps. Node types are the grammars' own
// (tree-sitter-<name>/src/node-types.json in @vscode/tree-sitter-wasm's build); a type missing here is
// simply not kept, so a grammar update can lose a node but never mislabel one.

export interface Grammar {
  /** tree-sitter-<wasm>.wasm in @vscode/tree-sitter-wasm. */
  wasm: string;
  kinds: Readonly<Record<string, NodeKind>>;
  /**
   * Where a call's or function's name ends, by node type: a field of the node, or (prefixed `child:`) its
   * first child of that type. The name runs from the node's start to that child's end.
   */
  names: Readonly<Record<string, string>>;
  /**
   * The statement type of a string standing alone (Python's docstrings, and the `'''…'''` that quotes old code
   * out): such a string does nothing, so it is kept as a comment.
   */
  bareStringStatement?: string;
}

const JAVASCRIPT_KINDS: Record<string, NodeKind> = {
  comment: "comment",
  string: "string",
  template_string: "string",
  call_expression: "call",
  new_expression: "call",
  function_declaration: "function",
  function_expression: "function",
  generator_function_declaration: "function",
  arrow_function: "function",
  method_definition: "function",
  object: "object",
};
const JAVASCRIPT_NAMES = {
  call_expression: "function",
  new_expression: "constructor",
  function_declaration: "name",
  function_expression: "name",
  generator_function_declaration: "name",
  method_definition: "name",
};

const GRAMMARS: Partial<Record<Language, Grammar>> = {
  python: {
    wasm: "python",
    kinds: {
      comment: "comment",
      string: "string",
      call: "call",
      function_definition: "function",
      lambda: "function",
      dictionary: "object",
    },
    names: { call: "function", function_definition: "name" },
    bareStringStatement: "expression_statement",
  },
  shell: {
    wasm: "bash",
    kinds: {
      comment: "comment",
      string: "string",
      raw_string: "string",
      ansi_c_string: "string",
      translated_string: "string",
      heredoc_body: "string",
      command: "call",
      command_substitution: "command-substitution",
      process_substitution: "command-substitution",
      function_definition: "function",
    },
    names: { command: "name", function_definition: "name" },
  },
  powershell: {
    wasm: "powershell",
    kinds: {
      comment: "comment",
      expandable_string_literal: "string",
      verbatim_string_characters: "string",
      expandable_here_string_literal: "string",
      verbatim_here_string_characters: "string",
      command: "call",
      invokation_expression: "call",
      sub_expression: "command-substitution",
      function_statement: "function",
      script_block_expression: "function",
      hash_literal_expression: "object",
    },
    names: {
      command: "child:command_name",
      invokation_expression: "child:member_name",
      function_statement: "child:function_name",
    },
  },
  go: {
    wasm: "go",
    kinds: {
      comment: "comment",
      interpreted_string_literal: "string",
      raw_string_literal: "string",
      call_expression: "call",
      function_declaration: "function",
      method_declaration: "function",
      func_literal: "function",
      composite_literal: "object",
      // An element of a list or map whose type is left out: `{Publisher: …}` in `[]T{…}`.
      literal_value: "object",
    },
    names: { call_expression: "function", function_declaration: "name", method_declaration: "name" },
  },
  csharp: {
    wasm: "c-sharp",
    kinds: {
      comment: "comment",
      string_literal: "string",
      verbatim_string_literal: "string",
      raw_string_literal: "string",
      interpolated_string_expression: "string",
      invocation_expression: "call",
      object_creation_expression: "call",
      method_declaration: "function",
      constructor_declaration: "function",
      local_function_statement: "function",
      lambda_expression: "function",
      anonymous_method_expression: "function",
      initializer_expression: "object",
      anonymous_object_creation_expression: "object",
    },
    names: {
      invocation_expression: "function",
      object_creation_expression: "type",
      method_declaration: "name",
      constructor_declaration: "name",
      local_function_statement: "name",
    },
  },
  java: {
    wasm: "java",
    kinds: {
      line_comment: "comment",
      block_comment: "comment",
      string_literal: "string",
      method_invocation: "call",
      object_creation_expression: "call",
      method_declaration: "function",
      constructor_declaration: "function",
      lambda_expression: "function",
    },
    names: {
      method_invocation: "name",
      object_creation_expression: "type",
      method_declaration: "name",
      constructor_declaration: "name",
    },
  },
  ruby: {
    wasm: "ruby",
    kinds: {
      comment: "comment",
      string: "string",
      heredoc_body: "string",
      subshell: "command-substitution",
      call: "call",
      method: "function",
      singleton_method: "function",
      lambda: "function",
      hash: "object",
    },
    names: { call: "method", method: "name", singleton_method: "name" },
  },
  php: {
    wasm: "php",
    kinds: {
      comment: "comment",
      string: "string",
      encapsed_string: "string",
      heredoc: "string",
      nowdoc: "string",
      shell_command_expression: "command-substitution",
      function_call_expression: "call",
      member_call_expression: "call",
      scoped_call_expression: "call",
      object_creation_expression: "call",
      function_definition: "function",
      method_declaration: "function",
      anonymous_function: "function",
      arrow_function: "function",
      array_creation_expression: "object",
    },
    names: {
      function_call_expression: "function",
      member_call_expression: "name",
      scoped_call_expression: "name",
      function_definition: "name",
      method_declaration: "name",
    },
  },
  javascript: { wasm: "javascript", kinds: JAVASCRIPT_KINDS, names: JAVASCRIPT_NAMES },
  typescript: { wasm: "typescript", kinds: JAVASCRIPT_KINDS, names: JAVASCRIPT_NAMES },
};

export function grammarOf(language: Language): Grammar | undefined {
  return GRAMMARS[language];
}
