import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_MAX_FILE_BYTES, EXTRACTOR_FINGERPRINT, indexCodebase } from "../codebase/code-index.js";
import { buildCodebase, globTester, openWorkTree } from "../codebase/codebase.js";
import { hashBlob, runGit, type FileSource } from "../git/file-source.js";
import { rememberFileAnchors } from "../harness/anchors.js";
import { formatOf } from "../harness/formats.js";
import type { Model } from "./model.js";
import { judgePath, judgeSymbol, type SymbolContext } from "../harness/resolve.js";
import { pathMatcher } from "../codebase/glob.js";
import type { IndexQuestions } from "../codebase/types.js";
import { decodeText } from "../shared/text.js";
import { hookFormatOf, parseHookFile } from "../harness/hooks.js";
import type { CodeIndex, HarnessFile, Hook, InvalidFile, Item, PostMortem, Preamble, Rule } from "../harness/types.js";
import { cacheDirectory } from "../git/cache-directory.js";
import { openIndexCache, type IndexCache } from "../codebase/index-cache.js";
import { openParseCache, type ParseCache, type ParsedFilesCache } from "./cache.js";
import type { Config } from "../shared/config-types.js";
import { DEFAULT_IGNORED_DIRS } from "../shared/config-types.js";
import { PACKAGE_ROOT, TOOL_VERSION } from "../shared/meta.js";

export interface ModelOptions {
  root: string;
  inGit: boolean;
  config: Config;
  /** Build the code index (only `stale-symbol` needs it: skipping it skips all parsing). */
  needsCodeIndex: boolean;
  /** Where files are listed and read from; default: the work tree. The caller closes its own. */
  source?: FileSource;
  /**
   * The caches; default: the repository's, opened and saved here. `null` disables them. A
   * caller that passes its own saves them itself.
   */
  caches?: ModelCaches | null;
}

const EMPTY_INDEX: CodeIndex = { has: () => false, containers: () => undefined };

/**
 * Harness files, post-mortems and hook files larger than this are not read: each is one
 * `invalid-file` finding, and every other file is still linted. Real agent rule files are under
 * 100 KB; the Markdown parser takes seconds per megabyte, and a generated 50 MB file would hang a hook.
 */
export const MAX_HARNESS_FILE_BYTES = 2 * 1024 * 1024;
const POSTMORTEM_IGNORED = new Set(["TEMPLATE.md", "README.md"]);
const IGNORED_DIRS: ReadonlySet<string> = new Set(DEFAULT_IGNORED_DIRS);

/** Under a dependency or build folder (`**\/node_modules/**` and the like). */
function underIgnoredDirectory(path: string): boolean {
  const segments = path.split("/");
  for (let index = 0; index < segments.length - 1; index++) if (IGNORED_DIRS.has(segments[index]!)) return true;
  return false;
}

export async function buildModel(options: ModelOptions): Promise<Model> {
  const ownsSource = options.source === undefined;
  const ownsCaches = options.caches === undefined;
  const [source, caches, hooksPath] = await Promise.all([
    options.source ?? openWorkTree(options.root, options.inGit),
    options.caches === undefined ? openModelCaches(options.root, options.inGit, options.config, options.needsCodeIndex) : options.caches,
    options.inGit ? configuredHooksPath(options.root) : null,
  ]);
  try {
    const model = await buildModelFrom(source, caches, hooksPath, options);
    if (ownsCaches) await caches?.save();
    return model;
  } finally {
    if (ownsSource) source.close();
  }
}

