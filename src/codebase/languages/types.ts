// Shared types for the tree-sitter based name extractors.
import type { Node } from "@vscode/tree-sitter-wasm";

export type LanguageId = "python" | "go" | "rust" | "java" | "csharp" | "ruby";

export type DeclarationKind =
  | "class"
  | "function"
  | "method"
  | "field"
  | "enum-member"
  | "variable"
  | "type"
  | "module"
  | "trait"
  | "struct"
  | "interface"
  | "constant"
  // Not in the first sketch of the API: an enum is a container of members (like
  // ContainerInfo "enum" in the TS index), so calling it "type" would lose that.
  | "enum"
  // Not a declaration of the name: `impl Trait for X`, Ruby's `include M`, Python's
  // `__getattr__` say where else X's members come from (its `heritage`).
  | "impl";

export interface Declaration {
  name: string;
  kind: DeclarationKind;
  /** The type whose member this is (receiver type for Go methods, `X` of `impl Trait for X`). */
  container?: string;
  /** 1-based line of the name. */
  line: number;
  /**
   * On containers only: the names whose members this one also has (bases, Go embedded
   * types, interfaces/traits it extends), as `heritage` in the TS index.
   */
  heritage?: string[];
}

export interface FileNames {
  declarations: Declaration[];
  /** Identifiers used in code (outside comments and strings), plus whole-identifier string literals. */
  uses: string[];
  /**
   * Set when the names are not from the whole file: it was over the byte cap (names are
   * from its first part) or parsing/walking ran past the time budget (names may be empty
   * or partial). A caller should treat the file as not fully known.
   */
  incomplete?: "truncated" | "timeout";
}

/** What a language's visitor sees about where it is. Inherited by descendants until replaced. */
export interface Frame {
  scope: "top" | "type" | "enum" | "impl" | "trait" | "function";
  /** Innermost type whose members are declared here. */
  container?: string;
  /** Class that `self.x =` / `@x =` assigns to (inside methods). */
  selfOf?: string;
}

export type Emit = (name: string, kind: DeclarationKind, at: Node, container?: string, heritage?: string[]) => void;

export interface LanguageSpec {
  /** File name of the grammar inside @vscode/tree-sitter-wasm/wasm/. */
  wasm: string;
  /** Leaf node types whose text is a used identifier. */
  identifiers: ReadonlySet<string>;
  /** String literal node types: counted as a use when the whole content is one identifier. */
  strings: ReadonlySet<string>;
  /** Node types passed to `visit` (others are walked without materialising a Node). */
  visited: ReadonlySet<string>;
  /**
   * Emit declarations for `node`. Return a Frame for its descendants, "skip" to ignore its
   * whole subtree (docstrings), or undefined to keep the current frame.
   */
  visit(node: Node, frame: Frame, emit: Emit): Frame | "skip" | undefined;
  /** Normalise a used identifier's text (Ruby `:sym`, `@ivar`). */
  useName?(text: string): string;
}
