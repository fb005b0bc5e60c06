// The codebase index behind `stale-symbol`: answers "does this name exist?" and "what members
// does this class/interface/enum/object have?". It runs in pre-commit hooks, so it parses
// TS/JS with the bare compiler parser (no Project, no type checker), scans every other text
// file for word tokens, and loads TypeScript only when some file actually needs parsing. With
// a cache (src/engine/cache.ts), content seen before is not even read: entries are keyed by
// git blob id and by how the file is read, so only new content is parsed.
//
// What counts as existing (SPEC section 5):
// - TS/JS: every identifier in code, declared or merely used (so external APIs the code calls,
//   like `useState` or `z.object`, exist), plus property names written as string literals in
//   declarations, plus a string literal whose whole text is one name (`"CLOUDFLARE_CLIENT_ID"`,
//   a tool or event name), which the code uses as that name. Prose in strings, template text,
//   JSX text, module specifiers and comments do not count.
// - Any other text file: every whole-word token `[A-Za-z_$][A-Za-z0-9_$]*` (a `$`-prefixed
//   token such as a shell `$HOME` also counts without its `$`).
// - Vendored, built, minified or generated TS/JS (under a dependency or build folder, a
//   `.min.`/`.bundle.` name, an `@generated`/`DO NOT EDIT` header, a line over 10,000
//   characters, or over `maxFileBytes`) is never parsed and is scanned for tokens like any
//   other text, so there a name that appears only inside a string or comment DOES count. Erring
//   towards "exists" only hides a stale finding; parsing a megabyte bundle in a commit hook
//   would hurt more. Lockfiles are not TS/JS, so they are tokens anyway.
// - Binary files (a NUL byte in the first 8 KB) are skipped.

import { createHash } from "node:crypto";
import { countProgress } from "../shared/progress.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readdir, readFile as readFileAsync, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TextDecoder } from "node:util";
import { Script } from "node:vm";
import type { ts } from "ts-morph";
import { readCacheBytes, userCacheDirectory, writeCacheFile } from "../shared/cache-files.js";
import { SearchedIndex } from "./searched-index.js";
import { indexPathsContaining } from "./index-grep.js";
import { isNearName, NEAR_NAME_MIN_LENGTH, nearNameDistance } from "../shared/closest.js";
import { entriesDigest, indexOfAggregate, MAX_RECENT_ENTRIES, openIndexCache, NameStore, updatedAggregate, type Aggregate, type IndexCache } from "./index-cache.js";
import { DEFAULT_IGNORED_DIRS } from "../shared/config-types.js";
import { hashBlob, indexSource, isSafeRelativePath, plainDirectorySource, type FileContent, type FileSource, type IndexEntry, type ObjectFormat } from "../git/file-source.js";
import type { CodeIndex, ContainerInfo } from "./types.js";
import { fileNamesOf } from "./languages/file-names.js";
import { GRAMMAR_PACKAGE_VERSION, isTreeSitterLanguage, languageOfPath, loadLanguage, namesOf, type LanguageId } from "./languages/index.js";
import { isProse } from "./prose.js";

/** The base of an alias whose members cannot be listed: no container has this name, so its members are open. */
const OPEN_ALIAS = "(alias)";

export interface CodeIndexOptions {
  /** Larger files are never parsed, only scanned for tokens (if text). Default 1,000,000 bytes. */
  maxFileBytes?: number;
  /**
   * Names per content from earlier runs; new content is added to it. Without one, nothing is
   * remembered and no file is hashed.
   */
  cache?: IndexCache;
  /**
   * These files are the whole codebase of a run over this source: the index is remembered as
   * a whole, and the next run with the same contents loads only that.
   */
  whole?: boolean;
  /** The repository, to read by blob id the old versions of files a cached aggregate has. */
  repositoryRoot?: string;
  /**
   * Whether files in languages without a parser count by their whole-word tokens (default
   * true, `symbols.wordFallback`). Off, only parsed code makes a name exist.
   */
  wordFallback?: boolean;
  /**
   * How a whole run's index is built (with a cache): "full" parses every file (what a language
   * server wants); "search" parses only the files that can answer the run's questions, and the
   * index must be `settle`d with them first. Default "full".
   */
  strategy?: "full" | "search";
  /**
   * Without a cache: the repository's cache folder, so that V8's compiled TypeScript is kept and
   * reused (in the user's cache folder) as a run with a cache does. A commit hook that parses a
   * few files would otherwise compile the 9 MB compiler every time.
   */
  codeCacheDirectory?: string | null;
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

export const DEFAULT_MAX_FILE_BYTES = 1_000_000;

/**
 * Changes whenever the extraction code changes, so a cache never serves names extracted by other
 * code: the rules live in this module, `prose.ts` and `languages/` (and the grammar package's
 * version), and a version number bumped by hand would be forgotten.
 */
export const EXTRACTOR_FINGERPRINT: string = extractorFingerprint();

function extractorFingerprint(): string {
  const self = fileURLToPath(import.meta.url);
  const here = dirname(self);
  // `.js` when compiled, `.ts` when a test imports the source.
  const extension = self.slice(self.lastIndexOf("."));
  const hash = createHash("sha1").update(readFileSync(self));
  hash.update(readFileSync(join(here, `prose${extension}`)));
  const languages = join(here, "languages");
  for (const name of readdirSync(languages)
    .filter((file) => file.endsWith(extension))
    .sort())
    hash.update(name).update(readFileSync(join(languages, name)));
  hash.update(GRAMMAR_PACKAGE_VERSION);
  return hash.digest("hex").slice(0, 16);
}

// Enough to keep the disk busy, few enough not to exhaust file handles.
const READ_CONCURRENCY = 32;
// Files are read a batch at a time and then parsed, rather than parsed as each read lands:
// interleaving the two cost ~15% more wall time (thread-pool wake-ups compete with the
// parser for the CPU). The batch bounds memory: at most this many file texts are held.
const READ_BATCH_FILES = 128;
const BINARY_SNIFF_BYTES = 8192;
const MAX_PARSED_LINE_LENGTH = 10_000;
const GENERATED_HEADER_BYTES = 512;
const NO_NAMES: FileNames = { identifiers: [], containers: [] };

// ---------------------------------------------------------------------------------------------
// Building the index

/** The index of files in a folder on disk, read directly (no git, no cache). */
export async function buildCodeIndex(root: string, files: string[], options: CodeIndexOptions = {}): Promise<CodeIndex> {
  const source = await plainDirectorySource(root, files);
  try {
    return await indexCodebase(source, files, options);
  } finally {
    source.close();
  }
}

interface PendingFile {
  path: string;
  reading: Reading;
}

interface KeyedFile extends PendingFile {
  /** `<reading>:<blob id>`: what the cache knows the file's names by. */
  key: string;
}

// Contents read to hash them are kept for parsing up to this many bytes, and read again after.
const HELD_CONTENT_BYTES = 64 << 20;

/**
 * The bytes a searched run has read, kept for its next pass over the same files (a round for the
 * names the answers led to, then the near words) up to HELD_CONTENT_BYTES, past which they are
 * read again: each pass otherwise reads every code file from disk.
 */
class ReadMemo {
  private readonly contents = new Map<string, FileContent>();
  private bytes = 0;

