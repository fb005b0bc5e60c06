// Reading a file harness-lint expects to be a regular file: the message file of commit-msg, a
// baseline, a configuration file, cache files, git's own small files. A FIFO would block forever,
// a device (/dev/zero) or a /proc file (which reports 0 bytes and may never end) would fill memory,
// and `stat` sizes can lie. So: open without blocking, check what was opened (fstat on the same
// descriptor, no race with a swap), and count the bytes actually read against the limit.

import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { UserError } from "./errors.js";

export interface ReadLimits {
  /** Most bytes accepted; one more read is an error. */
  maxBytes: number;
  /** Refuse a symbolic link at the last component (cache files, files inside .git). */
  noFollow?: boolean;
}

/** Why the file cannot be read as data: a UserError naming it (`what` says which file it is). */
export class NotARegularFile extends UserError {
  constructor(
    message: string,
    /** As an fs error would say it: EISDIR, ENOTREG (FIFO, device, socket), EFBIG, ELOOP. */
    readonly code: string,
  ) {
    super(message);
  }
}

function flags(limits: ReadLimits): number {
  return constants.O_RDONLY | constants.O_NONBLOCK | (limits.noFollow ? constants.O_NOFOLLOW : 0);
}

function kind(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

function tooLarge(what: string, path: string, max: number): UserError {
  return new NotARegularFile(`${what} ${path} is larger than ${max} bytes; refusing to read it`, "EFBIG");
}

/** The whole file, at most `maxBytes`; throws NotARegularFile for anything that is not a regular file. */
export async function readRegularFile(path: string, what: string, limits: ReadLimits): Promise<Buffer> {
  const handle = await open(path, flags(limits)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ELOOP" && limits.noFollow) throw new NotARegularFile(`${what} ${path} is a symbolic link; refusing to follow it`, "ELOOP");
    throw error;
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotARegularFile(`${what} ${path} is ${kind(info)}, not a regular file`, info.isDirectory() ? "EISDIR" : "ENOTREG");
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(1 << 16, limits.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limits.maxBytes) throw tooLarge(what, path, limits.maxBytes);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** As readRegularFile, for the synchronous callers (baseline, init). */
export function readRegularFileSync(path: string, what: string, limits: ReadLimits): Buffer {
  let fd: number;
  try {
    fd = openSync(path, flags(limits));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP" && limits.noFollow) throw new NotARegularFile(`${what} ${path} is a symbolic link; refusing to follow it`, "ELOOP");
    throw error;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new NotARegularFile(`${what} ${path} is ${kind(info)}, not a regular file`, info.isDirectory() ? "EISDIR" : "ENOTREG");
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(1 << 16, limits.maxBytes + 1 - total));
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limits.maxBytes) throw tooLarge(what, path, limits.maxBytes);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text without a byte-order mark. */
export function utf8(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}
