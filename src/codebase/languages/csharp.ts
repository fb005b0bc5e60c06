import type { DeclarationKind, LanguageSpec } from "./types.js";
import { baseTypeName, fieldText } from "./walk.js";

const TYPES: Record<string, DeclarationKind> = {
  class_declaration: "class",
  record_declaration: "class",
  struct_declaration: "struct",
  interface_declaration: "interface",
  enum_declaration: "enum",
  delegate_declaration: "type",
};

export const csharp: LanguageSpec = {
  wasm: "tree-sitter-c-sharp.wasm",
  identifiers: new Set(["identifier"]),
  strings: new Set(["string_literal", "verbatim_string_literal", "raw_string_literal"]),
  visited: new Set([
    ...Object.keys(TYPES),
    "namespace_declaration",
    "file_scoped_namespace_declaration",
    "method_declaration",
    "property_declaration",
    "event_declaration",
    "field_declaration",
    "event_field_declaration",
    "enum_member_declaration",
    "constructor_declaration",
    "local_function_statement",
  ]),
  visit(node, frame, emit) {
    const kind = TYPES[node.type];
    if (kind) {
      const name = fieldText(node, "name") ?? "";
      const bases = node.namedChildren
        .find((c) => c?.type === "base_list")
        ?.namedChildren.filter((c) => c?.type !== "argument_list")
        .map((c) => baseTypeName(c?.text ?? ""));
      emit(name, kind, node, frame.scope === "type" ? frame.container : undefined, bases);
      // Positional record parameters are properties.
      if (node.type === "record_declaration") {
        const params = node.namedChildren.find((c) => c?.type === "parameter_list");
        for (const p of params?.namedChildren ?? []) if (p?.type === "parameter") emit(fieldText(p, "name") ?? "", "field", p, name);
      }
      return { scope: "type", container: name };
    }
    switch (node.type) {
      case "namespace_declaration":
      case "file_scoped_namespace_declaration":
        emit(fieldText(node, "name") ?? "", "module", node);
        return undefined;
      case "method_declaration":
        emit(fieldText(node, "name") ?? "", "method", node, frame.container);
        return { scope: "function" };
      case "local_function_statement":
        emit(fieldText(node, "name") ?? "", "function", node);
        return { scope: "function" };
      case "constructor_declaration":
        return { scope: "function" };
      case "property_declaration":
      case "event_declaration":
        emit(fieldText(node, "name") ?? "", "field", node, frame.container);
        return { scope: "function" };
      case "field_declaration":
      case "event_field_declaration": {
        const isConst = node.namedChildren.some((c) => c?.type === "modifier" && c.text === "const");
        for (const d of node.descendantsOfType("variable_declarator")) {
          if (d) emit(fieldText(d, "name") ?? "", isConst ? "constant" : "field", d, frame.container);
        }
        return undefined;
      }
      case "enum_member_declaration":
        emit(fieldText(node, "name") ?? "", "enum-member", node, frame.container);
        return undefined;
    }
    return undefined;
  },
};
