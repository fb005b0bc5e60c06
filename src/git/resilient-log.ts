import { gitExitError, spawnGit } from "./command.js";
import { isUnreadableFailure, ObjectReader } from "./object-reader.js";

// `git log -p` (and -G, -S, -M) dies on the first object it cannot read: a trimmed or partial
// clone, a snapshot without its large blobs, a history with one corrupt tree. One old binary
// nobody asked about then took the whole history with it. This runs such a log the fast way
// first; only when git fails on an unreadable object does it list the walk (commits and their
// raw changes, which need no blob), find the objects that are missing, and run the log again
// over the commits that do not need them, and over the others without their unreadable paths.
// What could not be compared is counted, and said in one stderr line per run (`unreadableNote`).

/**
 * A root commit is diffed against the empty tree whatever the user's config says (harmless to
 * commands other than log). Everything else that must not come from the repository (fsmonitor,
 * filters, textconv, lazy fetches, output encodings) is set by the one invocation builder.
 */
const LOG_CONFIG = ["-c", "log.showRoot=true"];

export interface ResilientLogOptions {
  /** Walk options: order and selection (`--topo-order`, `--no-merges`, `--since=...`). */
  walk: string[];
  /** What to show for each commit: format, diff options, pickaxe. The format starts with `mark` + `%H`. */
  show: string[];
  /** The revisions walked; each checked not to look like an option. */
  revisions: string[];
  /** Pathspecs, empty for the whole tree. */
  paths?: string[];
  /** The character that starts each commit's header in the output, followed by the full sha. */
  mark: string;
  /** `--diff-merges=...` when the log diffs merges, so the raw listing sees what the log reads. */
  merges: string[];
}

export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs git with an argument list through the invocation builder (`spawnGit`), feeding `input` on
 * stdin; never rejects for a git failure (only for a git that cannot start).
 */
export function runGitCollect(root: string, args: string[], input?: string): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(root, [...LOG_CONFIG, ...args]);
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.stdin.on("error", () => undefined);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(chunks), stderr }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

// ---- the one line a run says about what it could not read -----------------------------------

let skipped = 0;
let announced = false;

/** Counts comparisons history left out because git could not read an object they need. */
export function noteUnreadable(count: number): void {
  if (count <= 0) return;
  skipped += count;
  if (announced) return;
  announced = true;
  // One line when the run ends, however many readers met unreadable objects.
  process.once("exit", () => {
    process.stderr.write(
      `harness-lint: ${skipped} old file version${skipped === 1 ? "" : "s"} could not be read from this clone (trimmed or partial?); history skipped ${skipped === 1 ? "that comparison" : "those comparisons"}\n`,
    );
  });
}

/** How many comparisons this process has skipped so far (for tests and the library). */
export function unreadableCount(): number {
  return skipped;
}

// ---- the log -----------------------------------------------------------------------------------

/**
 * `git log <walk> <show> <revisions> -- <paths>`, whole; when git fails on an unreadable object,
 * the same output for every commit it can still compare, in the same order.
 */
export async function resilientLog(root: string, options: ResilientLogOptions): Promise<Buffer> {
  for (const revision of options.revisions) assertRevision(revision);
  const paths = options.paths ?? [];
  const fast = await runGitCollect(root, ["log", ...options.walk, ...options.show, ...options.revisions, "--", ...paths]);
  if (fast.code === 0) return fast.stdout;
  if (!isUnreadableFailure(fast.stderr)) throw new Error(`git log failed: ${oneLine(fast.stderr) || `exit ${fast.code}`}`);
  return logPastUnreadable(root, options, fast.stdout);
}

/**
 * The slow way of `resilientLog`, for a log that met an unreadable object after printing `printedSoFar`.
 * The commits git printed before its last one are whole and kept; the walk resumes at that last one
 * (which may have died mid-diff), so only the rest of the history is read again.
 */
