// Where a run reads the repository from. A normal run reads the work tree; `--staged` reads the
// git index, so a pre-commit hook judges what will be committed even when the work tree says
// otherwise. Both say which files exist, read them, and, where git already knows, name each
// file's content by its blob id, which is what the index cache is keyed by.

import { createHash } from "node:crypto";
import { countProgress } from "../shared/progress.js";
import { constants, lstat as lstatCallback, readFile as readFileCallback } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { promisify } from "node:util";
import { UserError } from "../shared/errors.js";
import { execGit } from "./command.js";
import { MAX_TEXT_BYTES, ObjectReader } from "./object-reader.js";
import { readRegularFile } from "../shared/read-file.js";

/** A file's content: all of it, or, when it is larger than the caller can hold, a stream. */
export type FileContent = { kind: "bytes"; bytes: Uint8Array } | { kind: "stream"; size: number; chunks(): AsyncIterable<Uint8Array> };

export interface FileSource {
  readonly kind: "worktree" | "index";
  /** Every file, repo-relative with `/`, in the order git lists them. */
  readonly files: string[];
  /** Blob ids are SHA-1 or SHA-256, as the repository's objects are. */
  readonly objectFormat: ObjectFormat;
  /** The blob id of the content `readCode` returns, when git knows it without reading the file. */
  blobId(path: string): string | undefined;
  /** The blob id the index has for the path (the work tree may differ from it). */
  stagedBlobId(path: string): string | undefined;
  /** A harness file, post-mortem or manifest; null when it is missing or not a file. */
  readText(path: string): Promise<Uint8Array | null>;
  /**
   * A codebase file for the code index: never one outside the root (through a symlink, say),
   * streamed when larger than `maxBytes`; null when missing, not a regular file, or outside.
   */
  readCode(path: string, maxBytes: number): Promise<FileContent | null>;
  /** Whether the file would be run as a program (its executable bit). */
  isExecutable(path: string): Promise<boolean>;
  /** Stops helper processes; the source must not be read after. */
  close(): void;
}

export type ObjectFormat = "sha1" | "sha256";

