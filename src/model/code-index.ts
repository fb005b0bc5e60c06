// The codebase index behind `stale-symbol`: answers "does this name exist?" and "what members
// does this class/interface/enum/object have?". It runs in pre-commit hooks, so it parses
// TS/JS with the bare compiler parser (no Project, no type checker), scans every other text
// file for word tokens, and loads TypeScript only when some file actually needs parsing.
//
// What counts as existing (SPEC section 5):
// - TS/JS: every identifier in code, declared or merely used (so external APIs the code calls,
//   like `useState` or `z.object`, exist), plus property names written as string literals in
//   declarations. The contents of strings, template text, JSX text and comments do not count.
// - Any other text file: every whole-word token `[A-Za-z_$][A-Za-z0-9_$]*` (a `$`-prefixed
//   token such as a shell `$HOME` also counts without its `$`).
// - Minified or generated TS/JS (a `.min.` name, a line over 10,000 characters, or over
//   `maxFileBytes`) is never parsed and is scanned for tokens like any other text, so there a
//   name that appears only inside a string or comment DOES count. Erring towards "exists"
//   only hides a stale finding; parsing a megabyte bundle in a commit hook would hurt more.
// - Binary files (a NUL byte in the first 8 KB) are skipped.

import { lstat as lstatCallback, readFile as readFileCallback } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, sep } from "node:path";
import { TextDecoder, promisify } from "node:util";
import type { ts } from "ts-morph";
import type { CodeIndex, ContainerInfo } from "./types.js";

export interface CodeIndexOptions {
  /** Larger files are never parsed, only scanned for tokens (if text). Default 1,000,000 bytes. */
  maxFileBytes?: number;
}

/** A container as plain JSON: members as an array so a cache can store it as is. */
export interface SerializableContainer {
  kind: ContainerInfo["kind"];
  members: string[];
  /**
   * Where else members may come from: names in `extends`/`implements`, the callee of a mixin
   * call (`extends Mixin(Base)` gives `Mixin`), spread sources of object literals
   * (`{ ...base }` gives `base`), and the text of an index signature (`[key: string]: T`),
   * which admits any member. An entry that names no container in the index means members may
   * come from outside what was indexed: a checker should not call such a member stale.
   */
  heritage: string[];
}

/** Everything one file contributes to the index: plain, JSON-serialisable. */
export interface FileNames {
  identifiers: string[];
  containers: Array<{ name: string } & SerializableContainer>;
}

// The two calls made for every file use the callback API: fs/promises wraps each read in a
// FileHandle, which cost ~10% more wall time over 2,000 files. Both stay asynchronous.
const lstat = promisify(lstatCallback);
const readFile = promisify(readFileCallback);

const DEFAULT_MAX_FILE_BYTES = 1_000_000;
// Enough to keep the disk busy, few enough not to exhaust file handles.
const READ_CONCURRENCY = 32;
// Files are read a batch at a time and then parsed, rather than parsed as each read lands:
// interleaving the two cost ~15% more wall time (thread-pool wake-ups compete with the
// parser for the CPU). The batch bounds memory: at most this many file texts are held.
const READ_BATCH_FILES = 128;
const BINARY_SNIFF_BYTES = 8192;
const MAX_PARSED_LINE_LENGTH = 10_000;
const LARGE_FILE_CHUNK_BYTES = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Building the index from disk

export async function buildCodeIndex(
  root: string,
  files: string[],
  options: CodeIndexOptions = {},
): Promise<CodeIndex> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const resolveInsideRoot = await createRootResolver(root);
  if (!resolveInsideRoot) return createCodeIndex([]);
  const paths = [...new Set(files)].filter(isSafeRelativePath);
  // Start loading TypeScript while the first files are read; awaited (and any failure
  // reported) by the first extraction that needs it.
  if (paths.some((path) => scriptKindOf(path) !== undefined)) loadParser().catch(() => undefined);
  const parts: FileNames[] = [];
  for (let start = 0; start < paths.length; start += READ_BATCH_FILES) {
    const batch = paths.slice(start, start + READ_BATCH_FILES);
    const contents = await readBatch(batch, resolveInsideRoot, maxFileBytes);
    for (const [index, content] of contents.entries()) {
      const path = batch[index];
      if (path === undefined || content === undefined) continue;
      // Extraction errors are not swallowed: they mean a broken install, not a vanished file.
      parts.push(typeof content === "string" ? await extractFileNames(path, content) : content);
    }
  }
  return createCodeIndex(parts);
}

