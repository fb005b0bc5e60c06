import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { UserError } from "../shared/errors.js";
import { gitExitError, spawnGit } from "./command.js";

// The one reader of git objects. History (rule-file versions, post-mortems, trees, evidence), the
// resilient log's check for missing blobs, and `--staged` (the index's blobs) all read through
// it: one long-lived `git cat-file --batch` process per reader answers requests over a pipe, so
// reading a thousand objects costs one process, not a thousand. A request is an object name git
// understands (a full object id, or `<commit>:<path>`), sent on one line, never on the command
// line.
//
// A clone that cannot read some objects (trimmed, partial, a corrupt pack) does not stop it:
// git answers `<name> missing` for an object it does not have, and when it dies on one it cannot
// read, that one object is answered "unreadable", a fresh git is started, and the requests after
// it are asked again. Reads are bounded: the pipe holds at most one answer at a time, joined only
// once all of it is here, and a read may set `maxBytes`, past which the content streams by
// without being kept.

/** Text reads (rule files, post-mortems, manifests) hold at most this much, as on disk. */
export const MAX_TEXT_BYTES = 64 << 20;

/** After this many crashes a reader stops restarting git: the repository is badly damaged. */
const MAX_RESTARTS = 64;

export interface ObjectInfo {
  oid: string;
  type: string;
  size: number;
}

export interface GitObject extends ObjectInfo {
  content: Buffer;
}

/**
 * What a read found. `missing`: git has no such object (or the name is not one object);
 * `unreadable`: git has it but failed reading it; `too-large`: over the read's `maxBytes`.
 */
export type ObjectAnswer = { found: true; object: GitObject } | { found: false; reason: "missing" | "unreadable" } | { found: false; reason: "too-large"; info: ObjectInfo };

export type InfoAnswer = { found: true; info: ObjectInfo } | { found: false; reason: "missing" | "unreadable" };

const MISSING = { found: false, reason: "missing" } as const;
const UNREADABLE = { found: false, reason: "unreadable" } as const;

/** True when git stopped because an object could not be read (missing, corrupt, not fetched). */
export function isUnreadableFailure(stderr: string): boolean {
  return /unable to (read|stream|unpack)|missing (blob|tree|commit)|could not read|bad object|is corrupt|corrupt (loose|packed)|inflate|packfile .* cannot be accessed|invalid object|could not get object info|not our ref|lazy fetch/i.test(
    stderr,
  );
}

interface Request {
  name: string;
  maxBytes: number;
  resolve(answer: ObjectAnswer | InfoAnswer): void;
  reject(error: Error): void;
}

/** One `git cat-file --batch` (or `--batch-check`) at a time, answering requests in order. */
class CatFile {
  private child: ChildProcessWithoutNullStreams | null = null;
  /** Requests written to the current git, oldest first: git answers in this order. */
  private readonly queue: Request[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes the answer being received needs in all; nothing is joined before they are here. */
  private awaiting = 0;
  /** Bytes of an over-limit object (and its newline) still to let pass unkept. */
  private skipping = 0;
  private skippedInfo: ObjectInfo | null = null;
  private failure: Error | null = null;
  private stderr = "";
  private closed = false;
  restarts = 0;

  constructor(
    private readonly root: string,
    private readonly mode: "--batch" | "--batch-check",
  ) {}

  request(name: string, maxBytes: number): Promise<ObjectAnswer | InfoAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    // The protocol is line-based: a name with a newline cannot be asked for, so it does not exist.
    if (this.closed || /[\n\r]/.test(name)) return Promise.resolve(MISSING);
    return new Promise((resolve, reject) => {
      const request: Request = { name, maxBytes, resolve, reject };
      this.queue.push(request);
      this.start().stdin.write(`${name}\n`);
    });
  }