export async function logPastUnreadable(root: string, options: ResilientLogOptions, printedSoFar: Buffer = Buffer.alloc(0)): Promise<Buffer> {
  const printed = [...splitByCommit(printedSoFar, options.mark)];
  const kept = printed.slice(0, -1);
  const pieces = new Map<string, Buffer>();
  const { order, lost } = await readPastUnreadable(root, options, printed.at(-1)?.[0], (sha, piece) => pieces.set(sha, piece));
  noteUnreadable(lost);
  const ordered: Buffer[] = kept.map(([, piece]) => piece);
  for (const sha of order) {
    const piece = pieces.get(sha);
    if (piece) ordered.push(piece);
  }
  return Buffer.concat(ordered);
}

/** Receives one commit's bytes of a log: its header mark, full sha, and all it printed for it. */
export type CommitSink = (sha: string, piece: Buffer) => void;

/**
 * As `resilientLog`, without keeping the output: each commit's bytes go to `sink` once whole, so
 * memory holds one commit at a time however long the history. The fast way gives them in walk
 * order; past an unreadable object they may come in any order (a commit read alone comes last).
 * Returns how many comparisons were skipped, which the caller notes (`noteUnreadable`).
 */
export async function streamResilientLog(root: string, options: ResilientLogOptions, sink: CommitSink): Promise<number> {
  for (const revision of options.revisions) assertRevision(revision);
  const paths = options.paths ?? [];
  const fast = await streamGit(root, ["log", ...options.walk, ...options.show, ...options.revisions, "--", ...paths], undefined, options.mark, sink);
  if (fast.code === 0) return 0;
  if (!isUnreadableFailure(fast.stderr)) throw new Error(`git log failed: ${oneLine(fast.stderr) || `exit ${fast.code}`}`);
  return continuePastUnreadable(root, options, await walkedCommits(root, options), fast, sink);
}

/** Objects met one at a time before the walk is listed whole instead (`readPastUnreadable`). */
const MAX_PLACED_FAILURES = 16;

/**
 * Goes on from a log over `list` (a tail of the walk) that stopped on an unreadable object: git
 * names the object, one `git log --find-object` finds the first commit from where it stopped that
 * changes it, that commit is read alone without the paths that hold it, and the log resumes after
 * it. The work is what the log itself costs, plus one short search per unreadable object, however
 * long the history; only when the failure cannot be placed is the rest listed commit by commit.
 */
async function continuePastUnreadable(root: string, options: ResilientLogOptions, walked: readonly string[], first: StreamedRun, sink: CommitSink): Promise<number> {
  const paths = options.paths ?? [];
  let lost = 0;
  let list = walked;
  let failure = first;
  for (let failures = 1; ; failures++) {
    const oid = unreadableObject(failure.stderr);
    // What git was printing when it stopped; nothing printed means it stopped before the first commit.
    const start = failure.unfinished === undefined ? 0 : list.indexOf(failure.unfinished.sha);
    const found = oid === undefined || start === -1 || failures > MAX_PLACED_FAILURES ? null : await firstChanging(root, options, list.slice(start), oid);
    if (found === null) {
      const rest = await readPastUnreadable(root, options, list[Math.max(0, start)], sink);
      return lost + rest.lost;
    }
    // A commit git finished printing before it met the object in a later one is whole.
    if (failure.unfinished !== undefined && failure.unfinished.sha !== found.sha) sink(failure.unfinished.sha, failure.unfinished.piece);
    lost += await readAlone(root, options, found.sha, found.paths, sink);
    const next = list.slice(list.indexOf(found.sha) + 1);
    if (next.length === 0) return lost;
    const run = await streamGit(root, ["log", "--no-walk=unsorted", "--stdin", ...options.show, "--", ...paths], `${next.join("\n")}\n`, options.mark, sink);
    if (run.code === 0) return lost;
    if (!isUnreadableFailure(run.stderr)) return lost + 1;
    list = next;
    failure = run;
  }
}