/** Contents in the order of `paths`; a file that cannot be read is skipped silently. */
async function readBatch(
  paths: string[],
  resolveInsideRoot: RootResolver,
  maxFileBytes: number,
): Promise<Array<string | FileNames | undefined>> {
  const contents: Array<string | FileNames | undefined> = new Array(paths.length);
  await forEachConcurrently(paths.length, READ_CONCURRENCY, async (index) => {
    const path = paths[index];
    if (path === undefined) return;
    contents[index] = await readTextContent(path, resolveInsideRoot, maxFileBytes).catch(() => undefined);
  });
  return contents;
}

/**
 * The file's text, or its tokens already extracted when it is too large to hold and parse,
 * or undefined when it is binary, not a regular file, or outside the root. Throws when the
 * file cannot be read; the caller skips it.
 */
async function readTextContent(
  path: string,
  resolveInsideRoot: RootResolver,
  maxFileBytes: number,
): Promise<string | FileNames | undefined> {
  const file = await resolveInsideRoot(path);
  if (!file) return undefined;
  if (file.size > maxFileBytes) return tokensOfLargeFile(file.absolutePath);
  const bytes = await readFile(file.absolutePath);
  if (startsLikeBinary(bytes)) return undefined;
  return bytes.toString("utf8");
}

function isSafeRelativePath(path: string): boolean {
  if (path === "" || path.includes("\0")) return false;
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path)) return false;
  return !path.split(/[\\/]/).includes("..");
}

interface ResolvedFile {
  absolutePath: string;
  size: number;
}

/** Resolves a safe relative path to a regular file, or undefined when it leads outside root. */
type RootResolver = (path: string) => Promise<ResolvedFile | undefined>;

async function createRootResolver(root: string): Promise<RootResolver | undefined> {
  const realRoot = await realpath(root).catch(() => undefined);
  if (realRoot === undefined) return undefined;
  const rootPrefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  const isInsideRoot = (real: string) => real === realRoot || real.startsWith(rootPrefix);
  // A symlinked directory would smuggle every file under it out of root; one realpath per
  // directory (cached) catches that without a realpath per file.
  const directoryVerdicts = new Map<string, Promise<boolean>>();
  const directoryIsInside = (directory: string): Promise<boolean> => {
    let verdict = directoryVerdicts.get(directory);
    if (!verdict) {
      verdict = realpath(join(root, directory)).then(isInsideRoot, () => false);
      directoryVerdicts.set(directory, verdict);
    }
    return verdict;
  };

  return async (path) => {
    const slash = path.lastIndexOf("/");
    if (slash > 0 && !(await directoryIsInside(path.slice(0, slash)))) return undefined;
    const absolutePath = join(root, path);
    const info = await lstat(absolutePath);
    if (!info.isSymbolicLink()) return info.isFile() ? { absolutePath, size: info.size } : undefined;
    const target = await realpath(absolutePath);
    if (!isInsideRoot(target)) return undefined;
    const targetInfo = await stat(target);
    return targetInfo.isFile() ? { absolutePath: target, size: targetInfo.size } : undefined;
  };
}

async function forEachConcurrently(
  count: number,
  limit: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

function startsLikeBinary(bytes: ArrayLike<number>): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let index = 0; index < end; index++) if (bytes[index] === 0) return true;
  return false;
}

