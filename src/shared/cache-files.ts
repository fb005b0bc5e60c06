// Reading and writing the cache files: JSON written atomically, read back only when whole and ours.

import { mkdir, readFile, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";

/** Bump when the layout of a file changes. What the extractor produces is fingerprinted apart. */
export const CACHE_FORMAT = 2;
const OWN_FILE = /^(cache|parsed|index-[a-z]+)-v\d+\.json$/;
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
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return null;
  }
  try {
    return accept(JSON.parse(text));
  } catch {
    return null; // corrupt: rebuilt and overwritten by this run
  }
}

export async function saveJson(directory: string | null, name: string, content: () => unknown): Promise<void> {
  if (directory === null) return;
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(directory, name), JSON.stringify(content()));
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