  get(path: string): FileContent | undefined {
    return this.contents.get(path);
  }

  keep(path: string, content: FileContent | FileNames | null): void {
    if (content === null || "identifiers" in content || content.kind !== "bytes" || this.contents.has(path)) return;
    if (this.bytes + content.bytes.length > HELD_CONTENT_BYTES) return;
    this.contents.set(path, content);
    this.bytes += content.bytes.length;
  }

  /** What `held` or this memo has of a batch, for `readBatch` (which consumes the map it is given). */
  known(batch: readonly PendingFile[], held: Map<string, FileContent | FileNames>): Map<string, FileContent | FileNames> {
    const known = new Map<string, FileContent | FileNames>();
    for (const { path } of batch) {
      const content = held.get(path) ?? this.contents.get(path);
      if (content !== undefined) known.set(path, content);
    }
    return known;
  }
}

/** The index of `files` as `source` has them, reading only content the cache has not seen. */
export async function indexCodebase(source: FileSource, files: string[], options: CodeIndexOptions = {}): Promise<CodeIndex> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const wanted: PendingFile[] = [];
  const wordFallback = options.wordFallback ?? true;
  for (const path of new Set(files)) {
    if (!isSafeRelativePath(path)) continue;
    const reading = readingOf(path, wordFallback);
    // Prose contributes no name: it is not even read.
    if (reading !== "prose") wanted.push({ path, reading });
  }
  // A search needs somewhere to keep what it parsed: without a cache, one kept in memory.
  const cache = options.cache ?? (options.strategy === "search" && options.whole ? openIndexCache(null, EXTRACTOR_FINGERPRINT) : undefined);
  if (cache === undefined) return indexWithoutCache(source, wanted, maxFileBytes, options.codeCacheDirectory ?? null);

  // Name every file's content: by the blob id git knows, or by hashing it here.
  const keyed: KeyedFile[] = [];
  const unnamed: PendingFile[] = [];
  const stagedVersions: string[] = [];
  for (const file of wanted) {
    const blobId = source.blobId(file.path);
    if (blobId !== undefined) {
      keyed.push({ ...file, key: cacheKey(file.reading, blobId) });
      continue;
    }
    unnamed.push(file);
    const staged = source.stagedBlobId(file.path);
    if (staged !== undefined) stagedVersions.push(cacheKey(file.reading, staged));
  }
  const held = await nameByContent(source, unnamed, maxFileBytes, keyed);
  const keys = keyed.map((file) => file.key);
  const digest = options.whole ? entriesDigest(keys) : null;
  if (digest !== null && options.strategy === "search") return searchedIndex(source, keyed, held, cache, maxFileBytes, digest, options.repositoryRoot);
  if (digest !== null) {
    const remembered = await cache.aggregate(source.kind, digest);
    if (remembered) return remembered;
    const updated = await aggregateByUpdate(source, keyed, held, cache, maxFileBytes, options.repositoryRoot, false);
    if (updated) return indexOfAggregate(updated);
  }

  const store = await cache.store();
  // The version git has staged stays cached while the work tree differs: the pre-commit run
  // that follows compares against it.
  for (const key of stagedVersions) store.has(key);
  const missing = keyed.filter((file) => !store.has(file.key));
  // Start loading TypeScript while the first files are read; awaited (and any failure
  // reported) by the first extraction that needs it. One thread parses: a worker thread beside
  // it cost ~1.3 s more CPU (its own TypeScript load and JIT warm-up) and saved no wall time on
  // a 2-core machine.
  const parses = missing.some((file) => isScriptReading(file.reading));
  if (parses) loadParser(cache.directory).catch(() => undefined);
  for (let start = 0; start < missing.length; start += READ_BATCH_FILES) {
    const batch = missing.slice(start, start + READ_BATCH_FILES);
    const contents = await readBatch(source, batch, maxFileBytes, held);
    for (const [index, content] of contents.entries()) {
      const file = batch[index]!;
      if (content === null) continue;
      // Extraction errors are not swallowed: they mean a broken install, not a vanished file.
      const names = "identifiers" in content ? content : await namesOfContent(file.path, file.reading, content, maxFileBytes);
      store.put(file.key, names ?? NO_NAMES);
    }
  }
  if (parses) await saveTypeScriptCodeCache();
  if (digest !== null) return cache.indexAndRemember(source.kind, digest, keyed);
  return store.indexOf(keys);
}