/** Streams a file too large to parse, so memory stays bounded however big it is. */
async function tokensOfLargeFile(absolutePath: string): Promise<FileNames | undefined> {
  const handle = await open(absolutePath, "r");
  try {
    const tokens = new Set<string>();
    const decoder = new TextDecoder("utf-8");
    const buffer = new Uint8Array(LARGE_FILE_CHUNK_BYTES);
    let pending = "";
    let isFirstChunk = true;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (isFirstChunk && startsLikeBinary(chunk)) return undefined;
      isFirstChunk = false;
      const text = pending + decoder.decode(chunk, { stream: true });
      // A token may continue in the next chunk: hold back the trailing run of word characters.
      const cut = endOfLastNonWordCharacter(text);
      addWordTokens(text.slice(0, cut), tokens);
      pending = text.slice(cut);
    }
    addWordTokens(pending + decoder.decode(), tokens);
    return { identifiers: [...tokens], containers: [] };
  } finally {
    await handle.close();
  }
}

function endOfLastNonWordCharacter(text: string): number {
  let index = text.length;
  while (index > 0 && isWordCharacter(text.charCodeAt(index - 1))) index--;
  return index;
}

function isWordCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 36 // $
  );
}

// ---------------------------------------------------------------------------------------------
// Combining per-file results

export function createCodeIndex(parts: FileNames[]): CodeIndex {
  const names = new Set<string>();
  const containersByName = new Map<string, ContainerInfo[]>();
  for (const part of parts) {
    for (const name of part.identifiers) names.add(name);
    for (const { name, kind, members, heritage } of part.containers) {
      names.add(name);
      const info: ContainerInfo = { kind, members: new Set(members), heritage: [...heritage] };
      const declared = containersByName.get(name);
      if (declared) declared.push(info);
      else containersByName.set(name, [info]);
    }
  }
  return {
    has: (name) => names.has(name),
    containers: (name) => containersByName.get(name),
  };
}

// ---------------------------------------------------------------------------------------------
// Per-file extraction

type ParsedScriptKind = "TS" | "TSX" | "JS" | "JSX";

const SCRIPT_KIND_BY_EXTENSION: ReadonlyMap<string, ParsedScriptKind> = new Map([
  [".ts", "TS"],
  [".mts", "TS"],
  [".cts", "TS"],
  [".tsx", "TSX"],
  [".js", "JS"],
  [".mjs", "JS"],
  [".cjs", "JS"],
  [".jsx", "JSX"],
]);

/** Names one file contributes. Pure: the caller supplies the text. */
export async function extractFileNames(path: string, text: string): Promise<FileNames> {
  const scriptKind = scriptKindOf(path);
  if (scriptKind === undefined || looksMinified(path, text)) return wordTokenNames(text);
  const parser = await loadParser();
  try {
    return parser.collect(path, text, scriptKind);
  } catch {
    // The parser tolerates syntax errors; what it cannot survive is nesting deep enough to
    // overflow the stack. Tokens err towards "exists", which only hides a finding.
    return wordTokenNames(text);
  }
}

function scriptKindOf(path: string): ParsedScriptKind | undefined {
  const dot = path.lastIndexOf(".");
  if (dot < path.lastIndexOf("/")) return undefined;
  return SCRIPT_KIND_BY_EXTENSION.get(path.slice(dot).toLowerCase());
}

function looksMinified(path: string, text: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.includes(".min.") || hasLineLongerThan(text, MAX_PARSED_LINE_LENGTH);
}

function hasLineLongerThan(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let lineStart = 0;
  for (;;) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    if (lineEnd - lineStart > limit) return true;
    if (newline === -1) return false;
    lineStart = newline + 1;
  }
}

function wordTokenNames(text: string): FileNames {
  const tokens = new Set<string>();
  addWordTokens(text, tokens);
  return { identifiers: [...tokens], containers: [] };
}

// Whole words only: `0xBEEF` and `9abc` hold no token.
const WORD_TOKEN = /(?<![A-Za-z0-9_$])[A-Za-z_$][A-Za-z0-9_$]*/g;
const LEADING_DOLLARS = /^\$+/;

function addWordTokens(text: string, into: Set<string>): void {
  for (const [token] of text.matchAll(WORD_TOKEN)) {
    into.add(token);
    // `$HOME` in a shell script, `$user` in PHP: the rule will name the bare variable.
    if (token.charCodeAt(0) === 36) addWithoutDollars(token, into);
  }
}

