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
import { judgePath, judgeSymbol, packagedForms, type SymbolContext } from "../harness/resolve.js";
import { pathMatcher } from "../codebase/glob.js";
import type { IndexQuestions } from "../codebase/types.js";
import { decodeText } from "../shared/text.js";
import { hookFormatOf, parseHookFile } from "../harness/hooks.js";
import type { CodeIndex, Codebase, HarnessFile, Hook, InvalidFile, PostMortem, Preamble, Rule } from "../harness/types.js";
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
  /**
   * Whether a searched code index is asked every symbol mention's questions before the model is
   * returned (default true). `--staged` asks only the mentions the commit can touch, itself.
   */
  settleIndex?: boolean;
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
    const model = await new ModelBuilder(options, caches, hooksPath).build(source);
    if (ownsCaches) await caches?.save();
    return model;
  } finally {
    if (ownsSource) source.close();
  }
}

/** What one harness file, hook file or post-mortem contributes to the model. */
export interface FilePart {
  path: string;
  kind: "harness" | "hooks" | "postmortem";
  file?: HarnessFile;
  preamble?: Preamble;
  rules: Rule[];
  hooks: Hook[];
  postmortem?: PostMortem;
  invalid: InvalidFile[];
  /** Over MAX_HARNESS_FILE_BYTES: not read, one invalid file. */
  tooLarge?: boolean;
}

/** Which listed files are harness files, post-mortems and hook files. */
export interface FileSets {
  harness: string[];
  postmortems: string[];
  hooks: string[];
  isHarness(path: string): boolean;
}

export function classifyFiles(files: readonly string[], config: Config, hooksPath: string | null): FileSets {
  const isExcludedHarness = globTester(config.harness.exclude, false);
  const isIncludedHarness = globTester(config.harness.include, false);
  const isHarness = (path: string) => isIncludedHarness(path) && !isExcludedHarness(path);
  const isPostMortem = globTester(config.postmortems, false);
  const sets: FileSets = { harness: [], postmortems: [], hooks: [], isHarness };
  for (const file of files) {
    if (underIgnoredDirectory(file)) continue;
    const name = file.slice(file.lastIndexOf("/") + 1);
    if (isPostMortem(file)) {
      if (!POSTMORTEM_IGNORED.has(name)) sets.postmortems.push(file);
    } else if (isHarness(file)) sets.harness.push(file);
    else if (hookFormatOf(file, hooksPath) !== null && !isExcludedHarness(file)) sets.hooks.push(file);
  }
  return sets;
}

/** The parts of the model that do not come from one harness file: rebuilt when code changes. */
interface CodeState {
  codebase: Codebase;
  codeIndex: CodeIndex;
  packages: Set<string>;
}

/**
 * Builds the model from a file source, and rebuilds it after some files changed: a part whose
 * file did not change is reused, and the code index is updated from the index cache. A run
 * builds once; a long-lived project (`project.ts`) rebuilds after each change.
 */
export class ModelBuilder {
  private readonly parts = new Map<string, FilePart>();
  private sets: FileSets | null = null;
  private code: CodeState | null = null;
  private readonly parsers: Partial<Parsers> = {};
  private readonly ignoreVerdicts = new Map<string, boolean>();
  private aliases = new Map<string, string>();

  constructor(
    private readonly options: Pick<ModelOptions, "root" | "inGit" | "config" | "needsCodeIndex" | "settleIndex">,
    private readonly caches: ModelCaches | null,
    private readonly hooksPath: string | null,
  ) {}