/** Entries a run may differ by from the last saved aggregate and still update it. */
const MAX_UPDATED_ENTRIES = 64;

/**
 * The index from the aggregate the last run over this source saved, when the files differ from
 * it by a few entries: the names of the entries that left (read back from git by blob id) and
 * of those that came are subtracted and added. A commit hook with five files staged parses
 * those five files' two versions and never reads the per-content entries (3.5 MB at 5,000
 * files), nor writes them back. Null when there is no such aggregate, it is too far off, or an
 * old version is not in git any more.
 */
async function aggregateByUpdate(
  source: FileSource,
  keyed: KeyedFile[],
  held: Map<string, FileContent | FileNames>,
  cache: IndexCache,
  maxFileBytes: number,
  repositoryRoot: string | undefined,
  partial: boolean,
): Promise<Aggregate | null> {
  const current = new Map<string, KeyedFile>();
  for (const file of keyed) if (!current.has(file.key)) current.set(file.key, file);
  // The index a commit hook reads is usually a few files off the work tree the last full run read.
  const kinds = source.kind === "index" ? ["index", "worktree"] : ["worktree", "index"];
  let found: { last: { aggregate: Aggregate }; added: KeyedFile[]; removed: Array<{ key: string; path: string }> } | null = null;
  for (const kind of kinds) {
    const last = await cache.lastAggregate(kind);
    // A searched run updates what it searched; a full one only a full aggregate.
    if (last === null || (last.aggregate.domain !== undefined) !== partial) continue;
    const before = new Map<string, string>();
    for (const [path, key] of last.files) before.set(key, path);
    const added = [...current.values()].filter((file) => !before.has(file.key));
    const removed = [...before].filter(([key]) => !current.has(key)).map(([key, path]) => ({ key, path }));
    if (added.length + removed.length > MAX_UPDATED_ENTRIES) continue;
    found = { last, added, removed };
    break;
  }
  if (found === null) return null;
  const { last, added, removed } = found;
  if (removed.length > 0 && repositoryRoot === undefined) return null;
  const parses = [...added, ...removed].some((file) => isScriptReading(file.key.slice(0, file.key.indexOf(":"))));
  if (parses) loadParser(cache.directory).catch(() => undefined);

  const addedNames: FileNames[] = [];
  const addedByKey = new Map<string, FileNames>();
  for (const file of added) {
    const content = held.get(file.path) ?? (await source.readCode(file.path, maxFileBytes).catch(() => null));
    if (content === null) continue; // gone since it was listed: it has no names, as in a full build
    const names = "identifiers" in content ? content : ((await namesOfContent(file.path, file.reading, content, maxFileBytes)) ?? NO_NAMES);
    addedNames.push(names);
    addedByKey.set(file.key, names);
  }
  const recent = new Map(last.aggregate.recent ?? []);
  const removedNames: FileNames[] = [];
  const unkept = removed.filter(({ key }) => !recent.has(key));
  for (const { key } of removed) {
    const kept = recent.get(key);
    if (kept !== undefined) removedNames.push(kept);
  }
  if (unkept.length > 0) {
    const entries = new Map(unkept.map(({ key, path }): [string, IndexEntry] => [path, { path, mode: "100644", oid: key.slice(key.indexOf(":") + 1) }]));
    const blobs = await indexSource(repositoryRoot!, entries);
    try {
      for (const { key, path } of unkept) {
        const content = await blobs.readCode(path, maxFileBytes).catch(() => null);
        // Content hashed from the work tree and never staged is not in git: rebuild instead.
        if (content === null) return null;
        const reading = key.slice(0, key.indexOf(":")) as Reading;
        removedNames.push((await namesOfContent(path, reading, content, maxFileBytes)) ?? NO_NAMES);
      }
    } finally {
      blobs.close();
    }
  }
  if (parses) await saveTypeScriptCodeCache();
  const updated = updatedAggregate(last.aggregate, removedNames, addedNames);
  if (updated === null) return null;
  // What the next update may have to subtract: the names of entries updates added, while current.
  for (const { key } of removed) recent.delete(key);
  for (const [key, names] of addedByKey) recent.set(key, names);
  const kept = [...recent].slice(-MAX_RECENT_ENTRIES);
  return { ...updated, ...(kept.length > 0 ? { recent: kept } : {}) };
}

/**
 * The index of a lint run that asks about a few hundred names (strategy "search"): it parses only
 * the files whose bytes contain a name its questions ask about (see searched-index.ts). It starts
 * from what the last such run over this source knew, updated by the files that changed since.
 */
