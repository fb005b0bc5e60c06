// The result of a whole run, kept so that a run whose inputs did not change answers without
// loading the parsers, the checks or the code index (ESLint's --cache does the same per file;
// our checks look across files, so the unit here is the run).
//
// What a full lint reads, and so what the key is made of:
// - the files: `git ls-files -s` (every tracked path, mode and blob) and `git ls-files -t -m -d
//   -o` (what the work tree changed, removed or added), with the content and mode of every file
//   the second list names;
// - how git sees them: `git config --list` (core.hooksPath, excludes, ...), `.git/info/exclude`
//   and the global excludes file, which decide what `check-ignore` says about missing paths;
// - the configuration files in the root (even an ignored one), or the one `--config` names, and
//   the baseline the run applied (recorded after the run, checked on the next);
// - the commit HEAD names (evidence and --drift read history up to it);
// - the options that change findings, and the build of harness-lint itself.
// Formatting, --quiet and --max-warnings are applied after, so they are not part of it.
// With core.fileMode off git does not report mode changes, but the hook check reads the mode
// from disk: such repositories are not cached.

import { createHash } from "node:crypto";
import { lstat, readlink } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { CheckInfo, LintResult } from "../shared/findings.js";
import { CHANGES_LISTING_ARGS, INDEX_LISTING_ARGS, runGit, splitNul, type WorkTreeListing } from "../git/file-source.js";
import { readCacheFile, writeCacheFile } from "../shared/cache-files.js";
import { readRegularFile } from "../shared/read-file.js";
import { CONFIG_SEARCH_PLACES } from "./config-places.js";
import { buildFingerprint } from "../shared/build-fingerprint.js";
import { cacheOverride } from "../git/cache-directory.js";

const RUN_FILE = "run-v1.json";
/** Option sets remembered at once (an editor and a hook run with different flags). */
const MAX_VARIANTS = 8;
/** Files bigger than this are recognised by size and time instead of content. */
const MAX_HASHED_BYTES = 8 * 1024 * 1024;
/** The code that runs: `dist/src` when built, `src` under the tests. Its checks are in `../rules`. */

export interface RunCacheOptions {
  cwd: string;
  configPath?: string;
  baselinePath?: string;
  /** `--report-unused-disable-directives[-severity]`: another answer for the same tree. */
  unusedDirectives?: string;
  /** `--drift` runs only the stale checks (and explains them): another answer for the same tree. */
  only?: ReadonlySet<string>;
}

export interface CachedRun {
  result: LintResult;
  checks: CheckInfo[];
}

export interface RunCache {
  /** The cached result, when every input is as it was. */
  hit: CachedRun | undefined;
  /** The repository and what `git ls-files` said of it: a run on a miss starts from them. */
  root: string;
  listing: WorkTreeListing;
  /** Remembers a run's result; `baselinePath` is the baseline it applied, if any. */
  store(run: CachedRun, baselinePath: string | null): Promise<void>;
}

interface StoredRun extends CachedRun {
  variant: string;
  key: string;
  /** Files found only by running: the baseline a configuration names. */
  dependencies: Array<{ path: string; signature: string }>;
}

/**
 * Opens the run cache for a full lint at `options.cwd`, or null when there is none to use (outside
 * git, or anything unexpected: the run then goes the full way, which reports problems properly).
 */
export async function openRunCache(options: RunCacheOptions): Promise<RunCache | null> {
  try {
    return await open(options);
  } catch {
    return null;
  }
}

async function open(options: RunCacheOptions): Promise<RunCache | null> {
  const cwd = resolve(options.cwd);
  const [located, configList] = await Promise.all([runGit(cwd, ["rev-parse", "--show-toplevel", "--git-path", "harness-lint", "--git-path", "info/exclude"]), runGit(cwd, ["config", "-z", "--list"])]);
  const [root, cachePath, excludePath] = located.toString("utf8").split("\n");
  if (!root || !cachePath || !excludePath) return null;
  const settings = parseConfigList(configList);
  if ((settings.get("core.filemode") ?? "true").toLowerCase() === "false") return null;
  const override = cacheOverride(root);
  if (override === null) return null;
  const directory = override ?? resolve(cwd, cachePath);

  const variant = JSON.stringify([cwd, options.configPath ?? null, options.baselinePath ?? null, options.unusedDirectives ?? null, options.only === undefined ? null : [...options.only].sort()]);
  const [listing, stored, head] = await Promise.all([
    Promise.all([runGit(root, [...INDEX_LISTING_ARGS]), runGit(root, [...CHANGES_LISTING_ARGS])]).then(([index, changes]) => ({ index, changes })),
    readStored(directory),
    // Evidence and --drift read history: a commit that leaves every file as it was still changes them.
    runGit(root, ["rev-parse", "-q", "--verify", "HEAD"]).then(
      (out) => out.toString("utf8").trim(),
      () => "",
    ),
  ]);
  const key = await runKey(root, listing, resolve(cwd, excludePath), configList, settings, options, head);
  const previous = stored.find((run) => run.variant === variant);
  let hit: CachedRun | undefined;
  // An entry git does not watch (assume-unchanged, skip-worktree) may change without changing any
  // listing: such a repository is always linted the full way.
  const unwatched = /(?:^|\0)[a-zS] /.test(listing.index.toString("latin1"));
  if (!unwatched && previous !== undefined && previous.key === key && (await dependenciesUnchanged(previous.dependencies))) {
    hit = { result: previous.result, checks: previous.checks };
  }
  return {
    hit,
    root,
    listing,
    store: async (run, baselinePath) => {
      const dependencies = baselinePath === null ? [] : [{ path: baselinePath, signature: await fileSignature(baselinePath) }];
      const entry: StoredRun = { variant, key, dependencies, ...run };
      // Re-read: another process may have stored its own variant meanwhile.
      const others = (await readStored(directory)).filter((other) => other.variant !== variant);
      const runs = [entry, ...others].slice(0, MAX_VARIANTS);
      try {
        await writeCacheFile(directory, RUN_FILE, JSON.stringify({ build: await buildFingerprint(), runs }));
      } catch {
        // A read-only .git or a full disk costs the next run its shortcut, not this run its result.
      }
    },
  };
}