  /**
   * The model of the files `source` lists. `changed` (repo-relative) are files that changed since
   * the last build: only they are read again; without it every file is read.
   */
  async build(source: FileSource, changed?: ReadonlySet<string>): Promise<Model> {
    const { root, config } = this.options;
    const previous = this.sets;
    const sets = classifyFiles(source.files, config, this.hooksPath);
    // One report per file: CLAUDE.md -> AGENTS.md is read once, at AGENTS.md.
    const aliases = harnessAliases(root, sets.harness);
    if (aliases.size > 0) sets.harness = sets.harness.filter((path) => !aliases.has(path));
    this.aliases = aliases;
    this.sets = sets;
    const listed = new Set([...sets.harness, ...sets.hooks, ...sets.postmortems]);
    for (const path of this.parts.keys()) if (!listed.has(path) || changed?.has(path)) this.parts.delete(path);
    if (changed === undefined) this.parts.clear();
    const postmortems = new Set(sets.postmortems);
    const hookFiles = new Set(sets.hooks);
    const kindOf = (path: string): FilePart["kind"] => (postmortems.has(path) ? "postmortem" : hookFiles.has(path) ? "hooks" : "harness");
    const unread = [...listed].filter((path) => !this.parts.has(path));
    await this.readParts(source, unread, kindOf);

    const harnessFiles = new Set(listed);
    const filesChanged = previous === null || this.code === null || !sameList(this.code.codebase.allFiles, [...source.files].sort());
    const codeTouched = changed === undefined || filesChanged || [...changed].some((path) => !harnessFiles.has(path));
    if (this.code === null || codeTouched) {
      const codebase =
        filesChanged || this.code === null
          ? buildCodebase(root, source.files, this.options.inGit, {
              include: config.codebase.include,
              exclude: config.codebase.exclude,
              // The baseline lists findings, so it names every stale name: it never makes one exist.
              harnessFiles: new Set([...harnessFiles, ...aliases.keys(), ...(config.baseline !== null ? [config.baseline] : [])]),
            })
          : this.code.codebase;
      const manifestsTouched = this.code === null || filesChanged || [...(changed ?? [])].some((path) => path === "package.json" || path.endsWith("/package.json"));
      const [packages, codeIndex] = await Promise.all([manifestsTouched ? readPackageNames(source, codebase.codeFiles) : Promise.resolve(this.code!.packages), this.indexCode(source, codebase)]);
      this.code = { codebase, codeIndex, packages };
      this.ignoreVerdicts.clear();
    }
    return this.assemble(source);
  }

  /** The last model with one file's part replaced by this text (unsaved, say): nothing is cached. */
  async withText(model: Model, path: string, text: string): Promise<Model> {
    const kind = this.kindOf(path);
    if (this.sets === null || kind === null) throw new Error(`ModelBuilder.withText: ${path} is not a harness file, post-mortem or hook file`);
    const part = await this.partOf(path, kind, new TextEncoder().encode(text), "read");
    const parts = new Map(this.parts);
    parts.set(path, part);
    // A file not on disk yet (a new buffer) joins the files of its kind.
    const list = kind === "postmortem" ? "postmortems" : kind === "hooks" ? "hooks" : "harness";
    const sets = this.sets[list].includes(path) ? this.sets : { ...this.sets, [list]: [...this.sets[list], path] };
    const next = this.modelOf(parts, model.executables, sets);
    await this.settle(next);
    next.ignoredPaths = this.options.inGit ? await this.ignoredAmongMissing(next) : new Set();
    return next;
  }

  /** What harness-lint reads this path as, or null when it does not read it. */
  kindOf(path: string): FilePart["kind"] | null {
    const sets = this.sets;
    if (sets === null) return null;
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (sets.postmortems.includes(path)) return "postmortem";
    if (sets.hooks.includes(path)) return "hooks";
    if (sets.harness.includes(path)) return "harness";
    if (underIgnoredDirectory(path)) return null;
    if (globTester(this.options.config.postmortems, false)(path)) return POSTMORTEM_IGNORED.has(name) ? null : "postmortem";
    if (sets.isHarness(path)) return "harness";
    return hookFormatOf(path, this.hooksPath) !== null ? "hooks" : null;
  }

  /** Every harness file, post-mortem and hook file as last read, with its path. */
  get fileSets(): FileSets | null {
    return this.sets;
  }

  private async indexCode(source: FileSource, codebase: Codebase): Promise<CodeIndex> {
    if (!this.options.needsCodeIndex) return EMPTY_INDEX;
    const index = this.caches?.index ?? null;
    return indexCodebase(source, codebase.codeFiles, {
      maxFileBytes: configuredMaxFileBytes(this.options.config),
      wordFallback: this.options.config.symbols.wordFallback,
      strategy: this.options.config.codebase.index,
      whole: true,
      ...(index ? { cache: index } : {}),
      ...(this.options.inGit ? { repositoryRoot: this.options.root } : {}),
    });
  }

  private async readParts(source: FileSource, paths: string[], kindOf: (path: string) => FilePart["kind"]): Promise<void> {
    const read = await readCapped(source, paths);
    for (const invalid of read.tooLarge) {
      this.parts.set(invalid.file, { path: invalid.file, kind: kindOf(invalid.file), rules: [], hooks: [], invalid: [invalid], tooLarge: true });
    }
    for (const { path, bytes } of read.files) this.parts.set(path, await this.partOf(path, kindOf(path), bytes, "read-write"));
  }

