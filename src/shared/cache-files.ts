// Reading and writing the cache files: JSON written atomically, read back only when whole and ours.

import { lstat, mkdir, readdir, rm, stat } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import { readRegularFile } from "./read-file.js";

// Whoever can write .git (an archive, a shared CI cache) can put anything where a cache file
// goes: a FIFO, a device, a symbolic link out. Cache files are read only when they are regular
// files (not through a link, without blocking, bounded), and written by renaming over the name,
// never through it, into a folder that is a real folder.

/** A cache file is large for a big repository, but not this large. */
const MAX_CACHE_BYTES = 512 << 20;

/** The text of a cache file, or null for anything that is not a regular file at that name. */
export async function readCacheFile(path: string): Promise<string | null> {
  try {
    return (await readRegularFile(path, "cache file", { maxBytes: MAX_CACHE_BYTES, noFollow: true })).toString("utf8");
  } catch {
    return null;
  }
}

/** As readCacheFile, as bytes (the V8 code cache). */
export async function readCacheBytes(path: string): Promise<Buffer | null> {
  try {
    return await readRegularFile(path, "cache file", { maxBytes: MAX_CACHE_BYTES, noFollow: true });
  } catch {
    return null;
  }
}

/** Creates the cache folder (private); refuses one that is a link or not a folder. */
export async function ensureCacheFolder(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const info = await lstat(directory);
  if (!info.isDirectory()) throw new Error(`cache folder ${directory} is not a folder`);
}

/** Writes a cache file by rename: a link planted at the name is replaced, not followed. */
export async function writeCacheFile(directory: string, name: string, data: string | Uint8Array): Promise<void> {
  await ensureCacheFolder(directory);
  await writeFileAtomic(join(directory, name), data, { followLinks: false });
}

/** Bump when the layout of a file changes. What the extractor produces is fingerprinted apart. */
export const CACHE_FORMAT = 2;
const OWN_FILE = /^(cache|parsed|index-[a-z]+|evidence-walks|evidence-removals|drift-names|drift-paths)-v\d+\.json$/;
// A writer killed between writing and renaming leaves its temp file behind.
const ABANDONED_TEMP_MS = 10 * 60 * 1000;

export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => item !== undefined && isPlainJson(item));
  if (typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  // An `undefined` property is dropped by JSON, and reads back as undefined: the same to a reader.
  return Object.values(value as Record<string, unknown>).every((item) => item === undefined || isPlainJson(item));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export async function loadJson<T>(file: string, accept: (data: unknown) => T | null): Promise<T | null> {
  const text = await readCacheFile(file);
  if (text === null) return null;
  try {
    return accept(JSON.parse(text));
  } catch {
    return null; // corrupt: rebuilt and overwritten by this run
  }
}

export async function saveJson(directory: string | null, name: string, content: () => unknown): Promise<void> {
  if (directory === null) return;
  try {
    await writeCacheFile(directory, name, JSON.stringify(content()));
    await removeLeftovers(directory, name);
  } catch {
    // A read-only .git or a full disk costs the next run its warm start, not this run its result.
  }
}

/** Files of other formats, and temp files of writers that died before renaming. */
async function removeLeftovers(directory: string, written: string): Promise<void> {
  const now = Date.now();
  const current = `-v${CACHE_FORMAT}.json`;
  for (const name of await readdir(directory)) {
    const path = join(directory, name);
    if (OWN_FILE.test(name) && !name.endsWith(current)) {
      await rm(path, { force: true });
    } else if (name.startsWith(`.${written}.`) && name.endsWith(".tmp")) {
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > ABANDONED_TEMP_MS) await rm(path, { force: true });
    }
  }
}

/**
 * The user's own cache folder, for what belongs to no repository (V8's compiled code for
 * TypeScript): $XDG_CACHE_HOME/harness-lint, else ~/.cache/harness-lint (~/Library/Caches on
 * macOS). Null when there is no home, or the folder is not this user's alone: compiled code read
 * from a folder someone else can write would run as ours.
 */
export async function userCacheDirectory(): Promise<string | null> {
  const xdg = process.env.XDG_CACHE_HOME;
  const home = process.env.HOME ?? "";
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : home === "" || !isAbsolute(home) ? null : process.platform === "darwin" ? join(home, "Library", "Caches") : join(home, ".cache");
  if (base === null) return null;
  const directory = join(base, "harness-lint");
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const info = await lstat(directory);
    const ours = typeof process.getuid !== "function" || info.uid === process.getuid();
    return info.isDirectory() && ours && (info.mode & 0o022) === 0 ? directory : null;
  } catch {
    return null;
  }
}
