import { UserError } from "../shared/errors.js";
import { gitExitError, spawnGit } from "./command.js";
import { isUnreadableFailure } from "./object-reader.js";
import { assertRevision, logPastUnreadable } from "./resilient-log.js";
import { countProgress } from "../shared/progress.js";

export { assertRevision };

// History is read with two long-lived git processes instead of one process per file version:
// `git log` streams every commit once (here), and `git cat-file --batch` answers blob requests
// over a pipe (object-reader.ts, the one object reader). Both get argument lists only (no shell);
// revisions and paths from the repository never reach git's command line as options.

// ---------------------------------------------------------------------------------------------
// git log, streamed
// ---------------------------------------------------------------------------------------------

export type FileStatus = "A" | "M" | "D" | "R" | "C" | "T";

/** One path a commit changed, from `git log --raw`: blob ids on both sides (zeros when absent). */
export interface FileChange {
  status: FileStatus;
  /** The path after the commit (for D: the deleted path). */
  path: string;
  /** The path before the commit, for renames and copies. */
  fromPath?: string;
  oldOid: string;
  newOid: string;
  /** git's file modes on both sides (`100644`, `120000` for a symbolic link, `000000` when absent). */
  oldMode: string;
  newMode: string;
}

export interface LoggedCommit {
  sha: string;
  parents: string[];
  /** Committer date as ISO 8601 with the committer's offset. */
  committedAt: string;
  /** Committer time, seconds since the epoch. */
  timestamp: number;
  /** The raw message (`%B`): subject, body and trailers. */
  message: string;
  files: FileChange[];
}

export interface LogOptions {
  /** Revisions to walk (`HEAD`, `base..HEAD`, `^<sha>`); each is checked not to look like an option. */
  revisions: string[];
  /** git's `--since`, as a pre-filter; callers filter exactly themselves. */
  since?: Date;
  /** Include merge commits (their file lists stay empty: merges are not diffed). */
  merges?: boolean;
}

const COMMIT_MARK = "\x1e";

/**
 * Streams commits from `git log` in git's order (newest first), with the files each changed:
 * `--raw --no-abbrev -M -z` gives status, both paths of a rename and both blob ids, so the file
 * versions can then be read by id without asking git where they are.
 */
export async function* logCommits(root: string, options: LogOptions): AsyncGenerator<LoggedCommit> {
  for (const revision of options.revisions) assertRevision(revision);
  const walk = [...(options.merges ? [] : ["--no-merges"]), ...(options.since ? [`--since=@${Math.floor(options.since.getTime() / 1000)}`] : [])];
  const show = ["--no-color", "--no-ext-diff", "--no-textconv", "--raw", "--no-abbrev", "-M", "-z", `--format=${COMMIT_MARK}%H%x00%P%x00%cI%x00%ct%x00%B`];
  const args = [
    "-c",
    "log.showRoot=true",
    "log",
    ...show,
    ...walk,
    ...options.revisions,
    // No pathspecs: git diffs trees by object id and skips unchanged folders, so listing every
    // changed path costs less than matching harness globs (`**/CLAUDE.md`) against every entry.
    // Measured again in December 2026: with the default harness globs as pathspecs, git's CPU
    // went from 0.57 s to 1.39 s on lazygit (8,156 commits) and from 1.18 s to 3.91 s on prefect
    // (21,965), more than the classifying it saves here. Paths are classified as they stream in.
    "--",
  ];
  const child = spawnGit(root, args);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
  // A consumer that stops reading early never awaits `exited`: a git that could not start must
  // not become an unhandled rejection then (the awaited path still sees it).
  exited.catch(() => undefined);

  const parser = new LogParser();
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      for (const commit of parser.push(chunk)) yield commit;
    }
    const last = parser.finish();
    if (last) yield last;
    const code = await exited;
    if (code !== 0 && isUnreadableFailure(stderr)) {
      // An object git cannot read (a trimmed clone): the commits after it are read the slow way,
      // each without what it cannot read, and the commits already given are not given twice.
      const given = new Set(parser.seen);
      const rest = new LogParser();
      // The walk resumes at the last commit given (the stream is not kept: it was parsed already).
      const resume = parser.seen.at(-1);
      const output = await logPastUnreadable(
        root,
        { walk, show, revisions: options.revisions, mark: COMMIT_MARK, merges: [] },
        resume === undefined ? undefined : Buffer.from(`${COMMIT_MARK}${resume}\0`),
      );
      const commits = [...rest.push(output)];
      const last = rest.finish();
      if (last) commits.push(last);
      for (const commit of commits) if (!given.has(commit.sha)) yield commit;
      return;
    }
    if (code !== 0 && gitExitError("log", code, stderr) instanceof UserError) throw gitExitError("log", code, stderr);
    if (code !== 0) throw new GitCommandError(`git log failed: ${stderr.trim() || `exit ${code}`}`, stderr);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "GitCommandError";
  }
}

