import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { lstat, open, readFile, realpath, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

// Write to a temporary file beside the target, flush it, then rename it over the target.
// A rename within one directory is atomic, so readers (and a crash) see the old file or the
// new one, never half of each.

function isMissing(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === "ENOENT";
}

/** Same directory as the target, or the rename could cross file systems and stop being atomic. */
function tempPathFor(target: string): string {
  const unique = `${process.pid}.${randomBytes(6).toString("hex")}`;
  return join(dirname(target), `.${basename(target)}.${unique}.tmp`);
}

/** Write through a symlink rather than replacing the link with a regular file. */
function resolveTargetSync(path: string): string {
  try {
    return realpathSync(path);
  } catch (error) {
    if (isMissing(error)) return path;
    throw error;
  }
}

/** Mode bits to keep when replacing an existing file, so a rewrite does not change permissions. */
function existingModeSync(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const target = resolveTargetSync(path);
  const mode = existingModeSync(target);
  const temp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx");
    if (mode !== undefined) fchmodSync(fd, mode);
    writeFileSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) closeQuietlySync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}

function closeQuietlySync(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The write already failed; that error is the one worth reporting.
  }
}

async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isMissing(error)) return path;
    throw error;
  }
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    const info = await lstat(path);
    return info.isFile() ? info.mode & 0o7777 : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The target no longer holds what the writer read: someone else wrote it meanwhile. */
export class ConcurrentChange extends Error {
  override readonly name = "ConcurrentChange";
}

export interface AtomicWriteOptions {
  /**
   * What the target must still hold just before the rename (what the writer read and edited);
   * otherwise the temp file is removed and ConcurrentChange thrown, so a line another process
   * appended meanwhile is never lost.
   */
  unchangedFrom?: string;
  /**
   * Follow a symbolic link at `path` (the default: a user's linked file is written where it
   * points). Cache files say false: the rename then replaces a planted link instead of writing
   * through it.
   */
  followLinks?: boolean;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const target = options.followLinks === false ? path : await resolveTarget(path);
  const mode = await existingMode(target);
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, "wx");
    try {
      if (mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.unchangedFrom !== undefined) {
      const now = await readFile(target, "utf8").catch(() => null);
      if (now !== options.unchangedFrom) throw new ConcurrentChange(`${path} changed while it was being rewritten`);
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
