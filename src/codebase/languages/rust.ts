import type { Node } from "@vscode/tree-sitter-wasm";
import type { Emit, LanguageSpec } from "./types.js";
import { baseTypeName, fieldText } from "./walk.js";

export const rust: LanguageSpec = {
  wasm: "tree-sitter-rust.wasm",
  identifiers: new Set(["identifier", "type_identifier", "field_identifier", "shorthand_field_identifier"]),
  strings: new Set(["string_literal", "raw_string_literal"]),
  visited: new Set([
    "mod_item",
    "struct_item",
    "union_item",
    "enum_item",
    "enum_variant",
    "field_declaration",
    "impl_item",
    "trait_item",
    "function_item",
    "function_signature_item",
    "const_item",
    "static_item",
    "type_item",
    "associated_type",
    "macro_definition",
  ]),
  visit(node, frame, emit) {
    const name = fieldText(node, "name") ?? "";
    // Items in an impl or trait body are members of it.
    const member = frame.scope === "impl" || frame.scope === "trait" ? frame.container : undefined;
    switch (node.type) {
      case "mod_item":
        emit(name, "module", node);
        return { scope: "top" };
      case "struct_item":
      case "union_item":
        emit(name, "struct", node);
        derived(node, name, emit);
        return { scope: "type", container: name };
      case "enum_item":
        emit(name, "enum", node);
        derived(node, name, emit);
        return { scope: "enum", container: name };
      case "enum_variant":
        emit(name, "enum-member", node, frame.container);
        // Named fields of a struct-like variant belong to the variant.
        return { scope: "type", container: name };
      case "field_declaration":
        if (frame.scope === "type") emit(name, "field", node, frame.container);
        return undefined;
      case "impl_item": {
        // `impl X`, `impl<T> Trait for X<T>`, `impl a::X`: members go to X either way.
        const type = baseTypeName(fieldText(node, "type") ?? "");
        const implemented = fieldText(node, "trait");
        // A trait's provided methods are X's members without being written in this impl.
        if (implemented) emit(type, "impl", node, undefined, [baseTypeName(implemented)]);
        return { scope: "impl", container: type };
      }
      case "trait_item": {
        const supertraits = node
          .childForFieldName("bounds")
          ?.namedChildren.map((c) => baseTypeName(c?.text ?? ""))
          .filter(Boolean);
        emit(name, "trait", node, undefined, supertraits);
        return { scope: "trait", container: name };
      }
      case "function_item":
      case "function_signature_item":
        emit(name, member ? "method" : "function", node, member);
        return { scope: "function" };
      case "const_item":
      case "static_item":
        // A const inside a fn body is local to it.
        if (frame.scope !== "function") emit(name, node.type === "const_item" ? "constant" : "variable", node, member);
        return undefined;
      case "type_item":
      case "associated_type":
        if (frame.scope !== "function") emit(name, "type", node, member);
        return undefined;
      case "macro_definition":
        // `macro_rules! name` is called as `name!`, much like a function.
        emit(name, "function", node);
        return undefined;
    }
    return undefined;
  },
};

/** Methods a `#[derive(...)]` of a standard (or serde) trait gives the type. */
const DERIVED_METHODS: Record<string, string[]> = {
  Clone: ["clone", "clone_from"],
  Copy: [],
  Debug: ["fmt"],
  Default: ["default"],
  PartialEq: ["eq", "ne"],
  Eq: [],
  PartialOrd: ["partial_cmp", "lt", "le", "gt", "ge"],
  Ord: ["cmp", "max", "min", "clamp"],
  Hash: ["hash"],
  Serialize: ["serialize"],
  Deserialize: ["deserialize"],
};

/**
 * `#[derive(Debug, Clone)]` before a struct or enum: known derives add their methods; any other
 * derive macro may add anything, so it becomes heritage that names no container.
 */
function derived(node: Node, name: string, emit: Emit): void {
  const unknown: string[] = [];
  for (let before = node.previousNamedSibling; before?.type === "attribute_item"; before = before.previousNamedSibling) {
    const match = /^#\[\s*derive\s*\(([^)]*)\)\s*\]$/.exec(before.text);
    if (!match) continue;
    for (const part of match[1]!.split(",")) {
      const trait = baseTypeName(part.trim());
      if (!trait) continue;
      const methods = DERIVED_METHODS[trait];
      if (methods === undefined) unknown.push(part.trim());
      else for (const method of methods) emit(method, "method", before, name);
    }
  }
  if (unknown.length > 0) emit(name, "impl", node, undefined, unknown);
}
