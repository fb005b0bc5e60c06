// The one place that builds a git invocation. Whoever can write a repository's `.git` (an archive
// handed over, a shared CI cache) or commit a `.gitattributes` can name programs for git to run:
// an fsmonitor, hooks, a pager, external diff and textconv drivers, clean/process filters, a gpg
// program for signed commits, a fetch from a promisor remote. Every git harness-lint starts gets
// settings that switch those off, at "command" scope, which beats every config file. The user's
// own config still applies otherwise (safe.directory, includes), and the user's environment too.
//
// The overrides go through GIT_CONFIG_COUNT/KEY/VALUE rather than `-c`: a key is passed apart from
// its value, so a filter name with `=` or `.` in it cannot change what is set, and git hands them
// on to any git it starts itself (a lazy fetch in a partial clone).

import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { UserError } from "../shared/errors.js";

/** Settings that turn off every program git could run for a read, and fix output formats. */
const DISARM: ReadonlyArray<readonly [string, string]> = [
  ["core.fsmonitor", "false"],
  // A folder that cannot exist: /dev/null is a file, so no hook is found under it.
  ["core.hooksPath", "/dev/null/no-hooks"],
  ["core.pager", "cat"],
  ["core.quotePath", "false"],
  ["diff.external", ""],
  ["log.showSignature", "false"],
  ["gpg.program", "false"],
  ["gpg.ssh.program", "false"],
  ["gpg.x509.program", "false"],
  // A partial clone fetches missing objects on read: no transport may run (git < 2.44 has no
  // GIT_NO_LAZY_FETCH), so a missing object is just missing.
  ["protocol.allow", "never"],
  ...["file", "git", "ssh", "http", "https", "ext", "fd"].map((name) => [`protocol.${name}.allow`, "never"] as const),
  ["credential.helper", ""],
  ["core.sshCommand", "false"],
  ["core.askPass", "false"],
  // Output that parsers read must not change with the repository's taste.
  ["i18n.logOutputEncoding", "UTF-8"],
  ["color.ui", "never"],
  ...["diff", "status", "branch", "grep", "decorate", "showBranch", "interactive", "advice", "push", "remote", "transport"].map((name) => [`color.${name}`, "never"] as const),
  ["diff.noprefix", "false"],
  ["diff.mnemonicPrefix", "false"],
  ["diff.srcPrefix", "a/"],
  ["diff.dstPrefix", "b/"],
  ["diff.relative", "false"],
  ["log.mailmap", "false"],
  ["core.abbrev", "auto"],
];

/** Subcommands whose output a diff or textconv driver could write: told not to run them. */
const DIFFING = new Set(["log", "diff", "show", "diff-tree", "diff-index", "diff-files"]);

/** Environment variables that would make git run a program or read elsewhere than asked. */
const DROPPED_ENV = ["GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_PROXY_COMMAND", "GIT_EDITOR"];

/** Filter drivers configured for a repository, by root: each is disarmed by name. */
const filterNames = new Map<string, readonly string[]>();
const filterLookups = new Map<string, Promise<void>>();

/**
 * Commands that may hash a work-tree file (its stat changed since the index was written), which
 * runs the clean filter `.gitattributes` names for it.
 */
const READS_WORK_TREE = new Set(["ls-files", "diff", "diff-files", "diff-index", "status", "hash-object", "grep"]);

/**
 * A filter runs only when config defines a command for it, so the configured names are all there
 * is to switch off (attributes can name any driver, config decides which exist).
 */
function lookUpFilters(root: string): Promise<void> {
  let lookup = filterLookups.get(root);
  if (!lookup) {
    lookup = execGit(root, ["config", "-z", "--get-regexp", "^filter\\."]).then((result) => {
      const names = new Set<string>();
      for (const record of result.stdout.toString("utf8").split("\0")) {
        const key = record.split("\n", 1)[0]!;
        const match = /^filter\.(.*)\.(clean|smudge|process)$/is.exec(key);
        if (match) names.add(match[1]!);
      }
      filterNames.set(root, [...names]);
    });
    filterLookups.set(root, lookup);
  }
  return lookup;
}

