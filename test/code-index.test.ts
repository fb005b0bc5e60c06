import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildCodeIndex, createCodeIndex, EXTRACTOR_FINGERPRINT, extractFileNames, indexCodebase } from "../src/codebase/code-index.js";
import { openIndexCache } from "../src/codebase/index-cache.js";
import { SearchedIndex } from "../src/codebase/searched-index.js";
import { plainDirectorySource } from "../src/git/file-source.js";
import type { CodeIndex, ContainerInfo } from "../src/harness/types.js";

const temporaryDirectories: string[] = [];

afterEach(async () => {
  await Promise.all(temporaryDirectories.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function makeTemporaryDirectory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "code-index-"));
  temporaryDirectories.push(dir);
  return dir;
}

/** Writes the files into a fresh repo directory and indexes exactly those files. */
async function indexRepo(files: Record<string, string | Uint8Array>, maxFileBytes?: number): Promise<CodeIndex> {
  const root = await makeTemporaryDirectory();
  await writeFiles(root, files);
  return buildCodeIndex(root, Object.keys(files), maxFileBytes === undefined ? {} : { maxFileBytes });
}

async function writeFiles(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

function onlyContainer(index: CodeIndex, name: string): ContainerInfo {
  const containers = index.containers(name);
  expect(containers).toHaveLength(1);
  return containers![0]!;
}

describe("buildCodeIndex: declarations and uses in TS/JS", () => {
  it("finds declared classes, functions, consts, enums, interfaces and type aliases", async () => {
    const index = await indexRepo({
      "src/user.ts": [
        "export class UserService {}",
        "export function parseRow(row: string) { return row; }",
        "export const MAX_ROWS = 10;",
        "export enum Color { Red }",
        "export interface UserRecord { id: string }",
        "export type RowParser = (row: string) => string;",
      ].join("\n"),
    });
    for (const name of ["UserService", "parseRow", "MAX_ROWS", "Color", "UserRecord", "RowParser", "row"]) {
      expect(index.has(name), name).toBe(true);
    }
    expect(index.has("NotDeclaredAnywhere")).toBe(false);
  });

  it("does not count names that appear only in comments or in prose inside strings of a .ts file", async () => {
    const index = await indexRepo({
      "src/a.ts": [
        "// OnlyInLineComment is mentioned here",
        "/* OnlyInBlockComment */",
        "/** @see OnlyInJsDoc */",
        'const message = "call OnlyInDoubleQuotes first";',
        "const other = 'OnlyInSingleQuotes.';",
        'type Literal = "see OnlyInStringType";',
        "const tpl = `OnlyInTemplate ${message}`;",
      ].join("\n"),
    });
    for (const name of ["OnlyInLineComment", "OnlyInBlockComment", "OnlyInJsDoc", "OnlyInDoubleQuotes", "OnlyInSingleQuotes", "OnlyInStringType", "OnlyInTemplate"]) {
      expect(index.has(name), name).toBe(false);
    }
    expect(index.has("message")).toBe(true);
  });

  it("counts a string literal whose whole text is one name: env vars, tool and event names", async () => {
    const index = await indexRepo({
      "src/a.ts": [
        'const id = process.env["CLOUDFLARE_CLIENT_ID"];',
        "server.tool('comment_on_github_issue', handler);",
        'type Event = "slow_down" | "rate_limited";',
        "const tag = `WholeTemplateName`;",
        'import { x } from "some_module";',
        'export * from "other_module";',
      ].join("\n"),
    });
    for (const name of ["CLOUDFLARE_CLIENT_ID", "comment_on_github_issue", "slow_down", "rate_limited", "WholeTemplateName"]) {
      expect(index.has(name), name).toBe(true);
    }
    expect(index.has("some_module"), "a module specifier names a package").toBe(false);
    expect(index.has("other_module"), "a module specifier names a package").toBe(false);
  });

  it("parses Python and Go: comments and docstrings never count, code and whole-name strings do", async () => {
    const index = await indexRepo({
      "tool/main.py": '# py_comment_name\ndef load_rows():\n    """PyDocstringName"""\n    return "PyStringName"\n',
      "cmd/main.go": "package main\n// GoCommentName\nfunc ServeHTTP() {}\n",
    });
    for (const name of ["load_rows", "PyStringName", "ServeHTTP"]) expect(index.has(name), name).toBe(true);
    for (const name of ["py_comment_name", "PyDocstringName", "GoCommentName"]) expect(index.has(name), name).toBe(false);
  });

  it("counts any whole-word token of files in languages with no parser, and nothing from prose", async () => {
    const index = await indexRepo({
      "docs/guide.md": "Call `MarkdownName.method()` first.\n",
      CHANGELOG: "Renamed ChangelogName\n",
      "HISTORY.rst": "HistoryName\n",
      "package-lock.json": '{"LockName": 1}\n',
      "Cargo.lock": "CargoLockName\n",
      ".harness-baseline.json": '{"BaselineName": 1}\n',
      "config.yaml": "retry_limit: 3\n",
      "scripts/run.sh": 'echo "$DEPLOY_TARGET" ${OTHER_VAR} # shell_comment_name\n',
      "data/ids.txt": "0xBEEF 9lives TextName",
      "app/Main.kt": "// KotlinCommentName\nfun kotlinFun() {}\n",
    });
    for (const name of ["retry_limit", "DEPLOY_TARGET", "$DEPLOY_TARGET", "OTHER_VAR", "shell_comment_name", "kotlinFun", "KotlinCommentName"]) {
      expect(index.has(name), name).toBe(true);
    }
    for (const name of ["MarkdownName", "method", "ChangelogName", "HistoryName", "LockName", "CargoLockName", "BaselineName", "TextName", "xBEEF", "lives"]) {
      expect(index.has(name), name).toBe(false);
    }
  });

  it("gives Python, Go, Rust and Ruby containers their members, across files", async () => {
    const index = await indexRepo({
      "app/importer.py":
        "from enum import Enum\nclass AccountImporter(BaseImporter):\n    batch = 1\n    def load_rows(self):\n        self.rows = []\nclass Mode(Enum):\n    FAST = 1\nclass Loose:\n    def __getattr__(self, name): pass\n",
      "importer/importer.go": "package importer\ntype AccountImporter struct { Path string }\n",
      "importer/load.go": "package importer\nfunc (i *AccountImporter) LoadRows() {}\n",
      "src/lib.rs": "#[derive(Debug, Clone)]\npub struct Importer { path: String }\nimpl Importer { pub fn load_rows(&self) {} }\nimpl Named for Importer {}\npub enum Mode { Fast }\n",
      "lib/importer.rb": "class Importer < ApplicationRecord\n  attr_reader :path\n  def load_rows; end\nend\n",
    });
    const members = (name: string) => new Set(index.containers(name)!.flatMap((info) => [...info.members]));
    expect(members("AccountImporter")).toEqual(new Set(["batch", "load_rows", "rows", "Path", "LoadRows"]));
    expect(index.containers("Mode")!.map((info) => info.kind)).toEqual(["enum", "enum"]);
    expect(members("Mode")).toEqual(new Set(["FAST", "name", "value", "Fast"]));
    // An Enum subclass's members are the ones written, not "anything from Enum".
    expect(index.containers("Mode")!.flatMap((info) => info.heritage)).toEqual([]);
    expect(index.containers("Loose")![0]!.heritage).toEqual(["__getattr__"]);
    const importer = index.containers("Importer")!;
    expect(new Set(importer.flatMap((info) => [...info.members]))).toEqual(new Set(["path", "load_rows", "fmt", "clone", "clone_from"]));
    expect(importer.flatMap((info) => info.heritage).sort()).toEqual(["ApplicationRecord", "Named"]);
  });

  it("with wordFallback off, counts only parsed code", async () => {
    const root = await makeTemporaryDirectory();
    await writeFiles(root, { "scripts/run.sh": "deploy_target\n", "app/Main.kt": "fun kotlinFun() {}\n", "src/a.py": "def py_fun(): pass\n" });
    const files = ["scripts/run.sh", "app/Main.kt", "src/a.py"];
    const index = await buildCodeIndex(root, files, { wordFallback: false });
    expect(index.has("py_fun")).toBe(true);
    expect(index.has("deploy_target")).toBe(false);
    expect(index.has("kotlinFun")).toBe(false);
  });

  it("finds identifiers used from imports and external APIs", async () => {
    const index = await indexRepo({
      "src/app.tsx": [
        'import { useState } from "react";',
        'import express from "express";',
        'import * as z from "zod";',
        "const router = express.Router();",
        "const schema = z.object({});",
        "export function App() { const [count] = useState(0); return count; }",
      ].join("\n"),
    });
    for (const name of ["useState", "express", "Router", "z", "object", "router", "schema", "count"]) {
      expect(index.has(name), name).toBe(true);
    }
    expect(index.has("react"), "module specifiers are strings").toBe(false);
  });

  it("counts identifiers inside template expressions but not template text", async () => {
    const index = await indexRepo({
      "src/t.ts": ["const user = { name: 'x' };", "export const greeting = `TemplateTextWord ${formatName(user.name)} and ${otherValue}`;", "type Route = `RouteTextWord/${RouteParam}`;"].join("\n"),
    });
    for (const name of ["formatName", "user", "name", "otherValue", "RouteParam"]) {
      expect(index.has(name), name).toBe(true);
    }
    expect(index.has("TemplateTextWord")).toBe(false);
    expect(index.has("RouteTextWord")).toBe(false);
  });

  it("finds JSX tag and attribute names, not JSX text", async () => {
    const index = await indexRepo({
      "src/view.tsx": "export const View = () => <UserCard userId={id} data-role='x'>JsxTextWord</UserCard>;\n",
      "src/legacy.jsx": "export const Old = () => <LegacyPanel onSelect={handleSelect} />;\n",
      "src/plain.js": "export const InJs = () => <PlainJsTag flag />;\n",
    });
    for (const name of ["UserCard", "userId", "id", "data-role", "LegacyPanel", "onSelect", "handleSelect", "PlainJsTag", "flag"]) {
      expect(index.has(name), name).toBe(true);
    }
    expect(index.has("JsxTextWord")).toBe(false);
  });

  it("parses files that start with a byte order mark", async () => {
    const index = await indexRepo({ "src/bom.ts": '\uFEFFexport const AfterBom = "see InBomString";\n' });
    expect(index.has("AfterBom")).toBe(true);
    expect(index.has("InBomString")).toBe(false);
  });

  it("indexes a file with syntax errors without throwing", async () => {
    const index = await indexRepo({
      "src/broken.ts": "export class Broken {\n  method( {\n    return helperCall(;\n}\nconst afterError = 1;\n",
    });
    expect(index.has("Broken")).toBe(true);
    expect(index.has("helperCall")).toBe(true);
    expect(index.has("afterError")).toBe(true);
  });

  it("walks code nested deeper than the call stack without recursion", async () => {
    const terms = Array.from({ length: 20_000 }, (_, i) => `term${i}`).join(" +\n");
    const index = await indexRepo({ "src/generated.ts": `export const total = ${terms};\nconst s = "see NotCounted";\n` });
    expect(index.has("total")).toBe(true);
    expect(index.has("term19999")).toBe(true);
    expect(index.has("NotCounted"), "parsed, not tokenised").toBe(false);
  });

  it("falls back to tokens when nesting overflows the parser itself", async () => {
    const nested = `export const deepValue = ${"(\n".repeat(10_000)}innerName${")\n".repeat(10_000)};\n`;
    const index = await indexRepo({ "src/parens.ts": nested });
    expect(index.has("deepValue")).toBe(true);
    expect(index.has("innerName")).toBe(true);
  });

  it("stores private names with and without #, and string-literal property names", async () => {
    const index = await indexRepo({
      "src/p.ts": 'class Vault { #secret = 1; "quoted-field" = 2; }\nconst headers = { "x-request-id": 1 };\n',
    });
    expect(index.has("#secret")).toBe(true);
    expect(index.has("secret")).toBe(true);
    expect(index.has("quoted-field")).toBe(true);
    expect(index.has("x-request-id")).toBe(true);
  });
});

describe("buildCodeIndex: containers", () => {
  it("records class members, parameter properties, accessors and static members", async () => {
    const index = await indexRepo({
      "src/importer.ts": [
        "export class UserImporter extends BaseImporter implements Importer, Disposable {",
        "  static readonly DEFAULT_BATCH = 100;",
        "  private cache = new Map();",
        "  #token = '';",
        "  constructor(private readonly repo: Repo, public logger: Logger, plainArg: number) { super(); }",
        "  importRows() {}",
        "  get count() { return 0; }",
        "  set count(value: number) {}",
        "  static create() { return new UserImporter(null!, null!, 0); }",
        "  [Symbol.iterator]() {}",
        "}",
      ].join("\n"),
    });
    const importer = onlyContainer(index, "UserImporter");
    expect(importer.kind).toBe("class");
    for (const member of ["DEFAULT_BATCH", "cache", "#token", "token", "repo", "logger", "importRows", "count", "create", "constructor"]) {
      expect(importer.members.has(member), member).toBe(true);
    }
    expect(importer.members.has("plainArg")).toBe(false);
    expect(importer.heritage).toEqual(["BaseImporter", "Importer", "Disposable"]);
  });

  it("records interface members and extends, keeping the last name of a qualified base", async () => {
    const index = await indexRepo({
      "src/types.ts": [
        "export interface Repo extends Base, api.Resource<string> {",
        "  findById(id: string): unknown;",
        "  readonly name: string;",
        "  'quoted-key'?: number;",
        "  (call: number): void;",
        "  [key: string]: unknown;",
        "}",
        "class Widget extends ui.Component {}",
        "class Mixed extends Mixin(Base) {}",
      ].join("\n"),
    });
    const repo = onlyContainer(index, "Repo");
    expect(repo.kind).toBe("interface");
    expect([...repo.members].sort()).toEqual(["findById", "name", "quoted-key"]);
    // The index signature admits any member, so it is kept where a checker looks for "members
    // may come from elsewhere".
    expect(repo.heritage).toEqual(["Base", "Resource", "[key: string]: unknown"]);
    expect(onlyContainer(index, "Widget").heritage).toEqual(["Component"]);
    expect(onlyContainer(index, "Mixed").heritage).toEqual(["Mixin"]);
  });

  it("records fields a JS class declares by assigning this.x, but not a nested class's", async () => {
    const index = await indexRepo({
      "src/cart.js": [
        "export class Cart {",
        "  constructor() { this.items = []; this.total ??= 0; }",
        "  add(item) { this.lastAdded = item; const f = () => { this.viaArrow = 1; }; }",
        "  build() { return class Inner { constructor() { this.innerOnly = 1; } }; }",
        "}",
      ].join("\n"),
      "src/cart.ts": "export class TsCart { constructor() { this.notAField = 1; } }\n",
    });
    const cart = onlyContainer(index, "Cart");
    for (const member of ["items", "total", "lastAdded", "viaArrow", "add", "build"]) {
      expect(cart.members.has(member), member).toBe(true);
    }
    expect(cart.members.has("innerOnly")).toBe(false);
    expect(onlyContainer(index, "Inner").members.has("innerOnly")).toBe(true);
    expect(onlyContainer(index, "TsCart").members.has("notAField"), "TS declares fields explicitly").toBe(false);
  });

  it("adds members assigned later in the same file (X.name = value)", async () => {
    const index = await indexRepo({
      "src/registry.ts": [
        "export const registry: Record<string, () => void> = { initial() {} };",
        "registry.users = () => {};",
        "registry.count += 1;",
        "export class Widget {}",
        "Widget.defaultProps = {};",
        "other.unrelated = 1;",
      ].join("\n"),
    });
    expect([...onlyContainer(index, "registry").members].sort()).toEqual(["count", "initial", "users"]);
    expect([...onlyContainer(index, "Widget").members]).toEqual(["defaultProps"]);
    expect(index.containers("other")).toBeUndefined();
  });

  it("keeps index signatures of classes and type literals in heritage", async () => {
    const index = await indexRepo({
      "src/env.ts": ["export type Env = { NODE_ENV: string; [name: string]: string | undefined };", "export class Bag { [key: string]: unknown; size = 0; }"].join("\n"),
    });
    expect(onlyContainer(index, "Env").heritage).toEqual(["[name: string]: string | undefined"]);
    expect(onlyContainer(index, "Bag").heritage).toEqual(["[key: string]: unknown"]);
    expect([...onlyContainer(index, "Bag").members]).toEqual(["size"]);
  });

  it("records enum members", async () => {
    const index = await indexRepo({ "src/e.ts": 'export enum Status { Active, Disabled = 2, "Pending-Review" = 3 }\n' });
    const status = onlyContainer(index, "Status");
    expect(status.kind).toBe("enum");
    expect([...status.members].sort()).toEqual(["Active", "Disabled", "Pending-Review"]);
  });

  it("treats object type aliases (and intersections with them) as interfaces", async () => {
    const index = await indexRepo({
      "src/t.ts": ["export type Options = { verbose: boolean; run(): void };", "export type Extended = Options & { extra: number } & ns.Other;", "export type NotAContainer = 'a' | 'b';"].join("\n"),
    });
    const options = onlyContainer(index, "Options");
    expect(options.kind).toBe("interface");
    expect([...options.members].sort()).toEqual(["run", "verbose"]);
    const extended = onlyContainer(index, "Extended");
    expect([...extended.members]).toEqual(["extra"]);
    expect(extended.heritage).toEqual(["Options", "Other"]);
    expect(index.containers("NotAContainer")).toBeUndefined();
    expect(index.has("NotAContainer")).toBe(true);
  });

  it("gives an alias the members of what it names, and open members when it names something unlisted", async () => {
    const index = await indexRepo({
      "src/a.ts": ["export interface Base { id: string }", "export type Same = Base;", "export type Inferred = z.infer<typeof Schema>;", "export type Far = ns.Model;"].join("\n"),
    });
    expect(onlyContainer(index, "Same").heritage).toEqual(["Base"]);
    expect(onlyContainer(index, "Inferred").heritage).toEqual(["(alias)"]);
    expect(onlyContainer(index, "Far").heritage).toEqual(["ns.Model"]);
  });

  it("records object literal members, with spreads as heritage", async () => {
    const index = await indexRepo({
      "src/o.ts": [
        "const shared = { retries: 1 };",
        "const verbose = true;",
        "export const config = {",
        "  ...shared,",
        "  verbose,",
        "  timeout: 30,",
        "  'content-type': 'json',",
        "  load() {},",
        "  get ready() { return true; },",
        "} as const;",
        "export let Colors = Object.freeze({ RED: 1, BLUE: 2 });",
        "var Handler = class { handle() {} };",
      ].join("\n"),
    });
    const config = onlyContainer(index, "config");
    expect(config.kind).toBe("object");
    expect([...config.members].sort()).toEqual(["content-type", "load", "ready", "timeout", "verbose"]);
    expect(config.heritage).toEqual(["shared"]);
    expect([...onlyContainer(index, "Colors").members].sort()).toEqual(["BLUE", "RED"]);
    const handler = onlyContainer(index, "Handler");
    expect(handler.kind).toBe("class");
    expect([...handler.members]).toEqual(["handle"]);
  });

  it("ignores object literals that are local or not exported: they say nothing about a rule's `x.y`", async () => {
    const index = await indexRepo({
      "src/local.ts": ["const context = { color: false };", "export function run() { const options = { verbose: true }; return options; }"].join("\n"),
    });
    expect(index.containers("context")).toBeUndefined();
    expect(index.containers("options")).toBeUndefined();
    expect(index.has("context")).toBe(true);
  });

  it("records exported namespace members; in ambient namespaces every declaration", async () => {
    const index = await indexRepo({
      "src/ns.ts": [
        "export namespace Utils {",
        "  export function format() {}",
        "  export const { left, right: renamed } = { left: 1, right: 2 };",
        "  function hidden() {}",
        "  const local = 1;",
        "  export { local as publicLocal };",
        "}",
        "namespace Outer.Inner { export const deep = 1; }",
      ].join("\n"),
      "types/global.d.ts": "declare namespace Api { function call(): void; namespace Nested { const value: number; } }\n",
    });
    const utils = onlyContainer(index, "Utils");
    expect(utils.kind).toBe("namespace");
    expect([...utils.members].sort()).toEqual(["format", "left", "publicLocal", "renamed"]);
    expect([...onlyContainer(index, "Outer").members]).toEqual(["Inner"]);
    expect([...onlyContainer(index, "Inner").members]).toEqual(["deep"]);
    expect([...onlyContainer(index, "Api").members].sort()).toEqual(["Nested", "call"]);
    expect([...onlyContainer(index, "Nested").members]).toEqual(["value"]);
  });

  it("returns every declaration of a name across files", async () => {
    const index = await indexRepo({
      "src/a.ts": "export class Shape { area() {} }\n",
      "src/b.ts": "export interface Shape { color: string }\n",
    });
    const shapes = index.containers("Shape") ?? [];
    expect(shapes.map((shape) => shape.kind)).toEqual(["class", "interface"]);
    expect(index.containers("Missing")).toBeUndefined();
  });
});

describe("buildCodeIndex: which files are parsed, tokenised or skipped", () => {
  it("treats .min. files and files with a line over 10,000 characters as tokens only", async () => {
    // Tokens only means the contents of strings and comments count there: minified code is
    // never parsed, and erring towards "exists" only hides a stale finding.
    const longLine = `const filler = "${"x".repeat(10_001)}"; const s = "see NameInLongLineString";\n`;
    const index = await indexRepo({
      "public/vendor.min.js": 'var a="see NameInMinifiedString";/* NameInMinifiedComment */\n',
      "src/generated.ts": longLine,
      "src/normal.ts": 'const s = "see NameInNormalString";\n',
    });
    expect(index.has("NameInMinifiedString")).toBe(true);
    expect(index.has("NameInMinifiedComment")).toBe(true);
    expect(index.has("NameInLongLineString")).toBe(true);
    expect(index.has("NameInNormalString")).toBe(false);
    expect(index.containers("filler")).toBeUndefined();
  });

  it("tokenises text files over maxFileBytes instead of parsing them", async () => {
    const big = `class BigClass { m() {} }\nconst s = "NameInBigString";\n${"// padding\n".repeat(50)}`;
    const index = await indexRepo({ "src/big.ts": big }, 200);
    expect(index.has("BigClass")).toBe(true);
    expect(index.has("NameInBigString")).toBe(true);
    expect(index.containers("BigClass")).toBeUndefined();
  });

  it("keeps tokens and multi-byte characters intact across read chunks of a large file", async () => {
    const chunk = 1 << 20;
    // "é" is two bytes: the prefix makes both the token and a multi-byte character straddle 1 MiB.
    const prefix = "é ".repeat(Math.floor((chunk - 5) / 3));
    const text = `${prefix}StraddlingToken${" tail".repeat(1000)}\n`;
    expect(Buffer.byteLength(prefix)).toBeLessThan(chunk);
    expect(Buffer.byteLength(prefix) + "StraddlingToken".length).toBeGreaterThan(chunk);
    const index = await indexRepo({ "data/large.csv": text });
    expect(index.has("StraddlingToken")).toBe(true);
    expect(index.has("Straddling")).toBe(false);
    expect(index.has("tail")).toBe(true);
  });

  it("skips binary files, large or small", async () => {
    const binary = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0x42, 0x69, 0x6e, 0x61, 0x72, 0x79, 0x4e, 0x61, 0x6d, 0x65]);
    const largeBinary = new Uint8Array(5000);
    largeBinary.set(new TextEncoder().encode("LargeBinaryName"), 100);
    const index = await indexRepo({ "assets/logo.png": binary, "assets/blob.bin": largeBinary }, 1000);
    expect(index.has("BinaryName")).toBe(false);
    expect(index.has("LargeBinaryName")).toBe(false);
  });

  it("ignores symlinks (to files or directories) that lead outside the root, follows those inside", async () => {
    const outside = await makeTemporaryDirectory();
    await writeFiles(outside, { "secret.ts": "export const OutsideSecret = 1;\n", "lib/x.ts": "export const OutsideDir = 1;\n" });
    const root = await makeTemporaryDirectory();
    await writeFiles(root, { "src/real.ts": "export const InsideTarget = 1;\n" });
    await symlink(join(outside, "secret.ts"), join(root, "leak.ts"));
    await symlink(join(outside, "lib"), join(root, "linked-dir"));
    await symlink(join(root, "src/real.ts"), join(root, "alias.ts"));
    const index = await buildCodeIndex(root, ["leak.ts", "linked-dir/x.ts", "alias.ts"]);
    expect(index.has("OutsideSecret")).toBe(false);
    expect(index.has("OutsideDir")).toBe(false);
    expect(index.has("InsideTarget")).toBe(true);
  });

  it("rejects paths that climb out of the root or are absolute", async () => {
    const outside = await makeTemporaryDirectory();
    await writeFiles(outside, { "escape.ts": "export const EscapedName = 1;\n" });
    const root = await makeTemporaryDirectory();
    await writeFiles(root, { "src/ok.ts": "export const OkName = 1;\n" });
    const climbing = join("..", outside.slice(outside.lastIndexOf("/") + 1), "escape.ts");
    const index = await buildCodeIndex(root, [climbing, `src/../${climbing}`, join(outside, "escape.ts"), "src/ok.ts"]);
    expect(index.has("EscapedName")).toBe(false);
    expect(index.has("OkName")).toBe(true);
  });

  it("skips files that cannot be read, and directories, silently", async () => {
    const root = await makeTemporaryDirectory();
    await writeFiles(root, { "src/ok.ts": "export const StillIndexed = 1;\n", "src/dir/inner.md": "x" });
    const index = await buildCodeIndex(root, ["src/deleted.ts", "src/dir", "src/ok.ts"]);
    expect(index.has("StillIndexed")).toBe(true);
  });

  it("returns an empty index for a root that does not exist", async () => {
    const index = await buildCodeIndex(join(tmpdir(), "code-index-no-such-root-dir"), ["a.ts"]);
    expect(index.has("a")).toBe(false);
  });
});