async function buildModelFrom(source: FileSource, caches: ModelCaches | null, hooksPath: string | null, options: ModelOptions): Promise<Model> {
  const { root, config } = options;
  const allFiles = source.files;
  const isExcludedHarness = globTester(config.harness.exclude, false);
  const isIncludedHarness = globTester(config.harness.include, false);
  const isHarness = (path: string) => isIncludedHarness(path) && !isExcludedHarness(path);
  const isPostMortem = globTester(config.postmortems, false);
  const harnessPaths: string[] = [];
  const postmortemPaths: string[] = [];
  const hookPaths: string[] = [];
  for (const file of allFiles) {
    if (underIgnoredDirectory(file)) continue;
    const name = file.slice(file.lastIndexOf("/") + 1);
    if (isPostMortem(file)) {
      if (!POSTMORTEM_IGNORED.has(name)) postmortemPaths.push(file);
    } else if (isHarness(file)) harnessPaths.push(file);
    else if (hookFormatOf(file, hooksPath) !== null && !isExcludedHarness(file)) hookPaths.push(file);
  }
  // One report per file: CLAUDE.md -> AGENTS.md is read once, at AGENTS.md.
  const aliases = harnessAliases(root, harnessPaths);
  if (aliases.size > 0) harnessPaths.splice(0, harnessPaths.length, ...harnessPaths.filter((path) => !aliases.has(path)));
  const codebase = buildCodebase(root, allFiles, options.inGit, {
    include: config.codebase.include,
    exclude: config.codebase.exclude,
    // The baseline lists findings, so it names every stale name: it never makes one exist.
    harnessFiles: new Set([...harnessPaths, ...aliases.keys(), ...postmortemPaths, ...hookPaths, ...(config.baseline !== null ? [config.baseline] : [])]),
  });

  const parsed = caches?.parsed?.parsed ?? null;
  const [harnessRead, hookRead, postmortemRead, packages] = await Promise.all([
    readCapped(source, harnessPaths),
    readCapped(source, hookPaths),
    readCapped(source, postmortemPaths),
    readPackageNames(source, codebase.codeFiles),
  ]);
  const [harnessContents, hookContents, postmortemContents] = [harnessRead.files, hookRead.files, postmortemRead.files];
  const fenced = config.symbols.fenced;
  const harnessKey = (path: string, bytes: Uint8Array) => `harness|${path}|fenced=${fenced}|${hashBlob(bytes, "sha1")}`;
  const postmortemKey = (path: string, bytes: Uint8Array) => `postmortem|${path}|${hashBlob(bytes, "sha1")}`;
  const allParsed =
    parsed !== null &&
    harnessContents.every(({ path, bytes }) => parsed.get(harnessKey(path, bytes)) !== undefined) &&
    postmortemContents.every(({ path, bytes }) => parsed.get(postmortemKey(path, bytes)) !== undefined);
  // The Markdown parsers load only when some file is not in the parse cache.
  const { parseHarnessFile, parsePostMortem } = allParsed ? UNUSED_PARSERS : await loadParsers();

  const invalidFiles: InvalidFile[] = [...harnessRead.tooLarge, ...hookRead.tooLarge, ...postmortemRead.tooLarge];
  const harnessFiles: HarnessFile[] = [];
  const items: Item[] = [];
  const texts: Array<Rule | Hook | Preamble> = [];
  for (const { path, bytes } of harnessContents) {
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      invalidFiles.push({ file: path, message: decoded.reason, span: { start: decoded.position, end: decoded.position } });
      continue;
    }
    const file: HarnessFile = { path, format: formatOf(path).format, text: decoded.text };
    harnessFiles.push(file);
    let result: ReturnType<typeof parseHarnessFile>;
    try {
      result = cachedParse(parsed, harnessKey(path, bytes), () => parseHarnessFile(file, { fenced }));
      rememberFileAnchors(file, result);
    } catch (error) {
      // A file the parser cannot take (nesting deep enough to exhaust the stack) is one finding;
      // every other file is still linted.
      if (!(error instanceof RangeError)) throw error;
      invalidFiles.push({ file: path, message: "too deeply nested to parse", span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } });
      continue;
    }
    if (result.invalid) invalidFiles.push(result.invalid);
    if (result.preamble) texts.push(result.preamble);
    items.push(...result.rules);
    texts.push(...result.rules);
  }

  const hooks: Hook[] = [];
  for (const { path, bytes } of hookContents) {
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      invalidFiles.push({ file: path, message: decoded.reason, span: { start: decoded.position, end: decoded.position } });
      continue;
    }
    const result = parseHookFile(path, hookFormatOf(path, hooksPath)!, decoded.text);
    if (result.invalid) invalidFiles.push(result.invalid);
    hooks.push(...result.hooks);
  }
  texts.push(...hooks);

  const postmortems: PostMortem[] = [];
  for (const { path, bytes } of postmortemContents) {
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      invalidFiles.push({ file: path, message: decoded.reason, span: { start: decoded.position, end: decoded.position } });
      continue;
    }
    const result = cachedParse(parsed, postmortemKey(path, bytes), () => parsePostMortem(path, decoded.text));
    postmortems.push(result.postmortem);
    if (result.invalid) invalidFiles.push(result.invalid);
  }

  let codeIndex = EMPTY_INDEX;
  if (options.needsCodeIndex) {
    const index = caches?.index ?? null;
    codeIndex = await indexCodebase(source, codebase.codeFiles, {
      maxFileBytes: configuredMaxFileBytes(config),
      wordFallback: config.symbols.wordFallback,
      strategy: config.codebase.index,
      whole: true,
      ...(index ? { cache: index } : {}),
      ...(options.inGit ? { repositoryRoot: root } : {}),
    });
  }
  // A searched index parses only what the run's symbol mentions can ask about: ask them now.
  if (codeIndex.settle) await codeIndex.settle(symbolQuestions(texts, codebase, packages, config));
  const model: Model = {
    root,
    config,
    harnessFiles,
    items,
    hooks,
    texts,
    executables: await executableScripts(source, hooks),
    postmortems,
    invalidFiles,
    codebase,
    codeIndex,
    packages,
    ignoredPaths: new Set(),
    isHarnessPath: (path) => isHarness(path),
    aliases,
  };
  if (options.inGit) model.ignoredPaths = await ignoredAmongMissing(model);
  return model;
}