/** The environment every git gets: disarming settings after any the user passed in theirs. */
export function gitEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of DROPPED_ENV) delete env[name];
  const pairs: Array<readonly [string, string]> = [...DISARM];
  for (const name of filterNames.get(root) ?? []) {
    pairs.push([`filter.${name}.clean`, ""], [`filter.${name}.smudge`, ""], [`filter.${name}.process`, ""], [`filter.${name}.required`, "false"]);
  }
  let count = Number.parseInt(env.GIT_CONFIG_COUNT ?? "0", 10);
  if (!Number.isSafeInteger(count) || count < 0) count = 0;
  for (const [key, value] of pairs) {
    env[`GIT_CONFIG_KEY_${count}`] = key;
    env[`GIT_CONFIG_VALUE_${count}`] = value;
    count++;
  }
  env.GIT_CONFIG_COUNT = String(count);
  Object.assign(env, {
    GIT_PAGER: "cat",
    GIT_TERMINAL_PROMPT: "0",
    // git >= 2.44: never fetch a missing object; older gits are stopped by protocol.allow above.
    GIT_NO_LAZY_FETCH: "1",
    // Reads never write the index (no refresh, so no post-index-change hook and no lock held
    // against the user's own git).
    GIT_OPTIONAL_LOCKS: "0",
    GIT_NO_REPLACE_OBJECTS: "1",
    // git's refusals are recognised by their English text.
    LC_ALL: "C",
  });
  return env;
}

/**
 * The arguments git is run with: `--no-pager` first, and for commands that can diff, no external
 * diff and no textconv. `args` starts with the subcommand.
 */
export function gitArgs(args: readonly string[]): string[] {
  const at = commandIndex(args);
  const command = args[at];
  if (command === undefined || !DIFFING.has(command)) return ["--no-pager", ...args];
  return ["--no-pager", ...args.slice(0, at + 1), "--no-ext-diff", "--no-textconv", ...args.slice(at + 1)];
}

/** Where the subcommand is: after any `-c key=value` pairs a caller put first. */
function commandIndex(args: readonly string[]): number {
  let at = 0;
  while (args[at] === "-c") at += 2;
  return at;
}

/**
 * `git config` reads answer the question asked: they get no overrides (which would answer for
 * them), and run nothing.
 */
function argsAndEnv(root: string, args: readonly string[]): { argv: string[]; env: NodeJS.ProcessEnv } {
  if (args[commandIndex(args)] === "config") {
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" };
    for (const name of DROPPED_ENV) delete env[name];
    return { argv: ["--no-pager", ...args], env };
  }
  return { argv: gitArgs(args), env: gitEnv(root) };
}

export interface GitResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** git itself could not be started (not on PATH). */
  missing: boolean;
}

/** Runs git to completion; never rejects (the caller decides what an exit code means). */
export async function execGit(root: string, args: readonly string[]): Promise<GitResult> {
  if (READS_WORK_TREE.has(args[commandIndex(args)] ?? "")) await lookUpFilters(root);
  const { argv, env } = argsAndEnv(root, args);
  return new Promise((resolve) => {
    execFile("git", argv, { cwd: root, encoding: "buffer", maxBuffer: 1 << 30, env }, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
      resolve({
        code: failure === null ? 0 : typeof failure.code === "number" ? failure.code : null,
        stdout,
        stderr: stderr.toString("utf8"),
        missing: failure?.code === "ENOENT",
      });
    });
  });
}

/** A long-lived git with pipes (cat-file --batch, log streams). */
export function spawnGit(root: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  const { argv, env } = argsAndEnv(root, args);
  return spawn("git", argv, { cwd: root, env });
}

/**
 * The error for a git that failed: a repository state the user can change (objects missing from a
 * partial clone, a damaged object store) is one plain line; anything else is ours to explain.
 */
export function gitExitError(command: string, code: number | string | null, stderr: string): Error {
  const said = stderr.replace(/\s+/g, " ").trim();
  if (/promisor remote|lazy fetching disabled/i.test(stderr)) {
    return new UserError(
      `this is a partial clone and git ${command} needs objects that are not local; harness-lint never fetches (a fetch could run programs a .git names): fetch them first (unset remote.<name>.partialclonefilter, then git fetch --refetch) or use a full clone`,
    );
  }
  if (
    /bad object|missing object|unable to read|could not read|failed to traverse|corrupt|invalid object|could not parse|unable to parse|not a valid object|bad tree object|does not point to a valid object/i.test(
      stderr,
    )
  ) {
    return new UserError(`the repository is damaged: git ${command} says: ${said}; repair it (git fsck) or lint a fresh clone`);
  }
  return new Error(`git ${command} exited (${code ?? "signal"}): ${said}`);
}