  /** One file's part; unsaved text ("read") may come from the parse cache but is never added to it. */
  private async partOf(path: string, kind: FilePart["kind"], bytes: Uint8Array, cache: "read" | "read-write"): Promise<FilePart> {
    const part: FilePart = { path, kind, rules: [], hooks: [], invalid: [] };
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      part.invalid.push({ file: path, message: decoded.reason, span: { start: decoded.position, end: decoded.position } });
      return part;
    }
    const parseCache = this.caches?.parsed?.parsed ?? null;
    const parsed = parseCache === null ? null : cache === "read-write" ? parseCache : { get: (key: string) => parseCache.peek(key), set: () => undefined };
    if (kind === "hooks") {
      const result = parseHookFile(path, hookFormatOf(path, this.hooksPath)!, decoded.text);
      if (result.invalid) part.invalid.push(result.invalid);
      part.hooks = result.hooks;
      return part;
    }
    if (kind === "postmortem") {
      const key = `postmortem|${path}|${hashBlob(bytes, "sha1")}`;
      const result = (parsed?.get(key) as ReturnType<Parsers["parsePostMortem"]> | undefined) ?? remember(parsed, key, (await this.postMortemParser())(path, decoded.text));
      part.postmortem = result.postmortem;
      if (result.invalid) part.invalid.push(result.invalid);
      return part;
    }
    const fenced = this.options.config.symbols.fenced;
    const file: HarnessFile = { path, format: formatOf(path).format, text: decoded.text };
    const key = `harness|${path}|fenced=${fenced}|${hashBlob(bytes, "sha1")}`;
    let result: ReturnType<Parsers["parseHarnessFile"]>;
    try {
      result = (parsed?.get(key) as ReturnType<Parsers["parseHarnessFile"]> | undefined) ?? remember(parsed, key, (await this.harnessParser())(file, { fenced }));
      rememberFileAnchors(file, result);
    } catch (error) {
      // A file the parser cannot take (nesting deep enough to exhaust the stack) is one finding;
      // every other file is still linted.
      if (!(error instanceof RangeError)) throw error;
      part.invalid.push({ file: path, message: "too deeply nested to parse", span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } });
      return part;
    }
    part.file = file;
    if (result.invalid) part.invalid.push(result.invalid);
    if (result.preamble) part.preamble = result.preamble;
    part.rules = result.rules;
    return part;
  }

  /** The Markdown parsers load only when some file is not in the parse cache. */
  private async harnessParser(): Promise<Parsers["parseHarnessFile"]> {
    this.parsers.parseHarnessFile ??= (await import("../harness/harness.js")).parseHarnessFile;
    return this.parsers.parseHarnessFile;
  }

  /** Apart from the harness parser: it brings zod (about a fifth of a small run's start-up), which a repository without post-mortems never needs. */
  private async postMortemParser(): Promise<Parsers["parsePostMortem"]> {
    this.parsers.parsePostMortem ??= (await import("../harness/postmortems.js")).parsePostMortem;
    return this.parsers.parsePostMortem;
  }

  private async assemble(source: FileSource): Promise<Model> {
    const hooks = [...this.parts.values()].flatMap((part) => part.hooks);
    const model = this.modelOf(this.parts, await executableScripts(source, hooks));
    if (this.options.settleIndex !== false) await this.settle(model);
    if (this.options.inGit) model.ignoredPaths = await this.ignoredAmongMissing(model);
    return model;
  }

  /** A searched index parses only what the symbol mentions can ask about: ask them now. */
  private async settle(model: Model): Promise<void> {
    if (model.codeIndex.settle) await model.codeIndex.settle(symbolQuestions(model.texts, model.codebase, model.packages, model.config));
  }

  private modelOf(parts: ReadonlyMap<string, FilePart>, executables: Set<string>, sets: FileSets = this.sets!): Model {
    const { root, config } = this.options;
    const code = this.code!;
    const ordered = (paths: readonly string[]) => paths.flatMap((path) => parts.get(path) ?? []);
    const harness = ordered(sets.harness);
    const hookParts = ordered(sets.hooks);
    const postmortemParts = ordered(sets.postmortems);
    // A file over the size limit comes first, as it did when every file was read at once.
    const tooLarge = (part: FilePart) => part.tooLarge === true;
    const all = [...harness, ...hookParts, ...postmortemParts];
    const invalidFiles = [...all.filter(tooLarge), ...all.filter((part) => !tooLarge(part))].flatMap((part) => part.invalid);
    const texts: Array<Rule | Hook | Preamble> = [];
    for (const part of harness) {
      if (part.preamble) texts.push(part.preamble);
      texts.push(...part.rules);
    }
    const hooks = hookParts.flatMap((part) => part.hooks);
    texts.push(...hooks);
    return {
      root,
      config,
      harnessFiles: harness.flatMap((part) => part.file ?? []),
      items: harness.flatMap((part) => part.rules),
      hooks,
      texts,
      executables,
      postmortems: postmortemParts.flatMap((part) => part.postmortem ?? []),
      invalidFiles,
      codebase: code.codebase,
      codeIndex: code.codeIndex,
      packages: code.packages,
      ignoredPaths: new Set(),
      isHarnessPath: (path) => sets.isHarness(path),
      aliases: this.aliases,
    };
  }

  /** Ask git about ignore rules only for path mentions that do not resolve: usually none, and each once. */
  private async ignoredAmongMissing(model: Model): Promise<Set<string>> {
    const context = { codebase: model.codebase, packages: model.packages, ignored: new Set<string>() };
    const candidates = new Set<string>();
    for (const text of model.texts) {
      for (const mention of text.mentions) {
        if (mention.kind === "symbol") continue;
        const verdict = judgePath(mention, text.file, context);
        if (verdict.status !== "missing") continue;
        for (const path of verdict.tried) candidates.add(path);
        for (const path of packagedForms(mention, text.file, model.codebase)) candidates.add(path);
      }
    }
    const unknown = [...candidates].filter((path) => !this.ignoreVerdicts.has(path));
    if (unknown.length > 0) {
      const ignored = await ignoredByGit(model.root, unknown);
      for (const path of unknown) this.ignoreVerdicts.set(path, ignored.has(path));
    }
    return new Set([...candidates].filter((path) => this.ignoreVerdicts.get(path) === true));
  }
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
    for (const text of texts) {
      for (const mention of text.mentions) if (mention.kind === "symbol") askAbout(mention.value, context);
      // Hedged names are asked only whether they exist: history is asked about the missing ones.
      if (text.kind !== "hook") for (const mention of text.hedged ?? []) if (mention.kind === "symbol") judgeSymbol(mention.value, context);
    }
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
      const target = relative(realRoot, realpathSync(join(root, path)))
        .split("\\")
        .join("/");
      if (target.startsWith("..") || isAbsolute(target) || target === path || !parsed.has(target)) continue;
      aliases.set(path, target);
    } catch {
      // A dangling link or one git lists but the disk lacks: read (and reported) as before.
    }
  }
  // A link to a link that is itself an alias is an alias of the final target (realpath gives it).
  return aliases;
}