async function searchedIndex(
  source: FileSource,
  keyed: KeyedFile[],
  held: Map<string, FileContent | FileNames>,
  cache: IndexCache,
  maxFileBytes: number,
  digest: string,
  repositoryRoot: string | undefined,
): Promise<SearchedIndex> {
  const last = await cache.lastAggregate(source.kind);
  let known: Aggregate | null = last !== null && last.digest === digest && last.aggregate.domain ? last.aggregate : null;
  const changed = known === null;
  known ??= await aggregateByUpdate(source, keyed, held, cache, maxFileBytes, repositoryRoot, true);
  const parsed = new Map<string, FileNames>();
  const memo = new ReadMemo();
  let storeMarked = false;
  return new SearchedIndex(
    {
      namesOfFilesContaining: async (names) => {
        const { found, contents } = (await grepIndexFor(source, keyed, names, repositoryRoot)) ?? (await filesContaining(source, keyed, names, maxFileBytes, held, memo));
        if (found.length === 0) return [];
        const store = await cache.store();
        // Entries of files this run did not need to parse stay: a later run may.
        if (!storeMarked) for (const file of keyed) store.has(file.key);
        storeMarked = true;
        const missing: KeyedFile[] = [];
        const out: FileNames[] = [];
        for (const file of found) {
          const known = parsed.get(file.key) ?? store.get(file.key);
          if (known !== undefined) {
            parsed.set(file.key, known);
            out.push(known);
          } else missing.push(file);
        }
        if (missing.some((file) => isScriptReading(file.reading))) loadParser(cache.directory).catch(() => undefined);
        for (let start = 0; start < missing.length; start += READ_BATCH_FILES) {
          const batch = missing.slice(start, start + READ_BATCH_FILES);
          // What the search read is parsed as it was read, not read again.
          const read = await readBatch(source, batch, maxFileBytes, contents);
          for (const [index, content] of read.entries()) {
            if (content === null) continue;
            const file = batch[index]!;
            const names = ("identifiers" in content ? content : await namesOfContent(file.path, file.reading, content, maxFileBytes)) ?? NO_NAMES;
            store.put(file.key, names);
            parsed.set(file.key, names);
            out.push(names);
          }
        }
        await saveTypeScriptCodeCache();
        return out;
      },
      wordsNear: (names) => wordsNearIn(source, keyed, names, maxFileBytes, held, memo),
      remember: (aggregate) => cache.remember(source.kind, digest, aggregate, keyed),
    },
    known,
    changed,
  );
}

/**
 * The files among `files` whose bytes contain one of `names` as a whole word (ASCII letters,
 * digits and `_` on neither side). Every file whose extracted names include a name holds it so:
 * identifiers, tokens and whole-name strings are written out in the text. One pass over the
 * bytes, with one regular expression over the latin1 view of each file, which matches UTF-8
 * bytes byte for byte.
 */
async function filesContaining(
  source: FileSource,
  files: KeyedFile[],
  names: readonly string[],
  maxFileBytes: number,
  held: Map<string, FileContent | FileNames>,
  memo: ReadMemo,
): Promise<{ found: KeyedFile[]; contents: Map<string, FileContent | FileNames> }> {
  const bytePatterns = names.map((name) => Buffer.from(name, "utf8").toString("latin1"));
  // Whole words: `Service1` is not searched inside `Service12`. `$` is not a word character
  // here, so `HOME` is found in `$HOME` (which the word scan also counts as `HOME`).
  const pattern = new RegExp(`(?<![A-Za-z0-9_])(?:${bytePatterns.map(escapeRegExp).join("|")})(?![A-Za-z0-9_])`);
  const longest = Math.max(...bytePatterns.map((name) => name.length));
  const found: KeyedFile[] = [];
  const contentsFound = new Map<string, FileContent | FileNames>();
  const seen = new Set<string>();
  for (let start = 0; start < files.length; start += READ_BATCH_FILES) {
    const batch = files.slice(start, start + READ_BATCH_FILES);
    // Held contents stay held: a later parse of the same file reads them again.
    const contents = await readBatch(source, batch, maxFileBytes, memo.known(batch, held));
    for (const [index, content] of contents.entries()) {
      const file = batch[index]!;
      memo.keep(file.path, content);
      if (content === null || seen.has(file.key)) continue;
      if (await containsPattern(content, pattern, longest)) {
        found.push(file);
        seen.add(file.key);
        // Streams cannot be read twice; everything else is kept for the parse that follows.
        if ("identifiers" in content || content.kind === "bytes") contentsFound.set(file.path, content);
      }
    }
  }
  return { found, contents: contentsFound };
}

/**
 * The same question asked of git, for the git index and a few names (see index-grep.ts); null
 * when git is not asked. git reads every blob the index has, so every file `filesContaining`
 * would find is among the paths it gives.
 */
async function grepIndexFor(
  source: FileSource,
  files: KeyedFile[],
  names: readonly string[],
  repositoryRoot: string | undefined,
): Promise<{ found: KeyedFile[]; contents: Map<string, FileContent | FileNames> } | null> {
  if (source.kind !== "index" || repositoryRoot === undefined) return null;
  const paths = await indexPathsContaining(repositoryRoot, names);
  if (paths === null) return null;
  const found: KeyedFile[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (!paths.has(file.path) || seen.has(file.key)) continue;
    found.push(file);
    seen.add(file.key);
  }
  return { found, contents: new Map() };
}

