import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { SimpleGit, simpleGit as SimpleGitFactory } from "simple-git";
import { UserError } from "../shared/errors.js";
import { splitNul } from "./file-source.js";

// git is always run with an argument list (simple-git spawns without a shell), never with text
// spliced into a command line: paths and refs from the repository may start with `-`.

const clients = new Map<string, SimpleGit>();

// simple-git is required on first use: the runs that never read history do not pay for loading it.
let simpleGit: typeof SimpleGitFactory | undefined;

export function git(baseDir: string): SimpleGit {
  let client = clients.get(baseDir);
  if (!client) {
    simpleGit ??= (createRequire(import.meta.url)("simple-git") as { simpleGit: typeof SimpleGitFactory }).simpleGit;
    client = simpleGit({ baseDir, binary: "git", maxConcurrentProcesses: 4, trimmed: false });
    clients.set(baseDir, client);
  }
  return client;
}

/**
 * The repository root around `cwd`, or null when `cwd` is not inside a git work tree. Every run
 * starts here, so it runs git directly: simple-git waits ~50 ms after a command that prints nothing.
 */
export async function findRepoRoot(cwd: string): Promise<string | null> {
  const result = await new Promise<{ top: string; missing: boolean; stderr: string }>((resolve) => {
    // LC_ALL=C: git's refusals are recognised by their English text.
    execFile("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } }, (error, stdout, stderr) => {
      resolve({ top: error ? "" : stdout.trim(), missing: (error as NodeJS.ErrnoException | null)?.code === "ENOENT", stderr: error ? stderr : "" });
    });
  });
  if (result.missing && hasGitDirAbove(cwd)) {
    throw new UserError(`git is not on PATH, and ${cwd} is inside a git repository; install git or fix PATH`);
  }
  const refused = refusedRepository(result.stderr);
  if (refused !== null) {
    // Linting it as a plain folder would ignore .gitignore and skip history: stop and say why.
    const where = refused || cwd;
    throw new UserError(
      `git refuses to read the repository at ${where}: it belongs to another user ("dubious ownership"); if you trust it, run \`git config --global --add safe.directory ${where}\``,
    );
  }
  return result.top || null;
}

/**
 * When git refused a repository because another user owns it (safe.directory): the repository's
 * path as git names it ("" if it does not), else null. Any other failure means "not a repository".
 */
export function refusedRepository(stderr: string): string | null {
  const dubious = /detected dubious ownership in repository at '([^']*)'/.exec(stderr);
  if (dubious) return dubious[1]!;
  // git 2.35.2 - 2.35.x: "fatal: unsafe repository ('/path' is owned by someone else)".
  const unsafe = /unsafe repository \('([^']*)' is owned by someone else\)/.exec(stderr);
  if (unsafe) return unsafe[1]!;
  return /safe\.directory/.test(stderr) ? "" : null;
}

function hasGitDirAbove(start: string): boolean {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, ".git"))) return true;
    const parent = join(dir, "..");
    if (parent === dir) return false;
    dir = parent;
  }
}

/** Tracked files plus untracked files git does not ignore, minus files deleted in the work tree. */
export async function listGitFiles(root: string): Promise<string[]> {
  const client = git(root);
  const [listed, deleted] = await Promise.all([
    client.raw(["-c", "core.quotePath=false", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]),
    client.raw(["-c", "core.quotePath=false", "ls-files", "-z", "--deleted"]),
  ]);
  const gone = new Set(splitNul(deleted));
  const files = new Set<string>();
  for (const file of splitNul(listed)) if (!gone.has(file)) files.add(file);
  return [...files];
}

/** Which of these repo-relative paths git would ignore (tracked or not). */
export async function ignoredPaths(root: string, paths: string[]): Promise<Set<string>> {
  const ignored = new Set<string>();
  const client = git(root);
  for (let i = 0; i < paths.length; i += 500) {
    const chunk = paths.slice(i, i + 500);
    try {
      // `-z` needs `--stdin`, which simple-git cannot feed; with quotePath off, one path a line.
      const output = await client.raw(["-c", "core.quotePath=false", "check-ignore", "--no-index", "--", ...chunk]);
      for (const path of output.split("\n")) if (path !== "") ignored.add(path);
    } catch {
      // exit 1 means "none ignored"; anything else leaves the paths to be checked as usual.
    }
  }
  return ignored;
}

export { splitNul };
