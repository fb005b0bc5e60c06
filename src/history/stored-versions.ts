// Parsed versions of rule files, hook files and post-mortems, kept between runs. History does not
// change: a blob parsed once for `trace` or `--base` is the same blob on the next run, so a run
// parses only the versions new commits brought. Entries are keyed by blob, path and how the path
// is read; the file is tied to the build of harness-lint, written atomically, and ignored when it
// is damaged or from another build.

import { join } from "node:path";
import { isPlainJson, readCacheFile, writeCacheFile } from "../shared/cache-files.js";
import { buildFingerprint } from "../shared/build-fingerprint.js";

const FILE = "versions-v1.json";
/** Past this, a save keeps only the entries this run used. */
const MAX_ENTRIES = 50_000;

export class StoredVersions {
  private readonly used = new Set<string>();
  private added = 0;

  private constructor(
    private readonly directory: string | null,
    private readonly entries: Map<string, unknown>,
  ) {}

  static async open(directory: string | null): Promise<StoredVersions> {
    if (directory === null) return new StoredVersions(null, new Map());
    try {
      const data = JSON.parse((await readCacheFile(join(directory, FILE))) ?? "null") as { build?: unknown; entries?: unknown };
      if (data.build === (await buildFingerprint()) && typeof data.entries === "object" && data.entries !== null && !Array.isArray(data.entries)) {
        return new StoredVersions(directory, new Map(Object.entries(data.entries)));
      }
    } catch {
      // missing or damaged: start empty, and this run's save replaces it
    }
    return new StoredVersions(directory, new Map());
  }

  get(key: string): unknown {
    const value = this.entries.get(key);
    if (value !== undefined) this.used.add(key);
    return value;
  }

  /** Remembers a plain-JSON value (anything else would read back differently, so it is skipped). */
  set(key: string, value: unknown): void {
    if (!isPlainJson(value)) return;
    this.entries.set(key, value);
    this.used.add(key);
    this.added++;
  }

  async save(): Promise<void> {
    if (this.directory === null || this.added === 0) return;
    const keys = this.entries.size > MAX_ENTRIES ? [...this.used] : [...this.entries.keys()];
    const entries: Record<string, unknown> = {};
    for (const key of keys) entries[key] = this.entries.get(key);
    try {
      await writeCacheFile(this.directory, FILE, JSON.stringify({ build: await buildFingerprint(), entries }));
    } catch {
      // A read-only .git costs the next run its head start, not this run its result.
    }
  }
}