/** For each name, the identifier-shaped words of the files' bytes near it (one pass over the bytes). */
async function wordsNearIn(
  source: FileSource,
  files: KeyedFile[],
  names: readonly string[],
  maxFileBytes: number,
  held: Map<string, FileContent | FileNames>,
  memo: ReadMemo,
): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>(names.map((name) => [name, new Set<string>()]));
  const byFirst = new Map<string, string[]>();
  for (const name of names) byFirst.set(name[0] ?? "", [...(byFirst.get(name[0] ?? "") ?? []), name]);
  const seenWords = new Set<string>();
  const consider = (word: string) => {
    if (seenWords.has(word)) return;
    seenWords.add(word);
    for (const name of byFirst.get(word[0] ?? "") ?? []) if (isNearName(name, word)) found.get(name)!.add(word);
  };
  const candidates = nearWordPattern(names);
  if (candidates === null) return found;
  const scan = (text: string) => {
    candidates.lastIndex = 0;
    for (const match of text.matchAll(candidates)) consider(match[1]!);
  };
  const seen = new Set<string>();
  for (let start = 0; start < files.length; start += READ_BATCH_FILES) {
    const batch = files.slice(start, start + READ_BATCH_FILES);
    const contents = await readBatch(source, batch, maxFileBytes, memo.known(batch, held));
    for (const [index, content] of contents.entries()) {
      const file = batch[index]!;
      memo.keep(file.path, content);
      if (content === null || seen.has(file.key)) continue;
      seen.add(file.key);
      if ("identifiers" in content) {
        for (const word of content.identifiers) consider(word);
        for (const container of content.containers) consider(container.name);
      } else if (content.kind === "bytes") {
        scan(Buffer.from(content.bytes.buffer, content.bytes.byteOffset, content.bytes.byteLength).toString("latin1"));
      } else {
        // Streamed: a word cut at a chunk's end is completed by the next chunk's start.
        let tail = "";
        for await (const chunk of content.chunks()) {
          const text = tail + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
          const cut = text.search(/[A-Za-z0-9_$]*$/);
          scan(text.slice(0, cut));
          tail = text.slice(cut);
        }
        scan(tail);
      }
    }
  }
  return found;
}

/**
 * The identifier-shaped words (a run of ASCII letters, digits, `_` and `$`, from its first
 * character that is not a digit) that can be near one of `names`: `isNearName` wants the same first character and a length
 * within the name's distance, so only those are matched, in the regular expression's own scan,
 * instead of every word of every file becoming a string to look at. Null when no name can have
 * a near word.
 */
function nearWordPattern(names: readonly string[]): RegExp | null {
  const lengths = new Map<string, { low: number; high: number }>();
  for (const name of names) {
    const first = name[0];
    if (name.length < NEAR_NAME_MIN_LENGTH || first === undefined || !/^[A-Za-z_$]$/.test(first)) continue;
    const limit = nearNameDistance(name);
    const known = lengths.get(first);
    const low = Math.max(1, name.length - limit);
    const high = name.length + limit;
    lengths.set(first, known ? { low: Math.min(known.low, low), high: Math.max(known.high, high) } : { low, high });
  }
  if (lengths.size === 0) return null;
  const alternatives = [...lengths].map(([first, { low, high }]) => `${escapeRegExp(first)}[A-Za-z0-9_$]{${low - 1},${high - 1}}`);
  return new RegExp(`(?<![A-Za-z0-9_$])[0-9]*(${alternatives.join("|")})(?![A-Za-z0-9_$])`, "g");
}