/**
 * Splits `git log -z` output into commits. Fields are NUL-terminated: `\x1e` + sha, parents,
 * date, timestamp, message; then raw diff entries `:<modes> <old> <new> <status>` followed by one
 * path (two for renames and copies). A message may hold any byte but NUL, so records are told
 * apart by field position, never by searching the message.
 */
class LogParser {
  private carry: Buffer = Buffer.alloc(0);
  private current: LoggedCommit | null = null;
  private header: string[] = [];
  private entry: { status: FileStatus; oldMode: string; newMode: string; oldOid: string; newOid: string; paths: string[]; need: number } | null = null;
  /** Every commit opened so far. */
  readonly seen: string[] = [];

  push(chunk: Buffer): LoggedCommit[] {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const done: LoggedCommit[] = [];
    let start = 0;
    for (let nul = data.indexOf(0, start); nul !== -1; nul = data.indexOf(0, start)) {
      const finished = this.field(data.toString("utf8", start, nul));
      if (finished) done.push(finished);
      start = nul + 1;
    }
    this.carry = Buffer.from(data.subarray(start));
    return done;
  }

  finish(): LoggedCommit | null {
    if (this.carry.length > 0) {
      const field = this.carry.toString("utf8");
      this.carry = Buffer.alloc(0);
      const finished = this.field(field);
      if (finished) return finished;
    }
    const last = this.current;
    this.current = null;
    return last;
  }

  /** Consumes one field; returns the previous commit when this field starts a new one. */
  private field(text: string): LoggedCommit | null {
    if (this.header.length === 0 && this.entry === null && text.startsWith(COMMIT_MARK) && this.isNewCommit(text)) {
      const previous = this.current;
      this.current = null;
      this.header = [text.slice(1)];
      return previous;
    }
    if (this.header.length > 0) {
      this.header.push(text);
      if (this.header.length === 5) this.openCommit();
      return null;
    }
    if (this.entry) {
      this.entry.paths.push(text);
      if (this.entry.paths.length === this.entry.need) this.closeEntry();
      return null;
    }
    // After the message, git separates the raw entries with a newline.
    const raw = /^\n?:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(text);
    if (raw) {
      const status = raw[5] as FileStatus;
      this.entry = { status, oldMode: raw[1]!, newMode: raw[2]!, oldOid: raw[3]!, newOid: raw[4]!, paths: [], need: status === "R" || status === "C" ? 2 : 1 };
    }
    return null;
  }

  private isNewCommit(text: string): boolean {
    return /^\x1e[0-9a-f]{40,64}$/.test(text);
  }

  private openCommit(): void {
    const [sha, parents, committedAt, timestamp, message] = this.header as [string, string, string, string, string];
    this.seen.push(sha);
    countProgress("commits walked");
    this.current = {
      sha,
      parents: parents === "" ? [] : parents.split(" "),
      committedAt,
      timestamp: Number(timestamp),
      message,
      files: [],
    };
    this.header = [];
  }

  private closeEntry(): void {
    const entry = this.entry!;
    this.entry = null;
    if (!this.current) return;
    const [first, second] = entry.paths as [string, string | undefined];
    const { status, oldMode, newMode, oldOid, newOid } = entry;
    const change: FileChange = second === undefined ? { status, path: first, oldOid, newOid, oldMode, newMode } : { status, path: second, fromPath: first, oldOid, newOid, oldMode, newMode };
    this.current.files.push(change);
  }
}

/** True when the object id is git's "no object" (all zeros). */
export function isNullOid(oid: string): boolean {
  return /^0+$/.test(oid);
}
