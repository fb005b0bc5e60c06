import { DEFAULT_IGNORED_DIRS } from "../shared/config-types.js";
import { BUILTIN_NAMES } from "../codebase/builtins.js";
import { basename, dirname, joinPath } from "../shared/text.js";
import type { CodeIndex, Codebase, Mention } from "./types.js";
import { pathMatcher } from "../codebase/glob.js";

// Decides whether a mention still names something, reading it as a person would. Every "skip"
// below is a case where a span looks like a path or a name but is not a claim about this repo.

export type Verdict =
  /**
   * `fromPackage`: found only as written from some package's folder (`src/x.ts` as
   * `apps/web/src/x.ts` in a monorepo with no root `src`), so it may be a root path that moved
   * there: history decides (stale-path reports it only with evidence from the rule's commit).
   */
  | { status: "exists"; fromPackage?: true }
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
const SYSTEM_ROOTS = new Set([
  "usr",
  "etc",
  "tmp",
  "var",
  "dev",
  "proc",
  "sys",
  "opt",
  "home",
  "Users",
  "bin",
  "sbin",
  "lib",
  "Library",
  "System",
  "Applications",
  "mnt",
  "private",
  "root",
  "Volumes",
  "workspace",
  "workspaces",
  "app",
  "srv",
  "nix",
  "run",
  "snap",
  "cygdrive",
]);
// Generated output is usually gitignored per package, where `git check-ignore` from the root
// cannot see which package a rule means; a path through such a folder is not a claim about sources.
const IGNORED_DIRS = new Set([...DEFAULT_IGNORED_DIRS, "generated", "__generated__"]);
// Where agents and editors keep their own, often local and untracked, settings: a rule that names
// `.claude/settings.local.json` or `.continue/config.yaml` tells where to put things.
const TOOL_CONFIG_DIRS = new Set([".claude", ".cursor", ".continue", ".clinerules", ".windsurf", ".kiro", ".gemini", ".codex", ".vscode", ".idea", ".zed", ".aider", ".devin", ".roo"]);
// TypeScript ESM imports name the emitted `.js` file: `./util.js` means `./util.ts`.
const EMITTED_TO_SOURCE: Record<string, string[]> = { js: ["ts", "tsx"], mjs: ["mts"], cjs: ["cts"], jsx: ["tsx"] };

export function judgePath(mention: Mention, file: string, context: ResolveContext): Verdict {
  if (mention.kind === "glob") return judgeGlob(mention, file, context);
  const target = parseTarget(mention.value);
  const skip = skipReason(target, mention.source, context);
  if (skip !== null) return { status: "skip", reason: skip };
  const { codebase } = context;
  const candidates = candidatePaths(mention, target, file);
  // `scripts/gen.ts` in `packages/core/src/data/CLAUDE.md` is written from the package's root, where
  // `npm run` and its scripts start: the nearest folder above the rule file with a manifest.
  const packageRoot = target.relative || target.rooted || mention.fromRoot || mention.source === "link" || mention.source === "hook" ? null : packageRootOf(file, codebase);
  if (packageRoot !== null) candidates.push(`${packageRoot}/${target.rest}`);
  for (const candidate of candidates) if (exists(candidate, target.directory, codebase)) return { status: "exists" };
  if (candidates.some((candidate) => insideSubmodule(candidate, codebase))) return { status: "skip", reason: "inside a git submodule" };
  const loosely = existsLoosely(mention, target, file, codebase);
  if (loosely === "from-package") return { status: "exists", fromPackage: true };
  if (loosely) return { status: "exists" };
  if (target.hasExtension && bareProductLike(target.rest, context.packages)) return { status: "skip", reason: "names a package" };
  // git matches `dir/` patterns only against names that end in a slash.
  const tried = candidates.map((candidate) => (target.directory ? `${candidate}/` : candidate));
  if (tried.some((candidate) => context.ignored.has(candidate))) return { status: "skip", reason: "ignored by git" };
  if (ignoredInPackage(mention, file, context)) return { status: "skip", reason: "ignored by git in a package's folder (generated output)" };
  if (mention.source !== "hook" && TOOL_CONFIG_DIRS.has(target.rest.split("/")[0]!)) {
    return { status: "skip", reason: "a location an agent or editor reads, often local and untracked" };
  }
  return { status: "missing", tried };
}

