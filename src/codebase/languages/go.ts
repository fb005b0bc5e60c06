import type { Node } from "@vscode/tree-sitter-wasm";
import type { LanguageSpec } from "./types.js";
import { baseTypeName, fieldText } from "./walk.js";

export const go: LanguageSpec = {
  wasm: "tree-sitter-go.wasm",
  identifiers: new Set(["identifier", "type_identifier", "field_identifier", "package_identifier", "label_name"]),
  strings: new Set(["interpreted_string_literal", "raw_string_literal"]),
  visited: new Set(["package_clause", "function_declaration", "method_declaration", "type_spec", "type_alias", "field_declaration", "method_elem", "const_spec", "var_spec"]),
  visit(node, frame, emit) {
    switch (node.type) {
      case "package_clause":
        emit(node.namedChild(0)?.text ?? "", "module", node);
        return undefined;
      case "function_declaration":
        emit(fieldText(node, "name") ?? "", "function", node);
        return { scope: "function" };
      case "method_declaration": {
        // (s *S) / (s S[T]) / (S): the receiver's type, without pointer or type arguments.
        const receiver = node.childForFieldName("receiver")?.namedChildren.find((c) => c?.type === "parameter_declaration");
        const type = receiver?.childForFieldName("type")?.text;
        emit(fieldText(node, "name") ?? "", "method", node, type ? baseTypeName(type) : undefined);
        return { scope: "function" };
      }
      case "type_spec":
      case "type_alias": {
        const name = fieldText(node, "name") ?? "";
        const type = node.childForFieldName("type");
        const kind = type?.type === "struct_type" ? "struct" : type?.type === "interface_type" ? "interface" : "type";
        emit(name, kind, node, undefined, type ? embedded(type) : undefined);
        return { scope: "type", container: name };
      }
      case "field_declaration": {
        if (frame.scope !== "type") return undefined;
        const names = node.childrenForFieldName("name").filter((c): c is Node => !!c);
        // An embedded field (`*Emb`, `pkg.Emb`) is named by its type.
        if (names.length === 0) emit(baseTypeName(fieldText(node, "type") ?? ""), "field", node, frame.container);
        for (const n of names) emit(n.text, "field", n, frame.container);
        return undefined;
      }
      case "method_elem":
        emit(fieldText(node, "name") ?? "", "method", node, frame.container);
        return undefined;
      case "const_spec":
      case "var_spec":
        // Function-local consts and vars are locals, not declarations.
        if (frame.scope !== "function") {
          for (const n of node.childrenForFieldName("name")) if (n) emit(n.text, node.type === "const_spec" ? "constant" : "variable", n);
        }
        return undefined;
    }
    return undefined;
  },
};

/** Embedded struct fields and embedded interfaces: their members are promoted to this type. */
function embedded(type: Node): string[] {
  if (type.type === "struct_type") {
    const list = type.namedChildren.find((c) => c?.type === "field_declaration_list");
    return (list?.namedChildren ?? []).filter((f): f is Node => !!f && f.type === "field_declaration" && !f.childForFieldName("name")).map((f) => baseTypeName(fieldText(f, "type") ?? ""));
  }
  if (type.type === "interface_type") {
    return type.namedChildren.filter((c): c is Node => !!c && c.type === "type_elem").map((c) => baseTypeName(c.text));
  }
  return [];
}
