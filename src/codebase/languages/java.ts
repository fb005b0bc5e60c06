import type { Node } from "@vscode/tree-sitter-wasm";
import type { DeclarationKind, LanguageSpec } from "./types.js";
import { baseTypeName, fieldText } from "./walk.js";

const TYPES: Record<string, DeclarationKind> = {
  class_declaration: "class",
  record_declaration: "class",
  interface_declaration: "interface",
  annotation_type_declaration: "interface",
  enum_declaration: "enum",
};

export const java: LanguageSpec = {
  wasm: "tree-sitter-java.wasm",
  identifiers: new Set(["identifier", "type_identifier"]),
  strings: new Set(["string_literal"]),
  visited: new Set([
    ...Object.keys(TYPES),
    "package_declaration",
    "method_declaration",
    "annotation_type_element_declaration",
    "field_declaration",
    "constant_declaration",
    "enum_constant",
    "constructor_declaration",
  ]),
  visit(node, frame, emit) {
    const kind = TYPES[node.type];
    if (kind) {
      const name = fieldText(node, "name") ?? "";
      emit(name, kind, node, frame.scope === "type" ? frame.container : undefined, heritage(node));
      // Record components are fields (and accessor methods) of the record.
      if (node.type === "record_declaration") {
        for (const p of node.childForFieldName("parameters")?.namedChildren ?? []) {
          if (p?.type === "formal_parameter") emit(fieldText(p, "name") ?? "", "field", p, name);
        }
      }
      return { scope: "type", container: name };
    }
    switch (node.type) {
      case "package_declaration":
        emit(node.namedChildren.find((c) => c?.type !== "annotation")?.text ?? "", "module", node);
        return undefined;
      case "method_declaration":
      case "annotation_type_element_declaration":
        emit(fieldText(node, "name") ?? "", "method", node, frame.container);
        return { scope: "function" };
      case "constructor_declaration":
        return { scope: "function" };
      case "field_declaration":
      case "constant_declaration":
        for (const d of node.childrenForFieldName("declarator")) {
          if (d) emit(fieldText(d, "name") ?? "", node.type === "constant_declaration" ? "constant" : "field", d, frame.container);
        }
        return undefined;
      case "enum_constant":
        emit(fieldText(node, "name") ?? "", "enum-member", node, frame.container);
        return undefined;
    }
    return undefined;
  },
};

/** `extends A implements B, C` / interface `extends B`. */
function heritage(node: Node): string[] {
  const out: string[] = [];
  for (const c of node.namedChildren) {
    if (c && (c.type === "superclass" || c.type === "super_interfaces" || c.type === "extends_interfaces")) {
      for (const t of c.descendantsOfType(["type_identifier", "scoped_type_identifier"])) {
        if (t && t.parent?.type !== "scoped_type_identifier" && t.parent?.type !== "type_arguments") out.push(baseTypeName(t.text));
      }
    }
  }
  return out;
}