describe("extractFileNames and createCodeIndex", () => {
  it("produce plain JSON that round-trips into the same index", async () => {
    const parts = [await extractFileNames("src/a.ts", "export class Store extends Base { load() {} }\n"), await extractFileNames("jobs.sh", "run_job\n")];
    const restored = JSON.parse(JSON.stringify(parts)) as typeof parts;
    const index = createCodeIndex(restored);
    expect(index.has("Store")).toBe(true);
    expect(index.has("run_job")).toBe(true);
    const store = onlyContainer(index, "Store");
    expect(store).toEqual({ kind: "class", members: new Set(["load"]), heritage: ["Base"] });
  });

  it("merges containers of the same name from several files", () => {
    const index = createCodeIndex([
      { identifiers: ["Api"], containers: [{ name: "Api", kind: "namespace", members: ["a"], heritage: [] }] },
      { identifiers: ["Api"], containers: [{ name: "Api", kind: "interface", members: ["b"], heritage: ["Base"] }] },
    ]);
    expect(index.containers("Api")?.map((c) => [...c.members])).toEqual([["a"], ["b"]]);
  });

  it("parses each TS/JS extension, including .d.ts", async () => {
    for (const path of ["a.ts", "a.mts", "a.cts", "a.d.ts", "a.js", "a.mjs", "a.cjs"]) {
      const names = await extractFileNames(path, 'export const declaredHere = "see notCounted";\n');
      expect(names.identifiers, path).toContain("declaredHere");
      expect(names.identifiers, path).not.toContain("notCounted");
    }
  });
});