function addWithoutDollars(token: string, into: Set<string>): void {
  const bare = token.replace(LEADING_DOLLARS, "");
  const first = bare.charCodeAt(0);
  if (bare !== "" && !(first >= 48 && first <= 57)) into.add(bare);
}

// ---------------------------------------------------------------------------------------------
// TS/JS parsing

type TypeScript = typeof ts;

interface Parser {
  collect(path: string, text: string, scriptKind: ParsedScriptKind): FileNames;
}

let parserLoad: Promise<Parser> | undefined;

/** TypeScript is loaded on first use only: a run that indexes no TS/JS never pays for it. */
function loadParser(): Promise<Parser> {
  parserLoad ??= import("ts-morph").then((module) => createParser(module.ts));
  return parserLoad;
}

// What the walker does with a node, looked up by SyntaxKind in a flat table so the hot loop
// is one array read and a dense switch.
const Role = {
  Other: 0,
  Identifier: 1,
  PrivateIdentifier: 2,
  NamedMember: 3,
  Class: 4,
  Interface: 5,
  TypeAlias: 6,
  Enum: 7,
  Namespace: 8,
  Variable: 9,
  Binary: 10,
} as const;

function createRoleTable(ts: TypeScript): Uint8Array {
  const kind = ts.SyntaxKind;
  const roles = new Uint8Array(kind.Count + 1);
  roles[kind.Identifier] = Role.Identifier;
  roles[kind.PrivateIdentifier] = Role.PrivateIdentifier;
  for (const member of [
    kind.PropertyAssignment,
    kind.PropertySignature,
    kind.PropertyDeclaration,
    kind.MethodDeclaration,
    kind.MethodSignature,
    kind.GetAccessor,
    kind.SetAccessor,
    kind.EnumMember,
  ]) {
    roles[member] = Role.NamedMember;
  }
  roles[kind.ClassDeclaration] = Role.Class;
  roles[kind.ClassExpression] = Role.Class;
  roles[kind.InterfaceDeclaration] = Role.Interface;
  roles[kind.TypeAliasDeclaration] = Role.TypeAlias;
  roles[kind.EnumDeclaration] = Role.Enum;
  roles[kind.ModuleDeclaration] = Role.Namespace;
  roles[kind.VariableDeclaration] = Role.Variable;
  roles[kind.BinaryExpression] = Role.Binary;
  return roles;
}

function createParser(ts: TypeScript): Parser {
  const roles = createRoleTable(ts);
  const sourceOptions: ts.CreateSourceFileOptions = {
    languageVersion: ts.ScriptTarget.Latest,
    // JSDoc is comment text, which never counts; skipping it also makes parsing faster.
    jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
  };
  return {
    collect(path, text, scriptKind) {
      const source = ts.createSourceFile(path, text, sourceOptions, false, ts.ScriptKind[scriptKind]);
      const isJavaScript = scriptKind === "JS" || scriptKind === "JSX";
      return new FileNameCollector(ts, roles, source, isJavaScript).collect();
    },
  };
}

type NamedMemberNode =
  | ts.PropertyAssignment
  | ts.PropertySignature
  | ts.PropertyDeclaration
  | ts.MethodDeclaration
  | ts.MethodSignature
  | ts.AccessorDeclaration
  | ts.EnumMember;

interface Container {
  name: string;
  kind: ContainerInfo["kind"];
  members: Set<string>;
  heritage: string[];
}

/** Walks one source file once, gathering identifiers and containers. */
class FileNameCollector {
  private readonly identifiers = new Set<string>();
  private readonly containers: Container[] = [];
  // `X.name = value` anywhere in the file adds `name` to a container X declared in the file
  // (`const registry = {}; registry.users = ...`).
  private readonly expandoMembers = new Map<string, Set<string>>();
  // Namespaces nested in an ambient one are ambient too; parents are not set, so the
  // walker marks them when it meets the outer namespace.
  private readonly ambientNamespaces = new Set<ts.Node>();
  private readonly pending: ts.Node[] = [];
  // Only exported module- and namespace-level object literals are containers: a local
  // `const context = { ... }` (in a function, or a test file's private helper) says nothing about
  // what a rule means by `context.report`.
  private readonly moduleLevel = new Set<ts.Node>();
  private readonly pushChild = (child: ts.Node): undefined => {
    this.pending.push(child);
    return undefined; // a truthy return would stop forEachChild
  };

