import type { LanguageSpec } from "./types.js";
import { baseTypeName, fieldText } from "./walk.js";

/** Class-body calls that declare attributes named by their symbol arguments. */
const MIXIN_CALLS = new Set(["include", "extend", "prepend", "define_method", "delegate", "def_delegators", "def_delegator"]);
const ATTR_CALLS = new Set(["attr_accessor", "attr_reader", "attr_writer", "attr"]);

export const ruby: LanguageSpec = {
  wasm: "tree-sitter-ruby.wasm",
  identifiers: new Set(["identifier", "constant", "simple_symbol", "hash_key_symbol", "instance_variable", "class_variable"]),
  strings: new Set(["string"]),
  visited: new Set(["class", "module", "method", "singleton_method", "assignment", "call"]),
  // `:name`, `@name`, `@@name` are uses of `name` (what a rule would write as `Class.name`).
  useName: (text) => text.replace(/^(:|@@|@)/, ""),
  visit(node, frame, emit) {
    switch (node.type) {
      case "class":
      case "module": {
        // `class A::B` declares B.
        const name = baseTypeName(fieldText(node, "name") ?? "");
        // `ActiveRecord::Base` stays qualified: it names no container here, so its members are open.
        const superclass = node.childForFieldName("superclass")?.namedChild(0)?.text;
        emit(name, node.type === "class" ? "class" : "module", node, frame.container, superclass ? [superclass] : undefined);
        return { scope: "type", container: name };
      }
      case "method":
      case "singleton_method": {
        const name = fieldText(node, "name") ?? "";
        emit(name, frame.container ? "method" : "function", node, frame.container);
        if (frame.container && name === "method_missing") emit(frame.container, "impl", node, undefined, [name]);
        return frame.container ? { scope: "function", selfOf: frame.container } : { scope: "function" };
      }
      case "assignment": {
        const left = node.childForFieldName("left");
        if (left?.type === "constant") emit(left.text, "constant", left, frame.container);
        else if (left?.type === "instance_variable" && frame.selfOf) emit(left.text.slice(1), "field", left, frame.selfOf);
        else if (left?.type === "identifier" && frame.scope === "top") emit(left.text, "variable", left);
        return undefined;
      }
      case "call": {
        if (frame.scope !== "type" || node.childForFieldName("receiver")) return undefined;
        const method = fieldText(node, "method") ?? "";
        // `include Comparable`, `extend Forwardable`, `define_method`, `delegate`: members from elsewhere.
        if (MIXIN_CALLS.has(method) && frame.container) {
          const from = (node.childForFieldName("arguments")?.namedChildren ?? []).map((arg) => arg?.text ?? "").filter(Boolean);
          emit(frame.container, "impl", node, undefined, method === "include" || method === "extend" || method === "prepend" ? from : [method]);
          return undefined;
        }
        if (!ATTR_CALLS.has(method)) return undefined;
        for (const arg of node.childForFieldName("arguments")?.namedChildren ?? []) {
          if (arg?.type === "simple_symbol") emit(arg.text.slice(1), "field", arg, frame.container);
        }
        return undefined;
      }
    }
    return undefined;
  },
};
