import { createHash } from "node:crypto";
import { lstat, mkdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runGit } from "./file-source.js";

// ---------------------------------------------------------------------------------------------
// Where the caches live, reading and writing

/**
 * What the command line said about caches (`--no-cache`, `--cache-location DIR`): set once by the
 * CLI before a run, read by every cache (the run, the index, the parse cache, stored versions).
 */
export interface CacheSettings {
  enabled: boolean;
  /** A folder of the user's choosing; each repository gets a subfolder keyed by its path. */
  location?: string;
}

let settings: CacheSettings = { enabled: true };

export function configureCaches(next: CacheSettings): void {
  settings = { ...next, ...(next.location !== undefined ? { location: resolve(next.location) } : {}) };
}

/** The folder the settings impose for `root`: null with --no-cache, undefined when they say nothing. */
export function cacheOverride(root: string): string | null | undefined {
  if (!settings.enabled) return null;
  if (settings.location === undefined) return undefined;
  return join(settings.location, createHash("sha1").update(resolve(root)).digest("hex").slice(0, 16));
}

/**
 * The cache directory: inside the git directory (per worktree), or, for a folder outside git, a
 * per-user directory under the system temp folder keyed by the folder's path.
 */
export async function cacheDirectory(root: string, inGit: boolean): Promise<string | null> {
  const override = cacheOverride(root);
  if (override !== undefined) return override;
  if (inGit) {
    // The usual layout answers without a git process; worktrees and GIT_DIR ask git.
    if (process.env.GIT_DIR === undefined && process.env.GIT_COMMON_DIR === undefined) {
      const dotGit = await stat(join(root, ".git")).catch(() => null);
      if (dotGit?.isDirectory()) return join(root, ".git", "harness-lint");
    }
    try {
      const path = (await runGit(root, ["rev-parse", "--git-path", "harness-lint"])).toString("utf8").trim();
      return path === "" ? null : resolve(root, path);
    } catch {
      return null;
    }
  }
  const user = typeof process.getuid === "function" ? String(process.getuid()) : "user";
  const folder = createHash("sha1").update(resolve(root)).digest("hex").slice(0, 16);
  const base = join(tmpdir(), `harness-lint-cache-${user}`);
  // The temp folder is shared: a cache folder someone else created (or can write) could hold
  // planted names or a planted V8 code cache. Use only one that is ours and private.
  const info = await lstat(base).catch(() => null);
  if (info) {
    const ours = typeof process.getuid !== "function" || info.uid === process.getuid();
    if (!info.isDirectory() || !ours || (info.mode & 0o022) !== 0) return null;
  } else {
    try {
      await mkdir(base, { mode: 0o700 });
    } catch {
      return null;
    }
  }
  return join(base, folder);
}