  constructor(
    private readonly ts: TypeScript,
    private readonly roles: Uint8Array,
    private readonly source: ts.SourceFile,
    // JS classes declare fields by assigning `this.x = ...` in their methods.
    private readonly isJavaScript: boolean,
  ) {}

  collect(): FileNames {
    this.markModuleLevel(this.source.statements);
    // An explicit stack, not recursion: generated code can nest deeper than the call stack.
    this.pending.push(this.source);
    for (let node = this.pending.pop(); node !== undefined; node = this.pending.pop()) {
      this.visit(node);
    }
    return { identifiers: [...this.identifiers], containers: this.serializedContainers() };
  }

  private serializedContainers(): FileNames["containers"] {
    return this.containers.map(({ name, kind, members, heritage }) => {
      const expandos = this.expandoMembers.get(name);
      if (expandos && kind !== "enum") for (const member of expandos) members.add(member);
      return { name, kind, members: [...members], heritage };
    });
  }

  private visit(node: ts.Node): void {
    switch (this.roles[node.kind]) {
      case Role.Identifier:
        this.identifiers.add((node as ts.Identifier).text);
        return; // identifiers have no children
      case Role.PrivateIdentifier:
        addPrivateName((node as ts.PrivateIdentifier).text, this.identifiers);
        return;
      case Role.NamedMember:
        this.recordLiteralMemberName(node as NamedMemberNode);
        break;
      case Role.Class:
        this.recordClass(node as ts.ClassLikeDeclaration);
        break;
      case Role.Interface:
        this.recordInterface(node as ts.InterfaceDeclaration);
        break;
      case Role.TypeAlias:
        this.recordTypeAlias(node as ts.TypeAliasDeclaration);
        break;
      case Role.Enum:
        this.recordEnum(node as ts.EnumDeclaration);
        break;
      case Role.Namespace:
        this.recordNamespace(node as ts.ModuleDeclaration);
        break;
      case Role.Variable:
        this.recordVariable(node as ts.VariableDeclaration);
        break;
      case Role.Binary:
        this.recordExpandoAssignment(node as ts.BinaryExpression);
        break;
    }
    this.ts.forEachChild(node, this.pushChild);
  }

  /** `{ "foo-bar": 1 }`: the name is a string, but it declares a property. */
  private recordLiteralMemberName(node: NamedMemberNode): void {
    const kind = node.name.kind;
    if (kind === this.ts.SyntaxKind.Identifier || kind === this.ts.SyntaxKind.PrivateIdentifier) return;
    const name = this.propertyNameText(node.name);
    if (name !== undefined) this.identifiers.add(name);
  }

  private recordClass(node: ts.ClassLikeDeclaration): void {
    if (!node.name) return; // anonymous: a variable declaration names it, if anything
    this.addContainer(node.name.text, "class", this.classMembers(node), this.classHeritage(node));
  }

  private recordInterface(node: ts.InterfaceDeclaration): void {
    const members = this.typeElementNames(node.members);
    const heritage = [...this.heritageOf(node.heritageClauses), ...this.indexSignatureHeritage(node.members)];
    this.addContainer(node.name.text, "interface", members, heritage);
  }

  /** `type A = { ... }` and `type A = B & { ... }` behave as interfaces; other aliases do not. */
  private recordTypeAlias(node: ts.TypeAliasDeclaration): void {
    const shape = this.objectTypeShape(node.type);
    if (shape) this.addContainer(node.name.text, "interface", shape.members, shape.heritage);
  }

  private recordEnum(node: ts.EnumDeclaration): void {
    const members = new Set<string>();
    for (const member of node.members) this.addMemberName(member.name, members);
    this.addContainer(node.name.text, "enum", members, []);
  }