/** The object id git names when it cannot read one (`unable to read <oid>`, `missing blob <oid>`, ...). */
function unreadableObject(stderr: string): string | undefined {
  return /\b([0-9a-f]{40}(?:[0-9a-f]{24})?)\b/.exec(stderr)?.[1];
}

/**
 * The first of `commits` (in that order) whose diff has `oid` on a side, and the paths where it
 * does: one `git log --find-object`, which compares trees only and stops at the first found.
 */
async function firstChanging(root: string, options: ResilientLogOptions, commits: readonly string[], oid: string): Promise<{ sha: string; paths: string[] } | null> {
  if (commits.length === 0) return null;
  const paths = options.paths ?? [];
  const run = await runGitCollect(
    root,
    ["log", "--no-walk=unsorted", "--stdin", "--max-count=1", "--raw", "--no-renames", "--no-abbrev", "-z", ...options.merges, `--find-object=${oid}`, "--format=\x1e%H", "--", ...paths],
    `${commits.join("\n")}\n`,
  );
  if (run.code !== 0) return null;
  for (const record of run.stdout.toString("utf8").split("\x1e")) {
    const end = record.indexOf("\0");
    const sha = record.slice(0, end === -1 ? record.length : end).trim();
    if (!/^[0-9a-f]{40,64}$/.test(sha) || !commits.includes(sha)) continue;
    const held = rawEntries(record)
      .filter((entry) => entry.oids.includes(oid))
      .map((entry) => entry.path);
    return held.length === 0 ? null : { sha, paths: [...new Set(held)] };
  }
  return null;
}

/** One commit read without `unreadable` paths (and any other it turns out to need); returns the comparisons skipped. */
async function readAlone(root: string, options: ResilientLogOptions, sha: string, unreadable: string[], sink: CommitSink): Promise<number> {
  const paths = options.paths ?? [];
  const left = new Set(unreadable);
  for (let attempt = 0; attempt < 8; attempt++) {
    const pathspecs = [...(paths.length > 0 ? paths : ["."]), ...[...left].map((path) => `:(literal,exclude)${path}`)];
    const run = await runGitCollect(root, ["log", "--no-walk", ...options.show, sha, "--", ...pathspecs]);
    if (run.code === 0) {
      for (const [piece, text] of splitByCommit(run.stdout, options.mark)) if (piece === sha) sink(sha, text);
      return left.size;
    }
    const oid = isUnreadableFailure(run.stderr) ? unreadableObject(run.stderr) : undefined;
    const more = oid === undefined ? null : await firstChanging(root, options, [sha], oid);
    if (more === null) break;
    for (const path of more.paths) left.add(path);
  }
  // The commit cannot be compared at all: it is skipped whole.
  return left.size + 1;
}

/**
 * The commits of the walk from `resumeAt` on (all of it when undefined), each to `sink` as far as
 * git can read it. Returns the walk's order from there and how many comparisons were skipped.
 */