/**
 * Every question `stale-symbol` asks the index: each symbol mention judged as the check judges
 * it (`judgeSymbol`), so a searched index has searched for every name the check will look up.
 */
export function symbolQuestions(texts: Array<Rule | Hook | Preamble>, codebase: Model["codebase"], packages: Set<string>, config: Config): IndexQuestions {
  const patterns = config.symbols.ignore;
  const ignore = patterns.length > 0 ? pathMatcher(patterns) : () => false;
  return (index) => {
    const context = { index, packages, codebase, ignore };
    for (const text of texts) for (const mention of text.mentions) if (mention.kind === "symbol") askAbout(mention.value, context);
  };
}

/**
 * What the checks ask the index about one symbol mention: whether it exists and, when it does
 * not, the names near it (unknown-name's "did you mean").
 */
export function askAbout(value: string, context: SymbolContext): void {
  const verdict = judgeSymbol(value, context);
  if (verdict.status !== "missing") return;
  const [container, member] = (verdict.missing ?? value).split(".");
  if (container !== undefined && member === undefined) context.index.namesNear?.(container);
}

/**
 * Harness files that are symlinks to another harness file inside the repository, by link path:
 * the link is not parsed, and its target is reported once. A link that leaves the repository is
 * never followed (file-source refuses to read it).
 */
function harnessAliases(root: string, harnessPaths: readonly string[]): Map<string, string> {
  const aliases = new Map<string, string>();
  const parsed = new Set(harnessPaths);
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return aliases;
  }
  for (const path of harnessPaths) {
    try {
      if (!lstatSync(join(root, path)).isSymbolicLink()) continue;
      const target = relative(realRoot, realpathSync(join(root, path))).split("\\").join("/");
      if (target.startsWith("..") || isAbsolute(target) || target === path || !parsed.has(target)) continue;
      aliases.set(path, target);
    } catch {
      // A dangling link or one git lists but the disk lacks: read (and reported) as before.
    }
  }
  // A link to a link that is itself an alias is an alias of the final target (realpath gives it).
  return aliases;
}

interface Parsers {
  parseHarnessFile: typeof import("../harness/harness.js").parseHarnessFile;
  parsePostMortem: typeof import("../harness/postmortems.js").parsePostMortem;
}