  private recordNamespace(node: ts.ModuleDeclaration): void {
    const ts = this.ts;
    // `declare module "pkg"` and `declare global` are not names a rule would write.
    if (node.name.kind !== ts.SyntaxKind.Identifier) return;
    if ((node.flags & ts.NodeFlags.GlobalAugmentation) !== 0) return;
    const members = this.namespaceMembers(node, this.isAmbient(node));
    this.addContainer(node.name.text, "namespace", members, []);
  }

  /** `const X = { ... }`, `const X = class { ... }`, `const X = Object.freeze({ ... })`. */
  private markModuleLevel(statements: ts.NodeArray<ts.Statement>): void {
    for (const statement of statements) {
      if (this.ts.isVariableStatement(statement) && this.isExported(statement)) {
        for (const declaration of statement.declarationList.declarations) this.moduleLevel.add(declaration);
      } else if (this.ts.isModuleDeclaration(statement) && statement.body && this.ts.isModuleBlock(statement.body)) {
        this.markModuleLevel(statement.body.statements);
      }
    }
  }

  private isExported(statement: ts.VariableStatement): boolean {
    return statement.modifiers?.some((m) => m.kind === this.ts.SyntaxKind.ExportKeyword) ?? false;
  }

  private recordVariable(node: ts.VariableDeclaration): void {
    const ts = this.ts;
    if (!node.initializer || node.name.kind !== ts.SyntaxKind.Identifier) return;
    const value = this.unwrapExpression(node.initializer);
    const name = node.name.text;
    if (ts.isClassExpression(value)) {
      this.addContainer(name, "class", this.classMembers(value), this.classHeritage(value));
      return;
    }
    const object = ts.isObjectLiteralExpression(value) ? value : this.frozenObjectLiteral(value);
    if (object && this.moduleLevel.has(node)) {
      const { members, heritage } = this.objectLiteralShape(object);
      this.addContainer(name, "object", members, heritage);
    }
  }

  private recordExpandoAssignment(node: ts.BinaryExpression): void {
    const target = node.left;
    if (!this.isAssignment(node) || !this.ts.isPropertyAccessExpression(target)) return;
    const object = target.expression;
    if (!this.ts.isIdentifier(object)) return;
    let members = this.expandoMembers.get(object.text);
    if (!members) this.expandoMembers.set(object.text, (members = new Set()));
    members.add(target.name.text);
  }

  private isAssignment(node: ts.BinaryExpression): boolean {
    const operator = node.operatorToken.kind;
    const kinds = this.ts.SyntaxKind;
    return operator >= kinds.FirstAssignment && operator <= kinds.LastAssignment;
  }

  private classHeritage(node: ts.ClassLikeDeclaration): string[] {
    return [...this.heritageOf(node.heritageClauses), ...this.indexSignatureHeritage(node.members)];
  }

  private addContainer(
    name: string,
    kind: ContainerInfo["kind"],
    members: Set<string>,
    heritage: string[],
  ): void {
    this.containers.push({ name, kind, members, heritage });
  }

  private classMembers(node: ts.ClassLikeDeclaration): Set<string> {
    const members = new Set<string>();
    for (const member of node.members) {
      if (this.ts.isConstructorDeclaration(member)) {
        members.add("constructor");
        this.addParameterProperties(member, members);
      } else if (member.name) {
        this.addMemberName(member.name, members);
      }
    }
    if (this.isJavaScript) this.addThisAssignments(node, members);
    return members;
  }