/** git's name for content: the hash of `blob <length>\0<bytes>`. */
export function hashBlob(bytes: Uint8Array, format: ObjectFormat): string {
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Running git

/**
 * Runs git (through src/git/command.ts: argument list, hostile config disarmed) and returns its
 * stdout as bytes; any failing exit is a UserError naming git's complaint.
 */
export async function runGit(root: string, args: string[]): Promise<Buffer> {
  const result = await execGit(root, args);
  if (result.code === 0) return result.stdout;
  throw new UserError(`git ${args[0] ?? ""} failed: ${oneLine(result.stderr) || (result.missing ? "git is not on PATH" : `exit ${result.code ?? "signal"}`)}`);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function splitNul(output: Buffer | string): string[] {
  return output
    .toString("utf8")
    .split("\0")
    .filter((entry) => entry !== "");
}

// ---------------------------------------------------------------------------------------------
// The index as `git ls-files -s` lists it

export interface IndexEntry {
  path: string;
  /** `100644`, `100755` (executable), `120000` (symlink) or `160000` (submodule). */
  mode: string;
  oid: string;
  /**
   * git does not compare the work tree with this entry (assume-unchanged, skip-worktree, sparse
   * checkout): the file on disk may hold anything, so the entry's blob id does not name it.
   */
  unwatched?: boolean;
}

const SYMLINK_MODE = "120000";
const GITLINK_MODE = "160000";
const EXECUTABLE_MODE = "100755";

/** What `git ls-files` says of the work tree, as read once by a caller that needed it too. */
export interface WorkTreeListing {
  /** `git ls-files -s -v -z` */
  index: Buffer;
  /** `git ls-files -z -t -m -d -o --exclude-standard` */
  changes: Buffer;
}

// `-v`: each entry starts with its tag, lower-case for assume-unchanged, `S` for skip-worktree.
export const INDEX_LISTING_ARGS: readonly string[] = ["ls-files", "-s", "-v", "-z"];
export const CHANGES_LISTING_ARGS: readonly string[] = ["ls-files", "-z", "-t", "-m", "-d", "-o", "--exclude-standard"];

/** One entry per path; of a conflict's stages, "ours" (stage 2) stands for the path. */
export async function readIndexEntries(root: string): Promise<Map<string, IndexEntry>> {
  return parseIndexEntries(await runGit(root, [...INDEX_LISTING_ARGS]));
}

function parseIndexEntries(listing: Buffer): Map<string, IndexEntry> {
  const entries = new Map<string, IndexEntry & { stage: string }>();
  for (const line of splitNul(listing)) {
    // `<tag> <mode> <oid> <stage>\t<path>` (`-v`), or without the tag.
    const tagged = /^[A-Za-z?] /.test(line);
    const tag = tagged ? line[0]! : "H";
    const record = tagged ? line.slice(2) : line;
    const tab = record.indexOf("\t");
    const [mode, oid, stage] = record.slice(0, tab).split(" ") as [string, string, string];
    const path = record.slice(tab + 1);
    const unwatched = tag === "S" || (tag >= "a" && tag <= "z");
    const known = entries.get(path);
    if (known === undefined || stage === "0" || (stage === "2" && known.stage !== "0")) entries.set(path, { path, mode, oid, stage, ...(unwatched ? { unwatched } : {}) });
  }
  return entries;
}

/** The blob id of a regular file's content: a symlink's blob is its target's name, a submodule has none. */
function contentBlobId(entry: IndexEntry | undefined): string | undefined {
  return entry === undefined || entry.mode === SYMLINK_MODE || entry.mode === GITLINK_MODE ? undefined : entry.oid;
}

function objectFormatOf(entries: Map<string, IndexEntry>): ObjectFormat {
  for (const entry of entries.values()) return entry.oid.length === 64 ? "sha256" : "sha1";
  return "sha1";
}

// ---------------------------------------------------------------------------------------------
// The work tree

// The two calls made for every file use the callback API: fs/promises wraps each read in a
// FileHandle, which cost ~10% more wall time over 2,000 files.
const lstat = promisify(lstatCallback);
const readFile = promisify(readFileCallback);

/** The work tree of a git repository: tracked plus untracked-not-ignored, minus deleted. */
export async function workTreeSource(root: string, listing?: WorkTreeListing): Promise<FileSource> {
  const [entries, changes, resolveInsideRoot] = await Promise.all([
    listing ? parseIndexEntries(listing.index) : readIndexEntries(root),
    // One call for everything that differs from the index: `C` changed, `R` removed, `?` untracked.
    listing?.changes ?? runGit(root, [...CHANGES_LISTING_ARGS]),
    createRootResolver(root),
  ]);
  const changed = new Set<string>();
  const removed = new Set<string>();
  const untracked: string[] = [];
  for (const record of splitNul(changes)) {
    const tag = record[0];
    const path = record.slice(2);
    if (tag === "?") untracked.push(path);
    else if (tag === "R") removed.add(path);
    else changed.add(path);
  }
  const files: string[] = [];
  for (const path of entries.keys()) if (!removed.has(path)) files.push(path);
  for (const path of untracked) if (!entries.has(path)) files.push(path);
  return {
    kind: "worktree",
    files,
    objectFormat: objectFormatOf(entries),
    // Read and hashed instead where git does not watch the file: a warm run must see what a cold one reads.
    blobId: (path) => (changed.has(path) || entries.get(path)?.unwatched ? undefined : contentBlobId(entries.get(path))),
    stagedBlobId: (path) => contentBlobId(entries.get(path)),
    readText: (path) => readWorkTreeText(resolveInsideRoot, path),
    readCode: (path, maxBytes) => readConfined(resolveInsideRoot, path, maxBytes),
    isExecutable: (path) => isExecutableOnDisk(root, path),
    close: () => undefined,
  };
}

/** A directory outside git: every file is read and hashed to be recognised. */
export async function plainDirectorySource(root: string, files: string[]): Promise<FileSource> {
  const resolveInsideRoot = await createRootResolver(root);
  return {
    kind: "worktree",
    files,
    objectFormat: "sha1",
    blobId: () => undefined,
    stagedBlobId: () => undefined,
    readText: (path) => readWorkTreeText(resolveInsideRoot, path),
    readCode: (path, maxBytes) => readConfined(resolveInsideRoot, path, maxBytes),
    isExecutable: (path) => isExecutableOnDisk(root, path),
    close: () => undefined,
  };
}

/**
 * Harness files, post-mortems and hook files, confined like code: a symlinked CLAUDE.md that
 * points outside the root (or at /dev/zero) is not read.
 */
async function readWorkTreeText(resolveInsideRoot: RootResolver | undefined, path: string): Promise<Uint8Array | null> {
  if (resolveInsideRoot === undefined) return null;
  try {
    const file = await resolveInsideRoot(path);
    if (!file) return null;
    countProgress("files read");
    return await readBounded(file, MAX_TEXT_BYTES);
  } catch {
    return null; // deleted or unreadable since listing: nothing to lint
  }
}

async function isExecutableOnDisk(root: string, path: string): Promise<boolean> {
  try {
    const info = await lstat(join(root, path));
    return info.isFile() && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

async function readConfined(resolveInsideRoot: RootResolver | undefined, path: string, maxBytes: number): Promise<FileContent | null> {
  if (resolveInsideRoot === undefined) return null;
  try {
    const file = await resolveInsideRoot(path);
    if (!file) return null;
    countProgress("files read");
    if (file.size > maxBytes) return { kind: "stream", size: file.size, chunks: () => streamFile(file.absolutePath, file.size) };
    // A file that holds more than stat said (a /proc file reports 0 bytes) is not one to index.
    return { kind: "bytes", bytes: await readBounded(file, maxBytes) };
  } catch {
    return null;
  }
}

/**
 * A file's bytes, never more than `maxBytes`. Node's readFile reads at most the size fstat gives
 * on the descriptor it opened; a file that says 0 bytes (a /proc file, which may never end) is read
 * by counting bytes instead.
 */
async function readBounded(file: ResolvedFile, maxBytes: number): Promise<Uint8Array> {
  if (file.size > 0 && file.size <= maxBytes) return readFile(file.absolutePath);
  return readRegularFile(file.absolutePath, "file", { maxBytes });
}

const STREAM_CHUNK_BYTES = 1 << 20;

/** At most `size` bytes (what stat said when the file was listed): a growing file cannot stall the scan. */
async function* streamFile(absolutePath: string, size: number): AsyncIterable<Uint8Array> {
  const handle = await open(absolutePath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) return;
    const buffer = new Uint8Array(STREAM_CHUNK_BYTES);
    for (let left = size; left > 0; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, left), null);
      if (bytesRead === 0) return;
      left -= bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

export function isSafeRelativePath(path: string): boolean {
  if (path === "" || path.includes("\0")) return false;
  if (path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path)) return false;
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
    if (!isSafeRelativePath(path)) return undefined;
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

// ---------------------------------------------------------------------------------------------
// The index (what `git commit` would record)

/** The staged state: the file list and every byte come from the index, not the work tree. */
export async function indexSource(root: string, entries?: Map<string, IndexEntry>): Promise<FileSource> {
  const staged = entries ?? (await readIndexEntries(root));
  // The one object reader (object-reader.ts): one `git cat-file --batch` for every staged blob.
  const blobs = new ObjectReader(root);
  const readBlob = async (path: string, maxBytes?: number): Promise<Uint8Array | null> => {
    const entry = staged.get(path);
    // A staged symlink's blob is the name of its target, and a submodule has no blob here.
    if (entry === undefined || entry.mode === SYMLINK_MODE || entry.mode === GITLINK_MODE) return null;
    if (!/^[0-9a-f]{40,64}$/.test(entry.oid)) return null;
    const object = await blobs.read(entry.oid, maxBytes === undefined ? {} : { maxBytes });
    return object !== null && object.type === "blob" ? object.content : null;
  };
  return {
    kind: "index",
    files: [...staged.keys()],
    objectFormat: objectFormatOf(staged),
    blobId: (path) => contentBlobId(staged.get(path)),
    stagedBlobId: (path) => contentBlobId(staged.get(path)),
    // Text is held to the same bound as on disk: a larger blob is not read, as a larger file is not.
    readText: (path) => readBlob(path, MAX_TEXT_BYTES),
    async readCode(path) {
      // Blobs arrive whole through the pipe; the caller still treats a large one as text only.
      const bytes = await readBlob(path);
      return bytes === null ? null : { kind: "bytes", bytes };
    },
    isExecutable: async (path) => staged.get(path)?.mode === EXECUTABLE_MODE,
    close: () => blobs.close(),
  };
}
