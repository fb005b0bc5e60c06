import { existsSync, realpathSync } from "node:fs";
import { join, relative, isAbsolute } from "node:path";
import { UserError } from "../shared/errors.js";
import { execGit, gitExitError } from "./command.js";
import { splitNul } from "./file-source.js";

// git is always run with an argument list through src/git/command.ts (no shell, hostile config
// disarmed), never with text spliced into a command line: paths and refs may start with `-`.

/**
 * git's stdout as text. Like the client library this replaced, a failing exit that printed nothing
 * on stderr is an answer, not an error: `config --get` of an unset key, `rev-parse --verify
 * --quiet` of a missing revision, `check-ignore` with nothing ignored all exit 1 silently.
 */
export async function gitText(root: string, args: readonly string[]): Promise<string> {
  const result = await execGit(root, args);
  if (result.missing) throw new UserError("git is not on PATH; install git or fix PATH");
  if (result.code !== 0 && result.stderr.trim() !== "") {
    const error = gitExitError(args[0] ?? "", result.code, result.stderr);
    throw error instanceof UserError ? error : new GitFailure(args[0] ?? "", result.stderr);
  }
  return result.stdout.toString("utf8");
}

export class GitFailure extends Error {
  constructor(
    command: string,
    readonly stderr: string,
  ) {
    super(`git ${command} failed: ${stderr.replace(/\s+/g, " ").trim()}`);
    this.name = "GitFailure";
  }
}

/** The repository root around `cwd`, or null when `cwd` is not inside a git work tree. */
export async function findRepoRoot(cwd: string): Promise<string | null> {
  const run = await execGit(cwd, ["rev-parse", "--show-toplevel"]);
  const result = { top: run.code === 0 ? run.stdout.toString("utf8").trim() : "", missing: run.missing, stderr: run.code === 0 ? "" : run.stderr };
  if (result.missing && hasGitDirAbove(cwd)) {
    throw new UserError(`git is not on PATH, and ${cwd} is inside a git repository; install git or fix PATH`);
  }
  const refused = refusedRepository(result.stderr);
  if (refused !== null) {
    // Linting it as a plain folder would ignore .gitignore and skip history: stop and say why.
    const where = refused || cwd;
    throw new UserError(`git refuses to read the repository at ${where}: it belongs to another user ("dubious ownership"); if you trust it, run \`git config --global --add safe.directory ${where}\``);
  }
  if (result.top && !contains(result.top, cwd)) {
    // core.worktree (or GIT_WORK_TREE) names a folder that does not hold the one the user is in:
    // linting, `init` and `postmortem new` would read and write there instead.
    throw new UserError(`git says the work tree of the repository at ${cwd} is ${result.top} (core.worktree), which does not contain it; refusing to work outside the folder you are in`);
  }
  return result.top || null;
}

function contains(root: string, dir: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  };
  const rel = relative(real(root), real(dir));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
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
  const [listed, deleted] = await Promise.all([gitText(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]), gitText(root, ["ls-files", "-z", "--deleted"])]);
  const gone = new Set(splitNul(deleted));
  const files = new Set<string>();
  for (const file of splitNul(listed)) if (!gone.has(file)) files.add(file);
  return [...files];
}

/** Which of these repo-relative paths git would ignore (tracked or not). */
export async function ignoredPaths(root: string, asked: string[]): Promise<Set<string>> {
  const ignored = new Set<string>();
  // One path outside the repository makes git refuse the whole list: such a path is never ignored.
  const paths = asked.filter((path) => path !== "" && !path.startsWith("/") && !path.split("/").includes(".."));
  for (let i = 0; i < paths.length; i += 500) {
    const chunk = paths.slice(i, i + 500);
    try {
      // With quotePath off (src/git/command.ts), one path a line.
      const output = await gitText(root, ["check-ignore", "--no-index", "--", ...chunk]);
      for (const path of output.split("\n")) if (path !== "") ignored.add(path);
    } catch {
      // exit 1 means "none ignored"; anything else leaves the paths to be checked as usual.
    }
  }
  return ignored;
}

export { splitNul };