  close(): void {
    this.closed = true;
    this.child?.stdin.end();
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawnGit(this.root, ["cat-file", this.mode]);
    this.child = child;
    this.stderr = "";
    // Events of a git this reader has given up on (restarted past) are ignored.
    child.stdout.on("data", (chunk: Buffer) => {
      if (this.child === child) this.receive(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (this.child === child) this.stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      if (this.child === child) this.fail(new UserError(`git cat-file could not start: ${error.message}`));
    });
    child.on("close", (code) => {
      if (this.child === child) this.exited(code);
    });
    // A write after a crash fails asynchronously; `exited` deals with what was queued.
    child.stdin.on("error", () => undefined);
    return child;
  }

  /**
   * git exited. With nothing queued, that is the end of a closed reader. Otherwise git died on
   * the object at the head of the queue (it answers in order): that one is unreadable, and the
   * rest are asked again of a fresh git.
   */
  private exited(code: number | null): void {
    this.child = null;
    this.chunks = [];
    this.buffered = 0;
    this.awaiting = 0;
    this.skipping = 0;
    this.skippedInfo = null;
    if (this.queue.length === 0 || this.failure) return;
    const waiting = this.queue.splice(0);
    // After close() the owner has its answers; a read still queued (a prefetch nobody awaits)
    // must not surface as an unhandled rejection, say because the repository is gone.
    if (this.closed) {
      for (const request of waiting) request.resolve(UNREADABLE);
      return;
    }
    if (!isUnreadableFailure(this.stderr) || this.restarts >= MAX_RESTARTS) {
      this.queue.push(...waiting);
      this.fail(gitExitError("cat-file", code, this.stderr));
      return;
    }
    this.restarts++;
    waiting.shift()!.resolve(UNREADABLE);
    if (waiting.length === 0) return;
    const child = this.start();
    for (const request of waiting) {
      this.queue.push(request);
      child.stdin.write(`${request.name}\n`);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const request of this.queue.splice(0)) {
      if (this.closed) request.resolve(UNREADABLE);
      else request.reject(this.failure);
    }
  }

  private receive(input: Buffer): void {
    let chunk = input;
    if (this.skipping > 0) {
      const passed = Math.min(this.skipping, chunk.length);
      this.skipping -= passed;
      chunk = chunk.subarray(passed);
      if (this.skipping > 0) return;
      this.queue.shift()?.resolve({ found: false, reason: "too-large", info: this.skippedInfo! });
      this.skippedInfo = null;
      if (chunk.length === 0) return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.awaiting) return;
    for (;;) {
      const buffer = this.joined();
      const newline = buffer.indexOf(0x0a);
      if (newline === -1) return;
      const info = parseHeader(buffer.toString("latin1", 0, newline));
      if (info === null) {
        this.consume(newline + 1);
        this.queue.shift()?.resolve(MISSING);
        continue;
      }
      if (this.mode === "--batch-check") {
        this.consume(newline + 1);
        this.queue.shift()?.resolve({ found: true, info });
        continue;
      }
      const start = newline + 1;
      const end = start + info.size;
      if (info.size > (this.queue[0]?.maxBytes ?? Number.POSITIVE_INFINITY)) {
        // Over the limit: its bytes (and the newline after them) pass without being kept.
        const here = buffer.length - start;
        if (here >= info.size + 1) {
          this.consume(end + 1);
          this.queue.shift()?.resolve({ found: false, reason: "too-large", info });
          continue;
        }
        this.consume(buffer.length);
        this.skipping = info.size + 1 - here;
        this.skippedInfo = info;
        return;
      }
      if (buffer.length < end + 1) {
        this.awaiting = end + 1;
        return;
      }
      this.awaiting = 0;
      const content = Buffer.from(buffer.subarray(start, end));
      this.consume(end + 1);
      this.queue.shift()?.resolve({ found: true, object: { ...info, content } });
    }
  }

  /** Joins received chunks only when an answer spans several, so large objects stay linear. */
  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(bytes: number): void {
    const rest = this.joined().subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }
}

/** A tree object's entries: `<mode> <name>\0<binary id>` one after another. */
function treeEntries(content: Buffer, idBytes: number): Array<{ mode: string; name: string; oid: string }> {
  const entries: Array<{ mode: string; name: string; oid: string }> = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = content.indexOf(0, space);
    if (space === -1 || nul === -1) break;
    entries.push({
      mode: content.toString("latin1", at, space),
      name: content.toString("utf8", space + 1, nul),
      oid: content.toString("hex", nul + 1, nul + 1 + idBytes),
    });
    at = nul + 1 + idBytes;
  }
  return entries;
}