async function runKey(
  root: string,
  { index, changes }: WorkTreeListing,
  excludePath: string,
  configList: Buffer,
  settings: Map<string, string>,
  options: RunCacheOptions,
  head: string,
): Promise<string> {
  const hash = createHash("sha256");
  const part = (label: string, value: string | Uint8Array) => {
    hash.update(`\0${label}\0${value.length}\0`);
    hash.update(value);
  };
  part("build", await buildFingerprint());
  part("root", root);
  part("head", head);
  part("index", index);
  part("changes", changes);
  const changedPaths = [
    ...new Set(
      splitNul(changes)
        .filter((record) => record[0] !== "R")
        .map((record) => record.slice(2)),
    ),
  ].sort();
  const signatures = await Promise.all(changedPaths.map((path) => fileSignature(join(root, path))));
  changedPaths.forEach((path, i) => part(`file:${path}`, signatures[i]!));
  part("git-config", configList);
  part("info-exclude", await fileSignature(excludePath));
  part("global-exclude", await fileSignature(globalExcludesFile(settings)));
  for (const place of CONFIG_SEARCH_PLACES) part(`config:${place}`, await fileSignature(join(root, place)));
  if (options.configPath !== undefined) part("config-file", await fileSignature(resolve(options.configPath)));
  if (options.baselinePath !== undefined) part("baseline-file", await fileSignature(resolve(options.baselinePath)));
  if (options.unusedDirectives !== undefined) part("unused-directives", options.unusedDirectives);
  return hash.digest("hex");
}

/**
 * What a file is, cheaply and without following it anywhere it should not go: the content hash
 * of a regular file (size and time past a limit), a symlink's target, or that it is missing.
 */
async function fileSignature(path: string): Promise<string> {
  const info = await lstat(path).catch(() => null);
  if (info === null) return "missing";
  if (info.isSymbolicLink()) return `link:${await readlink(path).catch(() => "")}`;
  if (!info.isFile()) return `other:${info.mode}`;
  const mode = (info.mode & 0o111) !== 0 ? "x" : "-";
  if (info.size > MAX_HASHED_BYTES) return `big:${mode}:${info.size}:${info.mtimeMs}:${info.ino}`;
  // Bounded by bytes read: a /proc file says 0 bytes by stat and may never end.
  const bytes = await readRegularFile(path, "file", { maxBytes: MAX_HASHED_BYTES, noFollow: true }).catch(() => null);
  if (bytes === null) return `unreadable:${info.size}:${info.mtimeMs}:${info.ino}`;
  return `file:${mode}:${createHash("sha256").update(bytes).digest("hex")}`;
}

async function dependenciesUnchanged(dependencies: StoredRun["dependencies"]): Promise<boolean> {
  for (const dependency of dependencies) {
    if ((await fileSignature(dependency.path)) !== dependency.signature) return false;
  }
  return true;
}

function parseConfigList(output: Buffer): Map<string, string> {
  const settings = new Map<string, string>();
  for (const record of splitNul(output)) {
    const newline = record.indexOf("\n");
    const name = (newline === -1 ? record : record.slice(0, newline)).toLowerCase();
    settings.set(name, newline === -1 ? "true" : record.slice(newline + 1));
  }
  return settings;
}

/** The per-user ignore file git reads: core.excludesFile, else $XDG_CONFIG_HOME/git/ignore. */
function globalExcludesFile(settings: Map<string, string>): string {
  const configured = settings.get("core.excludesfile");
  if (configured !== undefined && configured !== "") {
    return configured.startsWith("~/") ? join(homedir(), configured.slice(2)) : resolve(configured);
  }
  const xdg = process.env.XDG_CONFIG_HOME;
  return join(xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".config"), "git", "ignore");
}

async function readStored(directory: string): Promise<StoredRun[]> {
  try {
    const data = JSON.parse((await readCacheFile(join(directory, RUN_FILE))) ?? "null") as { build?: unknown; runs?: unknown };
    if (data.build !== (await buildFingerprint()) || !Array.isArray(data.runs)) return [];
    return data.runs.filter(isStoredRun);
  } catch {
    return []; // missing, corrupt or from another build: as if empty
  }
}

function isStoredRun(value: unknown): value is StoredRun {
  if (typeof value !== "object" || value === null) return false;
  const run = value as Partial<StoredRun>;
  return (
    typeof run.variant === "string" &&
    typeof run.key === "string" &&
    Array.isArray(run.dependencies) &&
    Array.isArray(run.checks) &&
    typeof run.result === "object" &&
    run.result !== null &&
    Array.isArray(run.result.findings)
  );
}
