import picomatch from "picomatch";
import { DEFAULT_IGNORED_DIRS } from "../engine/config-types.js";
import { BUILTIN_NAMES } from "./builtins.js";
import { basename, dirname, joinPath } from "./text.js";
import type { CodeIndex, Codebase, Mention } from "./types.js";

// Decides whether a mention still names something, reading it as a person would. Every "skip"
// below is a case where a span looks like a path or a name but is not a claim about this repo.

export type Verdict =
  | { status: "exists" }
  | { status: "skip"; reason: string }
  /** `tried` are the repo-relative paths it could have meant, for the ignore check and messages. */
  | { status: "missing"; tried: string[] };

export interface ResolveContext {
  codebase: Codebase;
  packages: Set<string>;
  /** Paths git ignores, among those asked about. */
  ignored: Set<string>;
}

const CODE_EXTENSIONS = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "d.ts", "py", "go", "rs", "json", "vue", "svelte", "md", "mdc", "rb", "java", "kt", "swift", "sh"];
const INDEX_FILES = ["index.ts", "index.tsx", "index.js", "index.jsx", "index.mjs", "__init__.py", "mod.rs", "main.go", "README.md"];
const SYSTEM_ROOTS = new Set(["usr", "etc", "tmp", "var", "dev", "proc", "sys", "opt", "home", "Users", "bin", "sbin", "lib", "Library", "System", "Applications", "mnt", "private", "root", "Volumes", "workspace", "workspaces", "app", "srv", "nix", "run", "snap", "cygdrive"]);
const IGNORED_DIRS = new Set(DEFAULT_IGNORED_DIRS);
// TypeScript ESM imports name the emitted `.js` file: `./util.js` means `./util.ts`.
const EMITTED_TO_SOURCE: Record<string, string[]> = { js: ["ts", "tsx"], mjs: ["mts"], cjs: ["cts"], jsx: ["tsx"] };

export function judgePath(mention: Mention, file: string, context: ResolveContext): Verdict {
  if (mention.kind === "glob") return judgeGlob(mention, file, context);
  const { codebase } = context;
  const directory = mention.value.endsWith("/");
  let path = mention.value.replace(/\/+$/, "");
  const fileDir = dirname(file);

  if (path.startsWith("/")) {
    const first = path.split("/")[1] ?? "";
    if (SYSTEM_ROOTS.has(first) || !nameExistsAtRoot(first, codebase)) return { status: "skip", reason: "absolute path outside the repository, or a route" };
    path = path.replace(/^\/+/, "");
  }
  const relative = /^\.{1,2}\//.test(path);
  const rest = path.replace(/^(\.{1,2}\/)+/, "");
  if (rest === "") return { status: "skip", reason: "no path after the dots" };
  const segments = rest.split("/");
  if (segments.some((segment) => IGNORED_DIRS.has(segment))) return { status: "skip", reason: "under a dependency or build folder" };
  if (!relative && isPackageSpecifier(rest, context.packages)) return { status: "skip", reason: "a package specifier" };

  const hasExtension = /\.[A-Za-z0-9]+$/.test(basename(rest));
  if (!hasExtension && !relative && rest.includes("/") && !nameExistsAnywhere(segments[0]!, codebase)) {
    return { status: "skip", reason: "a route, a protocol method or prose (its first segment names nothing here)" };
  }

  if (mention.source === "fence") {
    return exists(rest, directory, codebase) ? { status: "exists" } : { status: "missing", tried: [rest] };
  }

  const tried = new Set<string>();
  const candidates: string[] = [rest];
  if (relative) {
    const fromFile = joinPath(fileDir, path);
    if (fromFile !== null) candidates.push(fromFile);
  } else {
    if (fileDir !== "") candidates.push(joinPath(fileDir, rest) ?? rest);
    for (const base of mention.bases) candidates.push(joinPath(base, rest) ?? rest);
  }
  for (const candidate of candidates) {
    tried.add(candidate);
    if (exists(candidate, directory, codebase)) return { status: "exists" };
  }
  // `./x` and `../common/env` are written from some code file's point of view.
  if (relative && existsAsSuffix(rest, directory, codebase)) return { status: "exists" };
  // A bare name is a file (or, with `/`, a folder) of that name anywhere.
  if (!rest.includes("/") && existsAnywhere(rest, directory, codebase)) return { status: "exists" };
  if (hasExtension && bareProductLike(rest, context.packages)) return { status: "skip", reason: "names a package" };
  const ignored = [...tried].some((candidate) => context.ignored.has(candidate));
  if (ignored) return { status: "skip", reason: "ignored by git" };
  return { status: "missing", tried: [...tried] };
}

