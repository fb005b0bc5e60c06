import type { Node } from "@vscode/tree-sitter-wasm";
import type { Emit, Frame, LanguageSpec } from "./types.js";
import { fieldText } from "./walk.js";

/** Bases that make a class's body assignments enum members. */
const DYNAMIC_ATTRIBUTES = new Set(["__getattr__", "__getattribute__"]);
const ENUM_BASE = /(^|\.)(Enum|IntEnum|StrEnum|Flag|IntFlag)$/;

export const python: LanguageSpec = {
  wasm: "tree-sitter-python.wasm",
  identifiers: new Set(["identifier"]),
  strings: new Set(["string"]),
  visited: new Set(["class_definition", "function_definition", "assignment", "expression_statement", "type_alias_statement"]),
  visit(node, frame, emit) {
    switch (node.type) {
      case "expression_statement": {
        // A statement that is only a plain string is a docstring (or dead text): never a name.
        const only = node.namedChildCount === 1 ? node.namedChild(0) : null;
        if (only?.type === "string" && !only.namedChildren.some((c) => c?.type === "interpolation")) return "skip";
        return undefined;
      }
      case "class_definition": {
        const name = fieldText(node, "name") ?? "";
        const bases = (node.childForFieldName("superclasses")?.namedChildren ?? []).filter((c): c is Node => !!c && (c.type === "identifier" || c.type === "attribute")).map((c) => c.text);
        const isEnum = bases.some((b) => ENUM_BASE.test(b));
        emit(name, isEnum ? "enum" : "class", node, frame.scope === "type" || frame.scope === "enum" ? frame.container : undefined, bases);
        return { scope: isEnum ? "enum" : "type", container: name };
      }
      case "function_definition": {
        const inClass = frame.scope === "type" || frame.scope === "enum";
        const name = fieldText(node, "name") ?? "";
        emit(name, inClass ? "method" : "function", node, inClass ? frame.container : undefined);
        // A class that answers any attribute has every member a rule may name.
        if (inClass && frame.container && DYNAMIC_ATTRIBUTES.has(name)) emit(frame.container, "impl", node, undefined, [name]);
        // Closures inside a method still see the method's `self`.
        const selfOf = inClass ? frame.container : frame.selfOf;
        return selfOf ? { scope: "function", selfOf } : { scope: "function" };
      }
      case "assignment":
        assignment(node.childForFieldName("left"), frame, emit);
        return undefined;
      case "type_alias_statement":
        if (frame.scope === "top") emit(node.childForFieldName("left")?.text ?? "", "type", node);
        return undefined;
    }
    return undefined;
  },
};

/** Targets of `a = ...`, `a, b = ...`, `x: int = ...`, `self.x = ...`. */
function assignment(left: Node | null, frame: Frame, emit: Emit): void {
  if (!left) return;
  if (left.type === "identifier") {
    if (frame.scope === "top") emit(left.text, "variable", left);
    else if (frame.scope === "type") emit(left.text, "field", left, frame.container);
    else if (frame.scope === "enum") emit(left.text, "enum-member", left, frame.container);
    // Locals are not declarations; they still count as uses.
  } else if (left.type === "attribute") {
    const object = left.childForFieldName("object")?.text;
    if (frame.scope === "function" && frame.selfOf && (object === "self" || object === "cls")) {
      emit(left.childForFieldName("attribute")?.text ?? "", "field", left, frame.selfOf);
    }
  } else if (left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "list_pattern") {
    for (const part of left.namedChildren) assignment(part, frame, emit);
  }
}