async function loadParsers(): Promise<Parsers> {
  const [{ parseHarnessFile }, { parsePostMortem }] = await Promise.all([import("../harness/harness.js"), import("../harness/postmortems.js")]);
  return { parseHarnessFile, parsePostMortem };
}

/** Stands in when every file is in the parse cache: never called. */
const UNUSED_PARSERS: Parsers = {
  parseHarnessFile: () => {
    throw new Error("parse cache: a harness file was not in the cache after all");
  },
  parsePostMortem: () => {
    throw new Error("parse cache: a post-mortem was not in the cache after all");
  },
};

/** The parse result from the cache, or parsed now (and remembered when it is plain data). */
function cachedParse<T>(cache: ParseCache | null, key: string, parse: () => T): T {
  const cached = cache?.get(key) as T | undefined;
  if (cached !== undefined) return cached;
  const result = parse();
  cache?.set(key, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Caches

/** The caches a run reads and, when anything changed, writes back. */
export interface ModelCaches {
  /** Names per file content, for the code index (null when no check needs names). */
  index: IndexCache | null;
  /** Parsed harness files and post-mortems. */
  parsed: ParsedFilesCache | null;
  save(): Promise<void>;
}

/** Opens the repository's caches: under the git directory, or the temp folder outside git. */
export async function openModelCaches(root: string, inGit: boolean, config: Config, needsCodeIndex: boolean): Promise<ModelCaches> {
  const directory = await cacheDirectory(root, inGit);
  const [index, parsed] = await Promise.all([
    needsCodeIndex ? Promise.resolve(openIndexCache(directory, cacheFingerprint(config))) : null,
    openParseCache(directory, parserFingerprint()),
  ]);
  return {
    index,
    parsed,
    save: async () => {
      await Promise.all([index?.save(), parsed.save()]);
    },
  };
}

/** Everything that decides what an index entry holds besides the content itself. */
export function cacheFingerprint(config: Config): string {
  return `${TOOL_VERSION}|${EXTRACTOR_FINGERPRINT}|maxFileBytes=${configuredMaxFileBytes(config)}`;
}

let parserCode: string | undefined;

/**
 * The harness and post-mortem parsers are the code in src/harness (and the dependency versions
 * package.json pins): a parse result is reused only while that code is byte for byte the same.
 */
function parserFingerprint(): string {
  if (parserCode === undefined) {
    const modelDirectory = fileURLToPath(new URL("../harness/", import.meta.url));
    const hash = createHash("sha1").update(TOOL_VERSION).update(readFileSync(join(PACKAGE_ROOT, "package.json")));
    for (const name of readdirSync(modelDirectory).sort()) {
      if (/\.[cm]?[jt]s$/.test(name)) hash.update(name).update(readFileSync(join(modelDirectory, name)));
    }
    parserCode = hash.digest("hex").slice(0, 16);
  }
  return parserCode;
}

/** Ask git about ignore rules only for path mentions that do not resolve: usually none. */
async function ignoredAmongMissing(model: Model): Promise<Set<string>> {
  const context = { codebase: model.codebase, packages: model.packages, ignored: new Set<string>() };
  const candidates = new Set<string>();
  for (const text of model.texts) {
    for (const mention of text.mentions) {
      if (mention.kind === "symbol") continue;
      const verdict = judgePath(mention, text.file, context);
      if (verdict.status === "missing") for (const path of verdict.tried) candidates.add(path);
    }
  }
  if (candidates.size === 0) return new Set();
  return ignoredByGit(model.root, [...candidates]);
}

/** Which of these repo-relative paths git would ignore, tracked or not. */
async function ignoredByGit(root: string, paths: string[]): Promise<Set<string>> {
  const ignored = new Set<string>();
  for (let start = 0; start < paths.length; start += 500) {
    try {
      // `-z` would need `--stdin`; with quotePath off (runGit sets it), one path a line.
      const output = await runGit(root, ["check-ignore", "--no-index", "--", ...paths.slice(start, start + 500)]);
      for (const path of output.toString("utf8").split("\n")) if (path !== "") ignored.add(path);
    } catch {
      // Exit 1 means none is ignored; anything else leaves the paths to be checked as usual.
    }
  }
  return ignored;
}

interface ReadFile {
  path: string;
  bytes: Uint8Array;
}

// git is run through runGit rather than a client library, which waited 50 ms after a command
// that printed nothing (an unset config key, no ignored path): two of those were a sixth of a
// warm run.

/** core.hooksPath, repo-relative, when it points inside the repository (husky's `.husky/_` excluded). */
async function configuredHooksPath(root: string): Promise<string | null> {
  try {
    const value = (await runGit(root, ["config", "--get", "core.hooksPath"])).toString("utf8").trim();
    if (value === "" || value.startsWith("/") || value.startsWith("..") || value.startsWith(".husky")) return null;
    return value.replace(/^\.\//, "").replace(/\/+$/, "");
  } catch {
    return null;
  }
}

/** Of the scripts hooks run directly, those with an executable bit (missing ones: stale-path reports them). */
async function executableScripts(source: FileSource, hooks: Hook[]): Promise<Set<string>> {
  const paths = [...new Set(hooks.flatMap((hook) => hook.mentions.filter((m) => m.runDirectly).map((m) => m.value)))];
  const verdicts = await Promise.all(paths.map((path) => source.isExecutable(path)));
  return new Set(paths.filter((_, index) => verdicts[index]));
}

/** Like readAll, for the files harness-lint parses: one over MAX_HARNESS_FILE_BYTES is not read but reported. */
async function readCapped(source: FileSource, paths: string[]): Promise<{ files: ReadFile[]; tooLarge: InvalidFile[] }> {
  const files: ReadFile[] = [];
  const tooLarge: InvalidFile[] = [];
  const contents = await Promise.all(paths.map((path) => source.readCode(path, MAX_HARNESS_FILE_BYTES).catch(() => null)));
  contents.forEach((content, index) => {
    const path = paths[index]!;
    // A file deleted or unreadable since listing has nothing to lint.
    if (content === null) return;
    const size = content.kind === "stream" ? content.size : content.bytes.length;
    if (size > MAX_HARNESS_FILE_BYTES) {
      const message = `it is ${mebibytes(size)}, over the ${mebibytes(MAX_HARNESS_FILE_BYTES)} limit for harness files, post-mortems and hook files, so it was not read`;
      tooLarge.push({ file: path, message, span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } });
    } else if (content.kind === "bytes") files.push({ path, bytes: content.bytes });
  });
  return { files, tooLarge };
}

function mebibytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MiB`;
}

async function readAll(source: FileSource, paths: string[]): Promise<ReadFile[]> {
  const results = await Promise.all(paths.map(async (path) => ({ path, bytes: await source.readText(path) })));
  // A file deleted or unreadable since listing has nothing to lint.
  return results.filter((result): result is ReadFile => result.bytes !== null);
}

/** `codebase.maxFileBytes` once the config schema has it; the default until then. */
export function configuredMaxFileBytes(config: Config): number {
  const value = (config.codebase as Config["codebase"] & { maxFileBytes?: unknown }).maxFileBytes;
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_FILE_BYTES;
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies", "bundledDependencies"];

/** Names of the repository's own packages and everything they depend on: never stale. */
async function readPackageNames(source: FileSource, files: string[]): Promise<Set<string>> {
  const names = new Set<string>();
  const manifests = files.filter((file) => file === "package.json" || file.endsWith("/package.json"));
  for (const { bytes } of await readAll(source, manifests)) {
    try {
      const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      if (typeof json.name === "string") names.add(json.name);
      for (const field of DEPENDENCY_FIELDS) {
        const value = json[field];
        if (value && typeof value === "object" && !Array.isArray(value)) for (const name of Object.keys(value)) names.add(name);
      }
    } catch {
      // A broken package.json is not a harness file; it just contributes no names.
    }
  }
  return names;
}