/**
 * Where a missing path would be if written from some package's folder: `src/shared/proto/` as
 * `apps/vscode/src/shared/proto/` where `apps/vscode/src/shared` is a folder. Git is asked whether
 * it ignores those (build-model's ignored paths): generated output such as a package's proto
 * bindings is gitignored there, and a rule that names it names no source. At most a few forms.
 */
export function packagedForms(mention: Mention, file: string, codebase: Codebase): string[] {
  if (mention.kind === "glob" || mention.source === "hook" || mention.source === "link") return [];
  const target = parseTarget(mention.value);
  if (target.relative || target.rooted || !target.path.includes("/")) return [];
  const parent = target.path.slice(0, target.path.lastIndexOf("/"));
  const forms: string[] = [];
  for (const dir of codebase.dirSet) {
    if (!dir.endsWith(`/${parent}`)) continue;
    const base = dir.slice(0, dir.length - parent.length - 1);
    if (base === dirname(file) && file.includes("/")) continue;
    forms.push(`${base}/${target.path}${target.directory ? "/" : ""}`);
    if (forms.length >= MAX_PACKAGED_FORMS) break;
  }
  return forms;
}

const MAX_PACKAGED_FORMS = 8;

function ignoredInPackage(mention: Mention, file: string, context: ResolveContext): boolean {
  if (context.ignored.size === 0) return false;
  return packagedForms(mention, file, context.codebase).some((form) => context.ignored.has(form));
}

const MANIFESTS = ["package.json", "go.mod", "pyproject.toml", "Cargo.toml", "setup.py", "pom.xml", "build.gradle", "build.gradle.kts", "deno.json", "composer.json", "Gemfile"];

/** The nearest folder above `file` (not the root) that holds a package manifest, or null. */
function packageRootOf(file: string, codebase: Codebase): string | null {
  for (let dir = dirname(file); dir !== "" && dir !== "." && dir !== "/"; dir = dirname(dir)) {
    if (MANIFESTS.some((name) => codebase.fileSet.has(`${dir}/${name}`))) return dir;
  }
  return null;
}

interface Target {
  /** As written, without a trailing slash or a leading `/`. */
  path: string;
  /** Without leading `./` and `../`. */
  rest: string;
  directory: boolean;
  /** Starts with `./` or `../`. */
  relative: boolean;
  /** Started with `/`: the repository root, or a route or a system path. */
  rooted: boolean;
  hasExtension: boolean;
}

