// What a tree-sitter file contributes to the code index, in the index's own shape (the one the
// TS/JS parser produces): every identifier used in code or declared, and the containers whose
// members `A.b` is checked against.
import type { FileNames as IndexNames, SerializableContainer } from "../code-index.js";
import type { Declaration, DeclarationKind, FileNames, LanguageId } from "./types.js";

const CONTAINER_KINDS: Partial<Record<DeclarationKind, SerializableContainer["kind"]>> = {
  class: "class",
  struct: "class",
  interface: "interface",
  trait: "interface",
  enum: "enum",
  // A Ruby module holds methods as a namespace holds exports.
  module: "namespace",
};

/** Members every enum of the language has without declaring them (`Color.value`, `Status.valueOf`). */
const ENUM_BUILTINS: Partial<Record<LanguageId, string[]>> = {
  python: ["name", "value"],
  java: ["values", "valueOf", "name", "ordinal"],
};

/** Python's enum bases: the enum's members are the ones written, not "anything from elsewhere". */
const PYTHON_ENUM_BASE = /(^|\.)(Enum|IntEnum|StrEnum|Flag|IntFlag)$/;

export function fileNamesOf(language: LanguageId, names: FileNames): IndexNames {
  const identifiers = new Set(names.uses);
  const containers = new Map<string, { name: string } & SerializableContainer>();
  const containerOf = (name: string, kind: SerializableContainer["kind"]) => {
    let container = containers.get(name);
    if (!container) containers.set(name, (container = { name, kind, members: [], heritage: [] }));
    return container;
  };
  // Containers first, so a member written before its type (a Go method above its struct) finds its kind.
  // Identifiers are the uses alone: every declared name is an identifier in the text, and a
  // derived method (`clone` of `#[derive(Clone)]`) is a member, not a word the file holds.
  for (const declaration of names.declarations) {
    const kind = CONTAINER_KINDS[declaration.kind];
    if (kind === undefined && declaration.kind !== "impl") continue;
    const container = containerOf(declaration.name, kind ?? "class");
    if (kind !== undefined && container.members.length === 0) container.kind = kind;
    container.heritage.push(...heritageOf(language, declaration, container.kind));
  }
  for (const declaration of names.declarations) {
    if (declaration.container === undefined || declaration.kind === "impl") continue;
    containerOf(declaration.container, "class").members.push(declaration.name);
  }
  for (const container of containers.values()) {
    if (container.kind === "enum") container.members.push(...(ENUM_BUILTINS[language] ?? []));
    container.members = [...new Set(container.members)];
    container.heritage = [...new Set(container.heritage)];
  }
  return { identifiers: [...identifiers], containers: [...containers.values()] };
}

function heritageOf(language: LanguageId, declaration: Declaration, kind: SerializableContainer["kind"]): string[] {
  const heritage = declaration.heritage ?? [];
  if (language === "python" && kind === "enum") return heritage.filter((base) => !PYTHON_ENUM_BASE.test(base));
  return heritage;
}