describe("the searched index", () => {
  it("parses only the files whose bytes hold a name asked about, following bases, and answers as the full index", async () => {
    const files: Record<string, string> = {
      "src/base.ts": "export class Base {\n  flush(): void {}\n}\n",
      "src/store.ts": "import { Base } from './base';\nexport class OrderStore extends Base {\n  save(): void {}\n}\n",
      "app/ledger.py": "class Ledger:\n    def post(self): pass\n",
    };
    for (let i = 0; i < 40; i++) files[`src/gen/file${i}.ts`] = `export function generated${i}(): number { return ${i}; }\n`;
    const root = await makeTemporaryDirectory();
    await writeFiles(root, files);
    const paths = Object.keys(files);
    const source = await plainDirectorySource(root, paths);
    try {
      const cache = openIndexCache(null, EXTRACTOR_FINGERPRINT);
      const index = await indexCodebase(source, paths, { cache, whole: true, strategy: "search" });
      expect(index).toBeInstanceOf(SearchedIndex);
      const full = await buildCodeIndex(root, paths);
      const ask = (i: CodeIndex) => {
        i.has("OrderStore");
        // Walking the bases, as judgeSymbol does for `OrderStore.flush`.
        const pending = ["OrderStore"];
        for (let name = pending.pop(); name !== undefined; name = pending.pop()) for (const info of i.containers(name) ?? []) pending.push(...info.heritage);
        i.has("Gone");
      };
      await index.settle!(ask);
      const stats = (index as SearchedIndex).stats;
      // OrderStore (store.ts), then its base (base.ts, store.ts again): never the 40 others.
      expect(stats.filesParsed).toBeLessThanOrEqual(3);
      expect(stats.rounds).toBe(2);
      for (const name of ["OrderStore", "Base", "Gone"]) {
        expect(index.has(name), name).toBe(full.has(name));
        expect(index.containers(name), name).toEqual(full.containers(name));
      }
    } finally {
      source.close();
    }
  });
});
