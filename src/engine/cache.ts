// The parse cache: harness files and post-mortems parsed by an earlier run, kept in the cache
// folder (src/git/cache-directory.ts) as parsed-v<N>.json. The code index's caches are in
// src/codebase/index-cache.ts.

import { createHash } from "node:crypto";
import { join } from "node:path";
import { CACHE_FORMAT, isPlainJson, isRecord, loadJson, saveJson } from "../shared/cache-files.js";

const PARSED_FILE = `parsed-v${CACHE_FORMAT}.json`;

// ---------------------------------------------------------------------------------------------
// Parsed harness files and post-mortems

/**
 * Parse results of harness files and post-mortems, keyed by the caller (path, content hash,
 * options). Markdown parsing is most of a warm run; the results are plain data. Anything that
 * would not survive JSON unchanged (a Set, a class instance, `undefined` in an array) is not
 * stored, so a warm run can never see a different model than a cold one.
 */
export class ParseCache {
  private readonly live = new Set<string>();
  private added = 0;

  constructor(private readonly entries: Map<string, unknown> = new Map()) {}

  get(key: string): unknown {
    const value = this.entries.get(key);
    if (value !== undefined) this.live.add(key);
    return value;
  }

  /** Like `get`, without keeping the entry alive for the next save. */
  peek(key: string): unknown {
    return this.entries.get(key);
  }

  set(key: string, value: unknown): void {
    if (!isPlainJson(value)) return;
    this.entries.set(key, value);
    this.live.add(key);
    this.added++;
  }

  get changed(): boolean {
    return this.added > 0 || this.live.size < this.entries.size;
  }

  snapshot(fingerprint: string): { format: number; fingerprint: string; checksum: string; entries: Record<string, unknown> } {
    const entries: Record<string, unknown> = {};
    for (const key of [...this.live].sort()) entries[key] = this.entries.get(key);
    return { format: CACHE_FORMAT, fingerprint, checksum: checksumOf(entries), entries };
  }

  /** A cache from a parsed file, or null when it is not one we wrote for this fingerprint. */
  static fromFile(data: unknown, fingerprint: string): ParseCache | null {
    if (!isRecord(data) || data.format !== CACHE_FORMAT || data.fingerprint !== fingerprint || !isRecord(data.entries)) return null;
    // Valid JSON can still be damaged: the checksum says these are the entries we wrote.
    if (data.checksum !== checksumOf(data.entries)) return null;
    return new ParseCache(new Map(Object.entries(data.entries)));
  }
}

function checksumOf(entries: Record<string, unknown>): string {
  return createHash("sha1").update(JSON.stringify(entries)).digest("hex");
}

export interface ParsedFilesCache {
  parsed: ParseCache;
  save(): Promise<void>;
}

/** Opens the parse cache in `directory`; `fingerprint` names the parsers' code. */
export async function openParseCache(directory: string | null, fingerprint: string): Promise<ParsedFilesCache> {
  const loaded = directory === null ? null : await loadJson(join(directory, PARSED_FILE), (data) => ParseCache.fromFile(data, fingerprint));
  const parsed = loaded ?? new ParseCache();
  return {
    parsed,
    save: () => (parsed.changed ? saveJson(directory, PARSED_FILE, () => parsed.snapshot(fingerprint)) : Promise.resolve()),
  };
}