function judgeGlob(mention: Mention, file: string, context: ResolveContext): Verdict {
  const pattern = mention.value.replace(/^\.\//, "").replace(/^\/+/, "");
  const segments = pattern.split("/");
  if (segments.some((segment) => IGNORED_DIRS.has(segment))) return { status: "skip", reason: "under a dependency or build folder" };
  const bases = ["", dirname(file), ...mention.bases];
  for (const base of new Set(bases)) {
    const full = base === "" ? pattern : `${base}/${pattern}`;
    if (globMatchesAny(full, context.codebase, !pattern.includes("/"))) return { status: "exists" };
  }
  return { status: "missing", tried: [pattern] };
}

/** True when the glob matches a file or a folder. Bare globs (`*.test.ts`) match a name anywhere. */
export function globMatchesAny(pattern: string, codebase: Codebase, matchBase = false, files = codebase.allFiles): boolean {
  let matches: (path: string) => boolean;
  try {
    matches = picomatch(pattern.replace(/\/+$/, ""), { dot: true, basename: matchBase });
  } catch {
    return false;
  }
  for (const path of files) if (matches(path)) return true;
  for (const dir of codebase.dirSet) if (dir !== "" && matches(dir)) return true;
  return false;
}

function exists(path: string, directory: boolean, codebase: Codebase): boolean {
  if (codebase.dirSet.has(path)) return true;
  if (directory) return false;
  if (codebase.fileSet.has(path)) return true;
  return variants(path).some((variant) => codebase.fileSet.has(variant));
}

/** Module-style resolution: no extension means a code file or an index file; `.js` may be `.ts`. */
function variants(path: string): string[] {
  const name = basename(path);
  const dot = name.lastIndexOf(".");
  const out: string[] = [];
  if (dot <= 0) {
    for (const extension of CODE_EXTENSIONS) out.push(`${path}.${extension}`);
    for (const index of INDEX_FILES) out.push(`${path}/${index}`);
  } else {
    const extension = name.slice(dot + 1);
    for (const source of EMITTED_TO_SOURCE[extension] ?? []) out.push(`${path.slice(0, path.length - extension.length)}${source}`);
  }
  return out;
}

function existsAsSuffix(rest: string, directory: boolean, codebase: Codebase): boolean {
  const wanted = [rest, ...(directory ? [] : variants(rest))];
  const pool = directory ? codebase.dirSet : [...codebase.fileSet, ...codebase.dirSet];
  for (const path of pool) {
    for (const suffix of wanted) if (path === suffix || path.endsWith(`/${suffix}`)) return true;
  }
  return false;
}

function existsAnywhere(name: string, directory: boolean, codebase: Codebase): boolean {
  if (!directory && codebase.byBasename.has(name)) return true;
  if (!directory && variants(name).some((variant) => codebase.byBasename.has(variant))) return true;
  return directoryNames(codebase).has(name);
}

const directoryNameCache = new WeakMap<Codebase, Set<string>>();

function directoryNames(codebase: Codebase): Set<string> {
  let names = directoryNameCache.get(codebase);
  if (!names) {
    names = new Set([...codebase.dirSet].map(basename));
    directoryNameCache.set(codebase, names);
  }
  return names;
}

function nameExistsAnywhere(name: string, codebase: Codebase): boolean {
  return codebase.byBasename.has(name) || directoryNames(codebase).has(name);
}

function nameExistsAtRoot(name: string, codebase: Codebase): boolean {
  return codebase.dirSet.has(name) || codebase.fileSet.has(name);
}

function isPackageSpecifier(path: string, packages: Set<string>): boolean {
  const segments = path.split("/");
  const name = path.startsWith("@") ? segments.slice(0, 2).join("/") : segments[0]!;
  return packages.has(name);
}

/** `lodash.debounce`, `moment.js`: a dependency's name written like a file. */
function bareProductLike(path: string, packages: Set<string>): boolean {
  if (path.includes("/")) return false;
  return packages.has(path) || packages.has(path.replace(/\.[A-Za-z0-9]+$/, ""));
}

export interface SymbolContext {
  index: CodeIndex;
  packages: Set<string>;
  codebase: Codebase;
  ignore: (name: string) => boolean;
}

/**
 * A name exists when the code declares or uses it. For `A.b`, `A` must exist and, where `A` is a
 * TS/JS class, interface, enum or object, `b` must be one of its members (inherited ones included).
 */
export function judgeSymbol(value: string, context: SymbolContext): Verdict & { missing?: string } {
  if (context.ignore(value)) return { status: "skip", reason: "in symbols.ignore" };
  const parts = value.split(/\.|::|#/).filter(Boolean);
  const head = parts[0];
  if (head === undefined) return { status: "skip", reason: "empty" };
  if (context.ignore(head)) return { status: "skip", reason: "in symbols.ignore" };
  if (!nameExists(head, context)) return { status: "missing", tried: [head], missing: head };
  const member = parts[1];
  if (member === undefined) return { status: "exists" };
  if (BUILTIN_NAMES.has(head) || context.packages.has(head)) return { status: "exists" };
  const containers = context.index.containers(head);
  if (!containers || containers.length === 0) return { status: "exists" };
  if (hasMember(head, member, context.index, new Set())) return { status: "exists" };
  return { status: "missing", tried: [value], missing: `${head}.${member}` };
}

function nameExists(name: string, context: SymbolContext): boolean {
  const bare = name.replace(/^#/, "");
  if (BUILTIN_NAMES.has(bare) || context.packages.has(bare) || context.index.has(bare) || context.index.has(name)) return true;
  // `Dockerfile`, `Makefile`, a module named after its file: a file of that name exists.
  if (context.codebase.byBasename.has(bare)) return true;
  return false;
}

function hasMember(container: string, member: string, index: CodeIndex, seen: Set<string>): boolean {
  if (seen.has(container)) return false;
  seen.add(container);
  const declared = index.containers(container);
  if (!declared || declared.length === 0) return true; // an external base class: its members are unknown
  for (const info of declared) {
    if (info.members.has(member) || info.members.has(`#${member}`)) return true;
    for (const base of info.heritage) if (hasMember(base, member, index, seen)) return true;
  }
  return false;
}
