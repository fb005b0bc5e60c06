// Where harness-lint may write. A repository can commit a symbolic link anywhere (docs/postmortems,
// .husky, report.sarif), and whoever writes .git can point settings anywhere; a write that follows
// either leaves the repository. Paths inside the repository are walked component by component,
// and a symbolic link on the way is refused. Links outside the repository are the user's own.

import { closeSync, constants, lstatSync, openSync, readlinkSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { UserError } from "./errors.js";

/** Whether `path` is `root` or below it (by name; links are what `assertNoLinkBelow` checks). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Refuses `path` when a component of it at or below `root` is a symbolic link. Components that do
 * not exist yet end the walk: whatever is created there is a real folder.
 */
export function assertNoLinkBelow(root: string, path: string, what: string): void {
  const rel = relative(root, resolve(path));
  if (!isInside(root, resolve(path))) throw new UserError(`refusing to write ${what}: ${path} is outside the repository ${root}`);
  let at = root;
  for (const part of rel.split(sep).filter(Boolean)) {
    at = join(at, part);
    const info = lstatQuiet(at);
    if (info === undefined) return;
    if (info.isSymbolicLink()) {
      throw new UserError(`refusing to write ${what}: ${relative(root, at).split(sep).join("/")} is a symbolic link in the repository (it may lead outside it); remove the link or name another path`);
    }
  }
}

/**
 * A file the user named on the command line (--output-file, --write-baseline): inside `root`
 * (the repository), no component may be a committed symbolic link. Returns "special" when the path
 * is an existing FIFO, device or socket, which is written through rather than replaced.
 */
export function namedOutput(path: string, root: string | null, what: string): "special" | "file" {
  const absolute = resolve(path);
  if (root !== null) assertNoRepositoryLink(absolute, realpathSync(root), what);
  // statSync follows links: only the user's own remain at this point.
  const target = statSync(absolute, { throwIfNoEntry: false });
  if (target?.isDirectory()) throw new UserError(`cannot write ${what} ${path}: it is a directory`);
  if (target && !target.isFile()) return "special";
  return "file";
}

/**
 * Walks `path` from `/`, following links that live outside the repository (the user's: /tmp on
 * macOS, a home folder elsewhere) and refusing one that lives inside it, whichever way the path
 * is spelled.
 */
function assertNoRepositoryLink(path: string, realRoot: string, what: string): void {
  let parts = path.split(sep).filter(Boolean);
  let current: string = sep;
  let hops = 0;
  for (let i = 0; i < parts.length; ) {
    const next = join(current, parts[i]!);
    const info = lstatQuiet(next);
    if (info === undefined) return;
    if (!info.isSymbolicLink()) {
      current = next;
      i++;
      continue;
    }
    // `current` has no links left in it, so this is where the link really is.
    if (isInside(realRoot, next)) {
      throw new UserError(
        `refusing to write ${what}: ${relative(realRoot, next).split(sep).join("/")} is a symbolic link in the repository (it may lead outside it); remove the link or name another path`,
      );
    }
    if (++hops > 40) throw new UserError(`cannot write ${what} ${path}: too many symbolic links`);
    parts = [...resolve(current, readlinkSync(next)).split(sep).filter(Boolean), ...parts.slice(i + 1)];
    current = sep;
    i = 0;
  }
}

/** lstat, or undefined where nothing can be (missing, or a file where a folder would be): the write itself reports that. */
function lstatQuiet(path: string): ReturnType<typeof lstatSync> {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** Writes into an existing FIFO or device, as a shell's `>` would: no temporary file, no rename. */
export function writeThrough(path: string, data: string): void {
  // O_WRONLY alone: no O_CREAT (nothing new appears if it vanished) and no O_TRUNC on a device.
  const fd = openSync(path, constants.O_WRONLY);
  try {
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}