  /** `this.cache = new Map()` in any method of a JS class. */
  private addThisAssignments(node: ts.ClassLikeDeclaration, into: Set<string>): void {
    const ts = this.ts;
    const pending: ts.Node[] = [...node.members];
    const push = (child: ts.Node): undefined => {
      // A nested class has its own `this`.
      if (!ts.isClassLike(child)) pending.push(child);
      return undefined;
    };
    for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
      if (ts.isBinaryExpression(current) && this.isAssignment(current)) {
        const target = current.left;
        if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
          this.addMemberName(target.name, into);
        }
      }
      ts.forEachChild(current, push);
    }
  }

  /** An index signature admits any member name, so it goes into heritage (see there). */
  private indexSignatureHeritage(elements: ts.NodeArray<ts.ClassElement | ts.TypeElement>): string[] {
    const signatures = elements.filter((element) => this.ts.isIndexSignatureDeclaration(element));
    return signatures.map((signature) => signature.getText(this.source).replace(/;$/, ""));
  }

  /** `constructor(private readonly repo: Repo)` declares a `repo` member. */
  private addParameterProperties(constructor: ts.ConstructorDeclaration, into: Set<string>): void {
    const ts = this.ts;
    for (const parameter of constructor.parameters) {
      const isProperty = ts.getModifiers(parameter)?.some((modifier) => isParameterPropertyModifier(ts, modifier));
      if (isProperty && ts.isIdentifier(parameter.name)) into.add(parameter.name.text);
    }
  }

  private typeElementNames(elements: ts.NodeArray<ts.TypeElement>): Set<string> {
    const members = new Set<string>();
    for (const element of elements) if (element.name) this.addMemberName(element.name, members);
    return members;
  }

  private objectTypeShape(type: ts.TypeNode): { members: Set<string>; heritage: string[] } | undefined {
    const ts = this.ts;
    const inner = ts.isParenthesizedTypeNode(type) ? type.type : type;
    if (ts.isTypeLiteralNode(inner)) {
      return { members: this.typeElementNames(inner.members), heritage: this.indexSignatureHeritage(inner.members) };
    }
    if (!ts.isIntersectionTypeNode(inner)) return undefined;
    const members = new Set<string>();
    const heritage: string[] = [];
    for (const part of inner.types) {
      if (ts.isTypeLiteralNode(part)) {
        for (const name of this.typeElementNames(part.members)) members.add(name);
        heritage.push(...this.indexSignatureHeritage(part.members));
      } else {
        heritage.push(this.typeHeritageName(part));
      }
    }
    return { members, heritage };
  }

  private typeHeritageName(type: ts.TypeNode): string {
    const ts = this.ts;
    if (!ts.isTypeReferenceNode(type)) return type.getText(this.source);
    const name = type.typeName;
    return ts.isIdentifier(name) ? name.text : name.right.text;
  }

  private objectLiteralShape(object: ts.ObjectLiteralExpression): { members: Set<string>; heritage: string[] } {
    const ts = this.ts;
    const members = new Set<string>();
    const heritage: string[] = [];
    for (const property of object.properties) {
      if (ts.isSpreadAssignment(property)) heritage.push(this.expressionHeritageName(property.expression));
      else if (property.name) this.addMemberName(property.name, members);
    }
    return { members, heritage };
  }

  private frozenObjectLiteral(value: ts.Expression): ts.ObjectLiteralExpression | undefined {
    const ts = this.ts;
    if (!ts.isCallExpression(value)) return undefined;
    const callee = value.expression;
    const isObjectFreeze =
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === "Object" &&
      callee.name.text === "freeze";
    const argument = value.arguments[0];
    if (!isObjectFreeze || !argument) return undefined;
    const object = this.unwrapExpression(argument);
    return ts.isObjectLiteralExpression(object) ? object : undefined;
  }

  /** `X as const`, `X satisfies T`, `(X)`, `<T>X`, `X!` all still declare X's shape. */
  private unwrapExpression(expression: ts.Expression): ts.Expression {
    const ts = this.ts;
    let current = expression;
    for (;;) {
      if (
        ts.isParenthesizedExpression(current) ||
        ts.isAsExpression(current) ||
        ts.isSatisfiesExpression(current) ||
        ts.isTypeAssertionExpression(current) ||
        ts.isNonNullExpression(current)
      ) {
        current = current.expression;
      } else {
        return current;
      }
    }
  }

  private heritageOf(clauses: ts.NodeArray<ts.HeritageClause> | undefined): string[] {
    if (!clauses) return [];
    const names: string[] = [];
    for (const clause of clauses) {
      for (const type of clause.types) names.push(this.expressionHeritageName(type.expression));
    }
    return names;
  }

  /**
   * `Base` for `Base`, `ns.Base` and `Mixin(Base)`'s callee `Mixin`; any other shape keeps its
   * source text, which names no container and so reads as "members may come from elsewhere".
   */
  private expressionHeritageName(expression: ts.Expression): string {
    const ts = this.ts;
    const inner = this.unwrapExpression(expression);
    if (ts.isIdentifier(inner)) return inner.text;
    if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
    if (ts.isCallExpression(inner)) return this.expressionHeritageName(inner.expression);
    return inner.getText(this.source);
  }

  private isAmbient(node: ts.ModuleDeclaration): boolean {
    if (this.source.isDeclarationFile || this.ambientNamespaces.has(node)) return true;
    const ts = this.ts;
    return ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword) ?? false;
  }

  /**
   * Exported declarations; in an ambient namespace (`declare namespace`, `.d.ts`) every
   * declaration, since those are visible from outside without `export`.
   */
  private namespaceMembers(node: ts.ModuleDeclaration, ambient: boolean): Set<string> {
    const ts = this.ts;
    const members = new Set<string>();
    const body = node.body;
    if (!body) return members;
    if (ts.isModuleDeclaration(body)) {
      // `namespace A.B {}`: B is a member of A.
      if (ts.isIdentifier(body.name)) members.add(body.name.text);
      if (ambient) this.ambientNamespaces.add(body);
      return members;
    }
    if (!ts.isModuleBlock(body)) return members;
    for (const statement of body.statements) {
      if (ambient && ts.isModuleDeclaration(statement)) this.ambientNamespaces.add(statement);
      if (ts.isExportDeclaration(statement)) this.addExportedNames(statement, members);
      else if (ambient || this.hasExportModifier(statement)) this.addDeclaredNames(statement, members);
    }
    return members;
  }

  private hasExportModifier(statement: ts.Statement): boolean {
    const ts = this.ts;
    if (!ts.canHaveModifiers(statement)) return false;
    return ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
  }

  /** `export { a, b as c }` inside a namespace: the exported names, `a` and `c`. */
  private addExportedNames(statement: ts.ExportDeclaration, into: Set<string>): void {
    const clause = statement.exportClause;
    if (!clause || !this.ts.isNamedExports(clause)) return;
    for (const element of clause.elements) {
      const name = this.propertyNameText(element.name);
      if (name !== undefined) into.add(name);
    }
  }

  private addDeclaredNames(statement: ts.Statement, into: Set<string>): void {
    const ts = this.ts;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) this.addBindingNames(declaration.name, into);
      return;
    }
    if (
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isModuleDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement)
    ) {
      if (statement.name && ts.isIdentifier(statement.name)) into.add(statement.name.text);
    }
  }

  private addBindingNames(name: ts.BindingName, into: Set<string>): void {
    const ts = this.ts;
    if (ts.isIdentifier(name)) {
      into.add(name.text);
      return;
    }
    for (const element of name.elements) {
      if (!ts.isOmittedExpression(element)) this.addBindingNames(element.name, into);
    }
  }

  private addMemberName(name: ts.PropertyName, into: Set<string>): void {
    if (name.kind === this.ts.SyntaxKind.PrivateIdentifier) {
      addPrivateName(name.text, into);
      return;
    }
    const text = this.propertyNameText(name);
    if (text !== undefined) into.add(text);
  }

  /** The written name, or undefined for computed names that are not string literals. */
  private propertyNameText(name: ts.PropertyName | ts.ModuleExportName): string | undefined {
    const ts = this.ts;
    if (ts.isComputedPropertyName(name)) {
      const expression = name.expression;
      return ts.isStringLiteralLike(expression) ? expression.text : undefined;
    }
    return name.text;
  }
}

function isParameterPropertyModifier(ts: TypeScript, modifier: ts.ModifierLike): boolean {
  const kind = modifier.kind;
  const keywords = ts.SyntaxKind;
  return (
    kind === keywords.PublicKeyword ||
    kind === keywords.PrivateKeyword ||
    kind === keywords.ProtectedKeyword ||
    kind === keywords.ReadonlyKeyword ||
    kind === keywords.OverrideKeyword
  );
}

/** `#secret` is stored as written and bare, since prose usually drops the `#`. */
function addPrivateName(text: string, into: Set<string>): void {
  into.add(text);
  into.add(text.slice(1));
}