/** `<oid> <type> <size>`, or null for `<name> missing` / `<name> ambiguous`. */
function parseHeader(header: string): ObjectInfo | null {
  const match = /^([0-9a-f]{40,64}) ([a-z]+) (\d+)$/.exec(header);
  if (!match) return null;
  return { oid: match[1]!, type: match[2]!, size: Number(match[3]) };
}

/**
 * Reads objects from a repository through `git cat-file`, one process per kind of request
 * (contents, or only id/type/size), started on first use. Call `close()` when done.
 */
export class ObjectReader {
  private contents: CatFile | null = null;
  private infos: CatFile | null = null;
  private readonly blobCache = new Map<string, Promise<Buffer | null>>();

  constructor(private readonly root: string) {}

  /** The object, or why not: missing, unreadable, or over `maxBytes` (then its size is known). */
  async fetch(name: string, options: { maxBytes?: number } = {}): Promise<ObjectAnswer> {
    this.contents ??= new CatFile(this.root, "--batch");
    return (await this.contents.request(name, options.maxBytes ?? Number.POSITIVE_INFINITY)) as ObjectAnswer;
  }

  /** The object's content, or null when it cannot be had (missing, unreadable, over `maxBytes`). */
  async read(name: string, options: { maxBytes?: number } = {}): Promise<GitObject | null> {
    const answer = await this.fetch(name, options);
    return answer.found ? answer.object : null;
  }

  /** The object's id, type and size, without its content. */
  async info(name: string): Promise<ObjectInfo | null> {
    this.infos ??= new CatFile(this.root, "--batch-check");
    const answer = (await this.infos.request(name, 0)) as InfoAnswer;
    return answer.found ? answer.info : null;
  }

  /** A blob's bytes by object id; blobs never change, so each is requested once. */
  blob(oid: string): Promise<Buffer | null> {
    let pending = this.blobCache.get(oid);
    if (!pending) {
      pending = this.read(oid).then((object) => (object !== null && object.type === "blob" ? object.content : null));
      this.blobCache.set(oid, pending);
    }
    return pending;
  }

  /** A file's bytes at a commit (`<commit>:<path>`), or null when it is not a file there. */
  async fileAt(commit: string, path: string): Promise<Buffer | null> {
    const object = await this.read(`${commit}:${path}`);
    return object !== null && object.type === "blob" ? object.content : null;
  }

  /** The blob id of a file at a commit, or null when there is no such file. */
  async blobIdAt(commit: string, path: string): Promise<string | null> {
    const info = await this.info(`${commit}:${path}`);
    return info !== null && info.type === "blob" ? info.oid : null;
  }

  /**
   * Every file under `directory` at `commit` (`""`: the whole tree), read as tree objects through
   * the same pipe: no process per question. Paths are repo-relative.
   */
  async filesUnder(commit: string, directory: string): Promise<Array<{ path: string; oid: string }>> {
    const files: Array<{ path: string; oid: string }> = [];
    const walk = async (name: string, prefix: string): Promise<void> => {
      const tree = await this.read(name);
      if (tree === null || tree.type !== "tree") return;
      const subtrees: Array<Promise<void>> = [];
      for (const entry of treeEntries(tree.content, tree.oid.length / 2)) {
        const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
        if (entry.mode === "40000") subtrees.push(walk(entry.oid, path));
        else if (entry.mode !== "160000") files.push({ path, oid: entry.oid });
      }
      await Promise.all(subtrees);
    };
    await walk(directory === "" ? `${commit}^{tree}` : `${commit}:${directory}`, directory);
    return files;
  }

  /** How many times git died on an object and was started again (for tests). */
  get restarts(): number {
    return (this.contents?.restarts ?? 0) + (this.infos?.restarts ?? 0);
  }

  close(): void {
    this.contents?.close();
    this.infos?.close();
  }
}
