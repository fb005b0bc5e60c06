// One iterative walk over a syntax tree that collects uses and lets the language's visitor
// emit declarations. Iterative (a TreeCursor plus a frame stack) because deeply nested input
// would overflow a recursive walk.
import type { Language, Node, Tree } from "@vscode/tree-sitter-wasm";
import type { Declaration, FileNames, Frame, LanguageSpec } from "./types.js";

/** What a string literal's content must be to count as a use of a name. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Strips a literal's delimiters: an optional prefix (Python f/r/b, C# @/$, Rust r/b), Rust raw
 * `#`s, and matching quotes. Anything else (Ruby %w, heredocs) does not match, and is not a use.
 */
const QUOTED = /^[A-Za-z@$]{0,3}(#*)("""|'''|"|'|`)([\s\S]*?)\2\1$/;

// What the walk does with a node, by type id. Every cursor property is a call into wasm, so the
// walk reads one number per node (the type id) and looks its role up here, instead of reading
// the type name and named-ness and comparing strings.
const SKIP = 1,
  STRING = 2,
  VISIT = 4,
  IDENT = 8;
const tables = new WeakMap<LanguageSpec, Uint8Array>();

function flagsFor(spec: LanguageSpec, language: Language): Uint8Array {
  let flags = tables.get(spec);
  if (!flags) {
    flags = new Uint8Array(language.nodeTypeCount + 1);
    for (let id = 0; id < language.nodeTypeCount; id++) {
      const type = language.types[id];
      if (!type || !language.nodeTypeIsNamed(id)) continue;
      // Comments (and Rust's doc_comment children) never name anything.
      if (type.includes("comment")) flags[id] = SKIP;
      else flags[id] = (spec.strings.has(type) ? STRING : 0) | (spec.visited.has(type) ? VISIT : 0) | (spec.identifiers.has(type) ? IDENT : 0);
    }
    tables.set(spec, flags);
  }
  return flags;
}

const MAX_NAME_LITERAL = 256;

/** How many nodes between deadline checks: a clock read per node would cost more than the walk. */
const CHECK_EVERY = 4096;

export function walk(spec: LanguageSpec, tree: Tree, deadline: number): FileNames {
  const declarations: Declaration[] = [];
  const uses = new Set<string>();
  const emit = (name: string, kind: Declaration["kind"], at: Node, container?: string, heritage?: string[]) => {
    if (!name) return;
    const d: Declaration = { name, kind, line: at.startPosition.row + 1 };
    if (container) d.container = container;
    if (heritage && heritage.length > 0) d.heritage = heritage;
    declarations.push(d);
  };

  const flags = flagsFor(spec, tree.language);
  const cursor = tree.walk();
  const stack: Frame[] = [];
  let frame: Frame = { scope: "top" };
  let seen = 0;
  let timedOut = false;
  try {
    for (;;) {
      if (++seen % CHECK_EVERY === 0 && performance.now() > deadline) {
        timedOut = true;
        break;
      }
      const role = flags[cursor.nodeTypeId] ?? 0;
      let skip = (role & SKIP) !== 0;
      let childFrame = frame;
      // Long literals are never a bare name: skip reading them.
      if (role & STRING && cursor.endIndex - cursor.startIndex <= MAX_NAME_LITERAL) {
        const inner = QUOTED.exec(cursor.nodeText)?.[3];
        if (inner !== undefined && IDENTIFIER.test(inner)) uses.add(inner);
      }
      if (role & VISIT) {
        const result = spec.visit(cursor.currentNode, frame, emit);
        if (result === "skip") skip = true;
        else if (result) childFrame = result;
      }
      if (!skip && cursor.gotoFirstChild()) {
        stack.push(frame);
        frame = childFrame;
        continue;
      }
      // A leaf (or a skipped subtree): identifiers are leaves in every grammar used here.
      if (role & IDENT) {
        const text = cursor.nodeText;
        uses.add(spec.useName ? spec.useName(text) : text);
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return finish();
        frame = stack.pop() ?? { scope: "top" };
      }
    }
    return finish();
  } finally {
    cursor.delete();
  }

  function finish(): FileNames {
    uses.delete("");
    const names: FileNames = { declarations, uses: [...uses] };
    if (timedOut) names.incomplete = "timeout";
    return names;
  }
}

// Small helpers the language visitors share.

/** Text of the `field` child, or undefined. */
export function fieldText(node: Node, field: string): string | undefined {
  return node.childForFieldName(field)?.text;
}

/**
 * The plain type name inside a type expression: `*S` -> S, `G[T]` / `S<T>` -> G / S,
 * `crate::x::Y` / `a.b.C` -> Y / C, `&'a mut X` / `dyn X` -> X. Empty for `[u8]`, tuples.
 */
export function baseTypeName(text: string): string {
  return /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.replace(/[<[(][\s\S]*$/, ""))?.[1] ?? "";
}