function remember<T>(cache: Pick<ParseCache, "set"> | null, key: string, value: T): T {
  cache?.set(key, value);
  return value;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

interface Parsers {
  parseHarnessFile: typeof import("../harness/harness.js").parseHarnessFile;
  parsePostMortem: typeof import("../harness/postmortems.js").parsePostMortem;
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
  const [index, parsed] = await Promise.all([needsCodeIndex ? Promise.resolve(openIndexCache(directory, cacheFingerprint(config))) : null, openParseCache(directory, parserFingerprint())]);
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
    const hash = createHash("sha1")
      .update(TOOL_VERSION)
      .update(readFileSync(join(PACKAGE_ROOT, "package.json")));
    for (const name of readdirSync(modelDirectory).sort()) {
      if (/\.[cm]?[jt]s$/.test(name)) hash.update(name).update(readFileSync(join(modelDirectory, name)));
    }
    parserCode = hash.digest("hex").slice(0, 16);
  }
  return parserCode;
}

/** Which of these repo-relative paths git would ignore, tracked or not. */
async function ignoredByGit(root: string, asked: string[]): Promise<Set<string>> {
  const ignored = new Set<string>();
  // git refuses the whole list for one path outside the repository (`../web/src/*` from a rule in
  // a folder): such a path is never ignored here, and must not cost the others their answer.
  const paths = asked.filter((path) => path !== "" && !path.startsWith("/") && !path.split("/").includes(".."));
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
export async function configuredHooksPath(root: string): Promise<string | null> {
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