async function readPastUnreadable(root: string, options: ResilientLogOptions, resumeAt: string | undefined, sink: CommitSink): Promise<{ order: string[]; lost: number }> {
  for (const revision of options.revisions) assertRevision(revision);
  const paths = options.paths ?? [];
  // The walk itself needs only commits. A commit that cannot be read cuts the history every answer
  // stands on (what came before it, what each later commit is compared with): that is a damaged
  // repository, said in one line (gitExitError), not a comparison to skip.
  const walked = await walkedCommits(root, options);
  const commits = resumeAt === undefined ? walked : walked.slice(Math.max(0, walked.indexOf(resumeAt)));
  let lost = 0;

  // What each commit changed, from raw listings (trees only, no blob), resumed past a bad tree.
  const changes = new Map<string, Array<{ path: string; oids: string[] }>>();
  const unlisted = new Set<string>();
  for (let from = 0; from < commits.length; ) {
    const batch = commits.slice(from);
    const raw = await runGitCollect(root, ["log", "--no-walk=unsorted", "--stdin", "--raw", "--no-abbrev", "-z", ...options.merges, "--format=\x1e%H", "--", ...paths], batch.join("\n") + "\n");
    let last = -1;
    for (const record of raw.stdout.toString("utf8").split("\x1e")) {
      const sha = record.slice(0, record.indexOf("\0") === -1 ? record.length : record.indexOf("\0")).trim();
      if (!/^[0-9a-f]{40,64}$/.test(sha)) continue;
      changes.set(sha, rawEntries(record));
      last = batch.indexOf(sha, last + 1);
    }
    if (raw.code === 0) break;
    // git prints a commit once its diff is made: the commit after the last printed one failed.
    const failed = batch[last + 1];
    if (failed === undefined) break;
    unlisted.add(failed);
    changes.delete(failed);
    from += last + 2;
    if (unlisted.size > 64) {
      for (const sha of commits.slice(from)) unlisted.add(sha);
      break;
    }
  }

  const oids = new Set<string>();
  for (const entries of changes.values()) for (const entry of entries) for (const oid of entry.oids) oids.add(oid);
  const missing = await missingObjects(root, [...oids]);
  oids.clear();

  const good: string[] = [];
  const partial = new Map<string, string[]>();
  for (const sha of commits) {
    if (unlisted.has(sha)) continue;
    const bad = (changes.get(sha) ?? []).filter((entry) => entry.oids.some((oid) => missing.has(oid))).map((entry) => entry.path);
    if (bad.length === 0) good.push(sha);
    else partial.set(sha, bad);
  }
  changes.clear();

  if (good.length > 0) {
    const run = await streamGit(root, ["log", "--no-walk=unsorted", "--stdin", ...options.show, "--", ...paths], good.join("\n") + "\n", options.mark, sink);
    if (run.code !== 0) lost++;
  }
  for (const [sha, bad] of partial) {
    lost += bad.length;
    const pathspecs = [...(paths.length > 0 ? paths : ["."]), ...bad.map((path) => `:(literal,exclude)${path}`)];
    const run = await runGitCollect(root, ["log", "--no-walk", ...options.show, sha, "--", ...pathspecs]);
    if (run.code !== 0) continue;
    for (const [piece, text] of splitByCommit(run.stdout, options.mark)) if (piece === sha) sink(sha, text);
  }
  lost += unlisted.size;
  return { order: commits, lost };
}

/**
 * Runs git, cutting its output into commits by the header mark as it streams: each commit goes
 * to `sink` once the next one starts (the last when git exits cleanly). When git fails, the
 * commit it was printing is not given, and is named as `unfinished`.
 */
interface StreamedRun {
  code: number;
  stderr: string;
  /** When git failed: the commit it was printing, as far as it got (not given to the sink). */
  unfinished?: { sha: string; piece: Buffer };
}