function parseTarget(value: string): Target {
  const directory = value.endsWith("/");
  const trimmed = value.replace(/\/+$/, "");
  const rooted = trimmed.startsWith("/");
  const path = trimmed.replace(/^\/+/, "");
  const rest = path.replace(/^(\.{1,2}\/)+/, "");
  const hasExtension = /\.[A-Za-z0-9]+$/.test(basename(rest));
  return { path, rest, directory, relative: /^\.{1,2}\//.test(path), rooted, hasExtension };
}

/** Why a path-shaped mention is not a claim about this repository's files, or null. */
function skipReason(target: Target, source: Mention["source"], context: ResolveContext): string | null {
  const { codebase } = context;
  const segments = target.rest.split("/");
  if (target.rest === "") return "no path after the dots";
  if (target.rooted && (SYSTEM_ROOTS.has(segments[0]!) || !nameExistsAtRoot(segments[0]!, codebase))) {
    return "absolute path outside the repository, or a route";
  }
  if (segments.some((segment) => IGNORED_DIRS.has(segment))) return "under a dependency or build folder";
  if (!target.relative && isPackageSpecifier(target.rest, context.packages)) return "a package specifier";
  // A hook command runs a program: `bin/lint` is never a route.
  const routeLike = source !== "hook" && !target.hasExtension && !target.relative && segments.length > 1;
  if (routeLike && !nameExistsAnywhere(segments[0]!, codebase)) {
    return "a route, a protocol method or prose (its first segment names nothing here)";
  }
  return null;
}

/** Where the path may live: the root, the rule file's folder, the folders the text puts it under (a Cursor `mdc:` link: the root alone). */
function candidatePaths(mention: Mention, target: Target, file: string): string[] {
  if (mention.fromRoot) return [target.rest];
  const fileDir = dirname(file);
  const candidates = [target.rest];
  if (target.relative) candidates.push(joinPath(fileDir, target.path) ?? target.rest);
  else candidates.push(joinPath(fileDir, target.rest) ?? target.rest);
  if (!target.relative && mention.source !== "link") {
    for (const base of mention.bases) candidates.push(joinPath(base, target.rest) ?? target.rest);
  }
  return [...new Set(candidates)];
}

/**
 * Readings a person would accept, though not for links, which a renderer follows literally, nor
 * for hook scripts, which a shell runs literally: `./x` and `../common/env` are written from some
 * code file's point of view; a bare name is a file or folder anywhere, except in a drawn tree
 * (fenced), where it sits under its parents.
 */
function existsLoosely(mention: Mention, target: Target, file: string, codebase: Codebase): boolean | "from-package" {
  if (mention.source === "link" || mention.source === "hook") return false;
  if (target.relative) return existsAsSuffix(target.rest, target.directory, codebase);
  if (mention.source === "fence") return false;
  if (!target.rest.includes("/")) return existsAnywhere(target.rest, target.directory, codebase);
  // `astutils/walk.go` in a monorepo: no folder of that name at the root or beside the rule file,
  // so it is written from some package's point of view, as `./x` is.
  return !target.rooted && !anchored(target.rest, file, codebase) && existsAsSuffix(target.rest, target.directory, codebase) ? "from-package" : false;
}

/** Whether the path's first folder is at the root or beside the rule file: then it means that one. */
function anchored(path: string, file: string, codebase: Codebase): boolean {
  const first = path.split("/")[0]!;
  const besideFile = joinPath(dirname(file), first);
  return nameExistsAtRoot(first, codebase) || (besideFile !== null && codebase.dirSet.has(besideFile));
}

/** A submodule is one gitlink entry in `git ls-files`: what lies inside it cannot be checked. */
function insideSubmodule(path: string, codebase: Codebase): boolean {
  const segments = path.split("/");
  for (let length = 1; length < segments.length; length++) {
    if (codebase.fileSet.has(segments.slice(0, length).join("/"))) return true;
  }
  return false;
}

function judgeGlob(mention: Mention, file: string, context: ResolveContext): Verdict {
  const { codebase } = context;
  const rooted = mention.value.startsWith("/");
  const pattern = mention.value.replace(/^\.\//, "").replace(/^\/+/, "");
  const segments = pattern.split("/");
  // `/opsx:*` and `/review*` name slash commands, not files at the root.
  if (rooted && !nameExistsAtRoot(segments[0]!, codebase)) return { status: "skip", reason: "a command or route, not a root path" };
  if (segments.some((segment) => IGNORED_DIRS.has(segment))) return { status: "skip", reason: "under a dependency or build folder" };
  const bases = ["", dirname(file), ...mention.bases];
  // `src/*` with no root `src`: some package's `src`, as for paths.
  if (!rooted && segments.length > 1 && !/[*?[{]/.test(segments[0]!) && !anchored(pattern, file, codebase)) bases.push("**");
  for (const base of new Set(bases)) {
    const full = base === "" ? pattern : `${base}/${pattern}`;
    if (globMatchesAny(full, codebase, !pattern.includes("/"))) return { status: "exists" };
  }
  // `*.log` matching nothing tracked because .gitignore has `*.log`: git answers for the pattern.
  if (context.ignored.has(pattern)) return { status: "skip", reason: "ignored by git" };
  return { status: "missing", tried: [pattern] };
}

// A run judges each path mention twice (which missing paths git ignores, then stale-path), and a
// glob is a scan of every path: the answer is kept per codebase.
const globAnswers = new WeakMap<Codebase, Map<string, boolean>>();

/** True when the glob matches a file or a folder. Bare globs (`*.test.ts`) match a name anywhere. */
export function globMatchesAny(pattern: string, codebase: Codebase, matchBase = false, files = codebase.allFiles): boolean {
  if (files !== codebase.allFiles) return scanForGlob(pattern, codebase, matchBase, files);
  let answers = globAnswers.get(codebase);
  if (answers === undefined) {
    answers = new Map();
    globAnswers.set(codebase, answers);
  }
  const key = `${matchBase ? "b" : "p"}:${pattern}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = scanForGlob(pattern, codebase, matchBase, files);
    answers.set(key, answer);
  }
  return answer;
}

function scanForGlob(pattern: string, codebase: Codebase, matchBase: boolean, files: readonly string[]): boolean {
  let matches: (path: string) => boolean;
  try {
    matches = pathMatcher(pattern.replace(/\/+$/, ""), { basename: matchBase });
  } catch {
    return false;
  }
  for (const path of files) if (matches(path)) return true;
  for (const dir of codebase.dirSet) if (dir !== "" && matches(dir)) return true;
  return false;
}

function exists(path: string, directory: boolean, codebase: Codebase): boolean {
  if (codebase.dirSet.has(path)) return true;
  // A submodule is listed as one file entry, though it is a folder on disk.
  if (directory) return codebase.fileSet.has(path);
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

const stemCache = new WeakMap<Codebase, Set<string>>();

/** File names up to their first dot: `barrelClean.test.ts` gives `barrelClean`. */
function fileStems(codebase: Codebase): Set<string> {
  let stems = stemCache.get(codebase);
  if (!stems) {
    stems = new Set<string>();
    for (const name of codebase.byBasename.keys()) {
      const dot = name.indexOf(".", 1);
      if (dot > 0) stems.add(name.slice(0, dot));
    }
    stemCache.set(codebase, stems);
  }
  return stems;
}

function nameExistsAnywhere(name: string, codebase: Codebase): boolean {
  return codebase.byBasename.has(name) || directoryNames(codebase).has(name);
}

function nameExistsAtRoot(name: string, codebase: Codebase): boolean {
  return codebase.dirSet.has(name) || codebase.fileSet.has(name);
}

/** `lodash/fp`, `@scope/name/sub`, and `core-internal/public` for `@scope/core-internal`. */
function isPackageSpecifier(path: string, packages: Set<string>): boolean {
  const segments = path.split("/");
  if (path.startsWith("@")) return packages.has(segments.slice(0, 2).join("/"));
  if (segments.length < 2 || /\.[A-Za-z0-9]+$/.test(path)) return packages.has(segments[0]!);
  return packages.has(segments[0]!) || [...packages].some((name) => name.startsWith("@") && name.endsWith(`/${segments[0]}`));
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
  const containers = context.index.containers(head);
  if (!containers || containers.length === 0) return { status: "exists" };
  // `Request.body` where the repo only augments Express's `Request`: the members live outside.
  if (isExternal(head, context) && containers.every((info) => info.kind === "interface" || info.kind === "namespace")) {
    return { status: "exists" };
  }
  if (hasMember(head, member, context.index, new Set())) return { status: "exists" };
  // A Go package name is no unique container: `client.MatchingFields` may name a dependency's
  // `client` package while this repository has a `client` package of its own. When the head is
  // only ever a package (a namespace), a member the code uses anyway is taken as that other one's.
  if (containers.every((info) => info.kind === "namespace") && context.index.has(member)) return { status: "exists" };
  return { status: "missing", tried: [value], missing: `${head}.${member}` };
}

function nameExists(name: string, context: SymbolContext): boolean {
  const bare = name.replace(/^#/, "");
  if (isExternal(bare, context) || context.index.has(bare) || context.index.has(name)) return true;
  // `Dockerfile`, `Makefile`, a module named after its file: a file of that name exists; and
  // "the `barrelClean` test" names `barrelClean.test.ts` by its stem.
  if (context.codebase.byBasename.has(bare) || fileStems(context.codebase).has(bare)) return true;
  return isProductWord(bare, context);
}

/** Built into a language or runtime, or a dependency: `Promise`, `fs`, `lodash`, `React` for `react`. */
function isExternal(name: string, context: SymbolContext): boolean {
  return BUILTIN_NAMES.has(name) || context.packages.has(name) || packageWords(context.packages).has(name.toLowerCase());
}

const packageWordCache = new WeakMap<Set<string>, Set<string>>();

/** `react`, `zod`, and the parts of scoped names (`@playwright/test` gives `playwright`, `test`). */
function packageWords(packages: Set<string>): Set<string> {
  let words = packageWordCache.get(packages);
  if (!words) {
    words = new Set<string>();
    for (const name of packages) {
      const lower = name.toLowerCase();
      words.add(lower);
      for (const part of lower.replace(/^@/, "").split("/")) words.add(part);
    }
    packageWordCache.set(packages, words);
  }
  return words;
}

/**
 * A lone capitalised word (`Redis`, `Docker`, `Postgres`) is more often a product than a class.
 * It counts as existing when the repo uses the word in lower case, or names a file after it.
 */
function isProductWord(name: string, context: SymbolContext): boolean {
  if (!/^[A-Z][a-z0-9]+$/.test(name)) return false;
  const lower = name.toLowerCase();
  if (context.index.has(lower)) return true;
  for (const base of context.codebase.byBasename.keys()) if (base.toLowerCase().startsWith(lower)) return true;
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