async function containsPattern(content: FileContent | FileNames, pattern: RegExp, longest: number): Promise<boolean> {
  // Names already extracted (a large file scanned while hashing it): a token holds the name or not.
  if ("identifiers" in content) return content.identifiers.some((name) => pattern.test(name)) || content.containers.some((c) => pattern.test(c.name));
  if (content.kind === "bytes") {
    const { bytes } = content;
    return pattern.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"));
  }
  // A streamed file: each chunk with the tail of the one before, so a name across chunks is found.
  let tail = "";
  for await (const chunk of content.chunks()) {
    const text = tail + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    if (pattern.test(text)) return true;
    tail = text.slice(Math.max(0, text.length - longest + 1));
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/**
 * Reads and hashes files git has no blob id for (changed in the work tree, untracked, or no git
 * at all), adding them to `keyed`. What was read is kept for parsing, within a memory budget;
 * content too large to hold is scanned for tokens as it streams past.
 */
async function nameByContent(source: FileSource, files: PendingFile[], maxFileBytes: number, keyed: KeyedFile[]): Promise<Map<string, FileContent | FileNames>> {
  const held = new Map<string, FileContent | FileNames>();
  let heldBytes = 0;
  for (let start = 0; start < files.length; start += READ_BATCH_FILES) {
    const batch = files.slice(start, start + READ_BATCH_FILES);
    const contents = await readBatch(source, batch, maxFileBytes, held);
    for (const [index, content] of contents.entries()) {
      const file = batch[index]!;
      if (content === null || "identifiers" in content) continue;
      if (content.kind === "stream") {
        const { names, blobId } = await tokensAndHashOfStream(content.chunks(), source.objectFormat, content.size);
        keyed.push({ path: file.path, reading: "tokens", key: cacheKey("tokens", blobId) });
        held.set(file.path, names ?? NO_NAMES);
        continue;
      }
      keyed.push({ ...file, key: cacheKey(file.reading, hashBlob(content.bytes, source.objectFormat)) });
      if (heldBytes + content.bytes.length <= HELD_CONTENT_BYTES) {
        held.set(file.path, content);
        heldBytes += content.bytes.length;
      }
    }
  }
  return held;
}

/** Without a cache: every file read and its names extracted, nothing hashed. */
async function indexWithoutCache(source: FileSource, files: PendingFile[], maxFileBytes: number, codeCacheDirectory: string | null): Promise<CodeIndex> {
  const store = new NameStore();
  const keys: string[] = [];
  const parses = files.some((file) => isScriptReading(file.reading));
  if (parses) loadParser(codeCacheDirectory).catch(() => undefined);
  for (let start = 0; start < files.length; start += READ_BATCH_FILES) {
    const batch = files.slice(start, start + READ_BATCH_FILES);
    const contents = await readBatch(source, batch, maxFileBytes, new Map());
    for (const [index, content] of contents.entries()) {
      const file = batch[index]!;
      if (content === null || "identifiers" in content) continue;
      const names = await namesOfContent(file.path, file.reading, content, maxFileBytes);
      if (names === undefined) continue;
      store.put(file.path, names);
      keys.push(file.path);
    }
  }
  if (parses && codeCacheDirectory !== null) await saveTypeScriptCodeCache();
  return store.indexOf(keys);
}

function cacheKey(reading: Reading, blobId: string): string {
  return `${reading}:${blobId}`;
}

/** Contents in the order of `files` (what `held` has, else read); a file that cannot be read is null. */
async function readBatch(source: FileSource, files: PendingFile[], maxFileBytes: number, held: Map<string, FileContent | FileNames>): Promise<Array<FileContent | FileNames | null>> {
  const contents: Array<FileContent | FileNames | null> = new Array(files.length).fill(null);
  await forEachConcurrently(files.length, READ_CONCURRENCY, async (index) => {
    const path = files[index]!.path;
    const kept = held.get(path);
    if (kept !== undefined) {
      held.delete(path);
      contents[index] = kept;
      return;
    }
    contents[index] = await source.readCode(path, maxFileBytes).catch(() => null);
  });
  return contents;
}

async function forEachConcurrently(count: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/** The names in one file's content; undefined for binary content, which contributes nothing. */
async function namesOfContent(path: string, reading: Reading, content: FileContent, maxFileBytes: number): Promise<FileNames | undefined> {
  if (content.kind === "stream") return tokensOfStream(content.chunks());
  const { bytes } = content;
  if (startsLikeBinary(bytes)) return NO_NAMES;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  // The index hands over large blobs whole; they are still only scanned.
  if (bytes.length > maxFileBytes) return wordTokenNames(text);
  return extractByReading(path, reading, text);
}

function startsLikeBinary(bytes: ArrayLike<number>): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let index = 0; index < end; index++) if (bytes[index] === 0) return true;
  return false;
}

/** Scans content too large to hold and parse, chunk by chunk, so memory stays bounded. */
async function tokensOfStream(chunks: AsyncIterable<Uint8Array>): Promise<FileNames | undefined> {
  return (await tokensAndHashOfStream(chunks, null, 0)).names;
}

/** The tokens of streamed content and, when asked for, git's blob id for it. */
async function tokensAndHashOfStream(chunks: AsyncIterable<Uint8Array>, format: ObjectFormat | null, size: number): Promise<{ names: FileNames | undefined; blobId: string }> {
  const hash = format === null ? null : createHash(format).update(`blob ${size}\0`);
  const tokens = new Set<string>();
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let isFirstChunk = true;
  let isBinary = false;
  for await (const chunk of chunks) {
    hash?.update(chunk);
    if (isBinary) continue; // still hashed to the end, so the content has a name
    if (isFirstChunk && startsLikeBinary(chunk)) {
      isBinary = true;
      continue;
    }
    isFirstChunk = false;
    const text = pending + decoder.decode(chunk, { stream: true });
    // A token may continue in the next chunk: hold back the trailing run of word characters.
    const cut = endOfLastNonWordCharacter(text);
    addWordTokens(text.slice(0, cut), tokens);
    pending = text.slice(cut);
  }
  const blobId = hash?.digest("hex") ?? "";
  if (isBinary) return { names: undefined, blobId };
  addWordTokens(pending + decoder.decode(), tokens);
  return { names: { identifiers: [...tokens], containers: [] }, blobId };
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
  const store = new NameStore();
  parts.forEach((part, index) => store.put(String(index), part));
  return store.indexOf(parts.map((_, index) => String(index)));
}

// ---------------------------------------------------------------------------------------------
// Per-file extraction

type ParsedScriptKind = "TS" | "TSX" | "JS" | "JSX";
/**
 * How a file is read: parsed as one kind of script, parsed with a tree-sitter grammar, scanned
 * for word tokens, or not at all ("prose": documentation, changelogs, lock files, baselines).
 */
type Reading = ParsedScriptKind | LanguageId | "tokens" | "prose";

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

// Code in these folders is someone else's or a build's output: names there are read as tokens.
const VENDORED_OR_BUILT_DIRS: ReadonlySet<string> = new Set([...DEFAULT_IGNORED_DIRS, "third_party", "third-party", "bower_components"]);
const BUNDLE_NAME = /\.(min|bundle)\.[^/]*$/;
const GENERATED_MARKER = /@generated\b|\bDO NOT EDIT\b/;

/** Names one file contributes. Pure: the caller supplies the text. */
export async function extractFileNames(path: string, text: string, options: { wordFallback?: boolean } = {}): Promise<FileNames> {
  return extractByReading(path, readingOf(path, options.wordFallback ?? true), text);
}

async function extractByReading(path: string, reading: Reading, text: string): Promise<FileNames> {
  if (reading === "prose") return NO_NAMES;
  if (reading === "tokens" || looksGenerated(text)) return wordTokenNames(text);
  if (isTreeSitterLanguage(reading)) {
    await loadLanguage(reading);
    const names = namesOf(reading, text);
    // A file parsed only in part (over the size cap, or past the time budget): its tokens err
    // towards "exists", and its partial containers are left out rather than missing members.
    return names.incomplete ? wordTokenNames(text) : fileNamesOf(reading, names);
  }
  const parser = await loadParser();
  countProgress("files parsed");
  try {
    return parser.collect(path, text, reading);
  } catch {
    // The parser tolerates syntax errors; what it cannot survive is nesting deep enough to
    // overflow the stack. Tokens err towards "exists", which only hides a finding.
    return wordTokenNames(text);
  }
}

/**
 * Decided by the path alone, so it can be part of the cache key before the file is read. With
 * `wordFallback` off, files in languages without a parser contribute nothing.
 */
export function readingOf(path: string, wordFallback = true): Reading {
  const kind = scriptKindOf(path) ?? languageOfPath(path);
  if (kind === undefined) return !wordFallback || isProse(path) ? "prose" : "tokens";
  if (BUNDLE_NAME.test(path)) return "tokens";
  const segments = path.split("/");
  for (let index = 0; index < segments.length - 1; index++) if (VENDORED_OR_BUILT_DIRS.has(segments[index]!)) return "tokens";
  return kind;
}

/** Documentation, changelogs, lock files, baselines: never a source of names. */
export function isProsePath(path: string): boolean {
  return readingOf(path) === "prose";
}

/** Whether TypeScript's parser reads it (worth loading TypeScript early). */
function isScriptReading(reading: string): boolean {
  return reading === "TS" || reading === "TSX" || reading === "JS" || reading === "JSX";
}

function scriptKindOf(path: string): ParsedScriptKind | undefined {
  const dot = path.lastIndexOf(".");
  if (dot < path.lastIndexOf("/")) return undefined;
  return SCRIPT_KIND_BY_EXTENSION.get(path.slice(dot).toLowerCase());
}

function looksGenerated(text: string): boolean {
  return GENERATED_MARKER.test(text.slice(0, GENERATED_HEADER_BYTES)) || hasLineLongerThan(text, MAX_PARSED_LINE_LENGTH);
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

let typeScriptLoad: Promise<LoadedTypeScript> | undefined;

/**
 * TypeScript is loaded on first use only: a run that indexes no TS/JS never pays for it. The
 * first call decides whether V8's compiled code for it is kept (in the user's cache folder).
 */
async function loadParser(codeCacheDirectory: string | null = null): Promise<Parser> {
  typeScriptLoad ??= loadTypeScript(codeCacheDirectory);
  return (await typeScriptLoad).parser;
}

/** Keeps V8's compiled code for TypeScript when this run had to compile it. */
async function saveTypeScriptCodeCache(): Promise<void> {
  const loaded = await typeScriptLoad?.catch(() => undefined);
  const save = loaded?.saveCodeCache;
  if (loaded) delete loaded.saveCodeCache;
  await save?.().catch(() => undefined);
}

interface LoadedTypeScript {
  parser: Parser;
  saveCodeCache?: () => Promise<void>;
}

// Loading the compiler is most of what a commit hook with a few changed files costs. Measured
// on a 2-core machine (CPU time): `import("ts-morph")` ~0.48 s; ts-morph's bundled
// `typescript.js` alone ~0.25 s, since parsing needs none of ts-morph's wrapper; the same with
// V8's code cache ~0.13 s. The file is ts-morph's own copy, so the parser is the `ts` that
// ts-morph exports; if its layout ever changes, the plain import still works.
async function loadTypeScript(codeCacheDirectory: string | null): Promise<LoadedTypeScript> {
  const path = bundledTypeScriptPath();
  if (path === undefined) return { parser: createParser((await import("ts-morph")).ts) };
  if (codeCacheDirectory === null) return { parser: createParser(createRequire(path)(path) as TypeScript) };
  // V8 checks cached code against the source only by its length, so a planted file whose source
  // had the same length would run. The key is a hash of the exact source (and of the V8 that
  // compiled it); the file starts with it and is used only when it matches. It lives in the
  // user's cache folder, never in a repository's .git.
  const directory = await userCacheDirectory();
  if (directory === null) return { parser: createParser(createRequire(path)(path) as TypeScript) };
  const [source, signature, kept] = await Promise.all([readFileAsync(path, "utf8"), fileSignature(path), keptCodeCache(directory)]);
  // Hashing the 9 MB source costs more than compiling it from the cache (~0.06 s of CPU), so the
  // key computed once is kept in the file's header beside the source file's signature (size,
  // times, inode): while the signature is unchanged, so is the file, whose change time no write
  // can keep.
  const key =
    kept !== null && signature !== null && kept.signature === signature
      ? kept.key
      : createHash("sha256").update(source).update(`\0${process.version}\0${process.arch}\0${process.versions.v8}`).digest("hex");
  const name = `typescript-${key.slice(0, 32)}.v8`;
  const header = Buffer.from(`${key}\n${signature ?? "-"}\n`);
  const stored = kept?.name === name ? kept.bytes : await readCacheBytes(join(directory, name));
  const cachedData = stored !== null && stored.length > header.length && stored.subarray(0, header.length).equals(header) ? stored.subarray(header.length) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: path,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as CommonJsWrapper)(module.exports, createRequire(path), module, path, dirname(path));
  const ts = module.exports as TypeScript;
  if (typeof ts.createSourceFile !== "function") return { parser: createParser((await import("ts-morph")).ts) };
  const parser = createParser(ts);
  if (cachedData !== undefined && !script.cachedDataRejected) return { parser };
  return {
    parser,
    // Taken after parsing, so the functions parsing compiled lazily are in it too.
    saveCodeCache: async () => {
      await writeCacheFile(directory, name, Buffer.concat([header, script.createCachedData()]));
      for (const entry of await readdir(directory)) {
        if (/^typescript-[0-9a-f]{32}\.v8$/.test(entry) && entry !== name) await rm(join(directory, entry), { force: true });
      }
    },
  };
}

/** The TypeScript file's identity without reading it: any write changes its change time. */
async function fileSignature(path: string): Promise<string | null> {
  const info = await stat(path, { bigint: true }).catch(() => null);
  return info === null ? null : `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

/** The one code cache kept (others are removed when one is written), with its header's key and signature. */
async function keptCodeCache(directory: string): Promise<{ name: string; key: string; signature: string; bytes: Buffer } | null> {
  const names = (await readdir(directory).catch(() => [] as string[])).filter((entry) => /^typescript-[0-9a-f]{32}\.v8$/.test(entry));
  const [name] = names;
  if (name === undefined || names.length !== 1) return null;
  const bytes = await readCacheBytes(join(directory, name));
  const [, key, signature] = (bytes === null ? null : /^([0-9a-f]{64})\n([0-9:]+)\n/.exec(bytes.subarray(0, 200).toString("latin1"))) ?? [];
  if (bytes === null || key === undefined || signature === undefined || name !== `typescript-${key.slice(0, 32)}.v8`) return null;
  return { name, key, signature, bytes };
}

type CommonJsWrapper = (exports: unknown, require: NodeRequire, module: { exports: unknown }, filename: string, dirname: string) => void;

function bundledTypeScriptPath(): string | undefined {
  try {
    const morph = createRequire(import.meta.url).resolve("ts-morph");
    const common = createRequire(morph).resolve("@ts-morph/common");
    const path = join(dirname(common), "typescript.js");
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
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
  StringLiteral: 11,
  ModuleReference: 12,
} as const;

function createRoleTable(ts: TypeScript): Uint8Array {
  const kind = ts.SyntaxKind;
  const roles = new Uint8Array(kind.Count + 1);
  roles[kind.Identifier] = Role.Identifier;
  roles[kind.PrivateIdentifier] = Role.PrivateIdentifier;
  for (const member of [kind.PropertyAssignment, kind.PropertySignature, kind.PropertyDeclaration, kind.MethodDeclaration, kind.MethodSignature, kind.GetAccessor, kind.SetAccessor, kind.EnumMember]) {
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
  roles[kind.StringLiteral] = Role.StringLiteral;
  roles[kind.NoSubstitutionTemplateLiteral] = Role.StringLiteral;
  roles[kind.ImportDeclaration] = Role.ModuleReference;
  roles[kind.ExportDeclaration] = Role.ModuleReference;
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

type NamedMemberNode = ts.PropertyAssignment | ts.PropertySignature | ts.PropertyDeclaration | ts.MethodDeclaration | ts.MethodSignature | ts.AccessorDeclaration | ts.EnumMember;

/** The whole text of a string literal that is a use of a name: one identifier-shaped word. */
const NAME_ONLY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

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
  private readonly moduleSpecifiers = new Set<ts.Node>();
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
      case Role.StringLiteral:
        // `process.env["CLOUDFLARE_CLIENT_ID"]`, a tool named "comment_on_github_issue": a string
        // that is one name and nothing else is a use of that name. Prose in a string is not.
        if (!this.moduleSpecifiers.has(node) && NAME_ONLY.test((node as ts.StringLiteralLike).text)) {
          this.identifiers.add((node as ts.StringLiteralLike).text);
        }
        return;
      case Role.ModuleReference: {
        // `from "react"` names a package, not a name the code uses.
        const specifier = (node as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier;
        if (specifier !== undefined) this.moduleSpecifiers.add(specifier);
        break;
      }
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

  /**
   * `type A = { ... }` and `type A = B & { ... }` behave as interfaces. Any other alias takes its
   * members from what it names: `type A = B` from B, and `type A = z.infer<typeof S>` (or a mapped
   * or conditional type) from something harness-lint cannot list, so A's members are open, as an
   * external base's are: `A.x` is never judged missing by it.
   */
  private recordTypeAlias(node: ts.TypeAliasDeclaration): void {
    const shape = this.objectTypeShape(node.type);
    if (shape) {
      this.addContainer(node.name.text, "interface", shape.members, shape.heritage);
      return;
    }
    const ts = this.ts;
    // A union of literals (`'a' | 'b'`) or a keyword type has no members a rule would name.
    if (
      ts.isUnionTypeNode(node.type) ||
      ts.isLiteralTypeNode(node.type) ||
      node.type.kind === ts.SyntaxKind.StringKeyword ||
      node.type.kind === ts.SyntaxKind.NumberKeyword ||
      node.type.kind === ts.SyntaxKind.BooleanKeyword
    )
      return;
    const named = ts.isTypeReferenceNode(node.type) && node.type.typeArguments === undefined ? this.entityText(node.type.typeName) : null;
    this.addContainer(node.name.text, "interface", new Set(), [named !== null && named !== node.name.text ? named : OPEN_ALIAS]);
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

  private addContainer(name: string, kind: ContainerInfo["kind"], members: Set<string>, heritage: string[]): void {
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
  private addParameterProperties(declaration: ts.ConstructorDeclaration, into: Set<string>): void {
    const ts = this.ts;
    for (const parameter of declaration.parameters) {
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
    const isObjectFreeze = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Object" && callee.name.text === "freeze";
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
      if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current) || ts.isNonNullExpression(current)) {
        current = current.expression;
      } else {
        return current;
      }
    }
  }

  /** `A` or `ns.A`, as written. */
  private entityText(name: ts.EntityName): string {
    return this.ts.isIdentifier(name) ? name.text : `${this.entityText(name.left)}.${name.right.text}`;
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
  return kind === keywords.PublicKeyword || kind === keywords.PrivateKeyword || kind === keywords.ProtectedKeyword || kind === keywords.ReadonlyKeyword || kind === keywords.OverrideKeyword;
}

/** `#secret` is stored as written and bare, since prose usually drops the `#`. */
function addPrivateName(text: string, into: Set<string>): void {
  into.add(text);
  into.add(text.slice(1));
}