function streamGit(root: string, args: string[], input: string | undefined, mark: string, sink: CommitSink): Promise<StreamedRun> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(root, [...LOG_CONFIG, ...args]);
    const splitter = new CommitSplitter(mark, sink);
    let stderr = "";
    let failed: unknown;
    child.stdout.on("data", (chunk: Buffer) => {
      if (failed !== undefined) return;
      try {
        splitter.push(chunk);
      } catch (error) {
        // A sink that throws stops the reading; the error is the caller's.
        failed = error;
        child.kill();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.stdin.on("error", () => undefined);
    child.on("close", (code) => {
      if (failed !== undefined) return reject(failed);
      const exit = code ?? 1;
      if (exit !== 0) {
        const unfinished = splitter.unfinished();
        return resolve({ code: exit, stderr, ...(unfinished !== undefined ? { unfinished } : {}) });
      }
      try {
        splitter.finish();
      } catch (error) {
        return reject(error);
      }
      resolve({ code: exit, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

const SHA_LENGTH = 40;
const NEWLINE = 0x0a;
const NUL = 0x00;

/**
 * Cuts a stream of log output into commits. A commit starts with the mark (one byte) at the start
 * of the output or after a newline or NUL, followed by a full sha. Chunks are kept as they came
 * until the commit ends, so a commit of any size is joined once.
 */
class CommitSplitter {
  private readonly markByte: number;
  private parts: Buffer[] = [];
  /** Bytes of a possible mark whose sha has not arrived yet. */
  private carry: Buffer = Buffer.alloc(0);
  /** The byte before the next chunk: a mark counts only after a newline or NUL, or first. */
  private previous = NEWLINE;

  constructor(
    mark: string,
    private readonly sink: CommitSink,
  ) {
    if (Buffer.byteLength(mark) !== 1) throw new Error("a log's commit mark is one byte");
    this.markByte = Buffer.from(mark)[0]!;
  }

  push(data: Buffer): void {
    const chunk = this.carry.length > 0 ? Buffer.concat([this.carry, data]) : data;
    this.carry = Buffer.alloc(0);
    let from = 0;
    for (let at = chunk.indexOf(this.markByte); at !== -1; at = chunk.indexOf(this.markByte, at + 1)) {
      const before = at > 0 ? chunk[at - 1] : this.previous;
      if (before !== NEWLINE && before !== NUL) continue;
      if (at + 1 + SHA_LENGTH > chunk.length) {
        // Perhaps a mark whose sha comes with the next chunk: decided then.
        this.parts.push(chunk.subarray(from, at));
        this.carry = Buffer.from(chunk.subarray(at));
        this.previous = before;
        return;
      }
      if (!isHex(chunk, at + 1, SHA_LENGTH)) continue;
      this.parts.push(chunk.subarray(from, at));
      this.flush();
      from = at;
    }
    this.parts.push(chunk.subarray(from));
    if (chunk.length > 0) this.previous = chunk[chunk.length - 1]!;
  }

  /** The stream ended cleanly: the last commit is whole. */
  finish(): void {
    if (this.carry.length > 0) this.parts.push(this.carry);
    this.carry = Buffer.alloc(0);
    this.flush();
  }

  /** The commit being printed when the stream stopped (not given to the sink). */
  unfinished(): { sha: string; piece: Buffer } | undefined {
    const piece = Buffer.concat([...this.parts, this.carry]);
    const sha = shaAfterMark(piece);
    return sha === undefined ? undefined : { sha, piece };
  }

  private flush(): void {
    const piece = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    const sha = shaAfterMark(piece);
    // Anything before the first mark (git prints none) is not a commit.
    if (sha !== undefined) this.sink(sha, piece);
  }
}

function isHex(buffer: Buffer, from: number, length: number): boolean {
  for (let i = from; i < from + length; i++) {
    const c = buffer[i]!;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** The full sha after the mark a piece starts with. */
function shaAfterMark(piece: Buffer): string | undefined {
  return /^[0-9a-f]{40,64}/.exec(piece.toString("latin1", 1, 1 + 64))?.[0];
}

/** `:<modes> <old> <new> <status>\0<path>[\0<path>]` entries of one raw record. */
function rawEntries(record: string): Array<{ path: string; oids: string[] }> {
  const fields = record.split("\0");
  const entries: Array<{ path: string; oids: string[] }> = [];
  for (let i = 1; i < fields.length; i++) {
    const match = /^\n?:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])/.exec(fields[i]!);
    if (!match) continue;
    const two = match[3] === "R" || match[3] === "C";
    const path = fields[i + (two ? 2 : 1)] ?? "";
    const from = two ? (fields[i + 1] ?? "") : undefined;
    const oids = [match[1]!, match[2]!].filter((oid) => !/^0+$/.test(oid));
    entries.push({ path, oids });
    if (from !== undefined && from !== path) entries.push({ path: from, oids });
    i += two ? 2 : 1;
  }
  return entries;
}

/** Which of these objects git cannot read: asked of one `cat-file --batch-check` (the object reader). */
async function missingObjects(root: string, oids: string[]): Promise<Set<string>> {
  const missing = new Set<string>();
  if (oids.length === 0) return missing;
  const reader = new ObjectReader(root);
  try {
    const infos = await Promise.all(oids.map((oid) => reader.info(oid)));
    infos.forEach((info, index) => {
      if (info === null) missing.add(oids[index]!);
    });
  } finally {
    reader.close();
  }
  // A blob listed but corrupt in its pack shows only when read: sizes come from the pack index.
  return missing;
}

/** Splits log output into each commit's bytes, by the header mark followed by a full sha. */
function splitByCommit(output: Buffer, mark: string): Map<string, Buffer> {
  const pieces = new Map<string, Buffer>();
  const markByte = Buffer.from(mark, "utf8");
  const starts: Array<{ at: number; sha: string }> = [];
  for (let at = output.indexOf(markByte); at !== -1; at = output.indexOf(markByte, at + 1)) {
    const previous = at === 0 ? 0x0a : output[at - 1];
    if (previous !== 0x0a && previous !== 0x00) continue;
    const sha = /^[0-9a-f]{40,64}/.exec(output.toString("latin1", at + markByte.length, at + markByte.length + 64))?.[0];
    if (sha !== undefined) starts.push({ at, sha });
  }
  starts.forEach((start, i) => pieces.set(start.sha, output.subarray(start.at, starts[i + 1]?.at ?? output.length)));
  return pieces;
}

function oneLine(text: string): string {
  return text
    .replace(/[\0\s]+/g, " ")
    .trim()
    .slice(0, 300);
}

/**
 * `git log --no-walk` over a list of commits, in that order: one process for the list, or, when
 * git cannot read an object one of them needs, one per commit, leaving out those it cannot read.
 */
export async function logCommitList(root: string, shas: readonly string[], show: string[]): Promise<Buffer> {
  if (shas.length === 0) return Buffer.alloc(0);
  // Full object ids only: nothing on stdin or the command line can read as an option.
  for (const sha of shas) if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`refusing commit ${JSON.stringify(sha)}: not a full object id`);
  const run = await runGitCollect(root, ["log", "--no-walk=unsorted", "--stdin", ...show, "--"], `${shas.join("\n")}\n`);
  if (run.code === 0) return run.stdout;
  if (!isUnreadableFailure(run.stderr)) throw new Error(`git log failed: ${oneLine(run.stderr) || `exit ${run.code}`}`);
  const pieces: Buffer[] = [];
  let lost = 0;
  for (const sha of shas) {
    const one = await runGitCollect(root, ["log", "--no-walk", ...show, sha, "--"]);
    if (one.code === 0) pieces.push(one.stdout);
    else lost++;
  }
  noteUnreadable(lost);
  return Buffer.concat(pieces);
}

/** A revision that git would read as an option is refused before it reaches the command line. */
export function assertRevision(revision: string): void {
  const bare = revision.startsWith("^") ? revision.slice(1) : revision;
  if (bare === "" || bare.startsWith("-") || /[\0\n\r]/.test(bare)) {
    throw new Error(`refusing revision ${JSON.stringify(revision)}: it does not name a commit`);
  }
}

/** The commits the walk visits, in its order (`git rev-list` with the walk's options): commits only, no object read. */
async function walkedCommits(root: string, options: ResilientLogOptions): Promise<string[]> {
  const listed = await runGitCollect(root, ["rev-list", ...options.walk, ...options.revisions, "--", ...(options.paths ?? [])]);
  if (listed.code !== 0) throw gitExitError("rev-list", listed.code, listed.stderr);
  return listed.stdout
    .toString("utf8")
    .split("\n")
    .filter((line) => /^[0-9a-f]{40,64}$/.test(line));
}
