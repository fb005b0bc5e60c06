import { resolve } from "node:path";
import { gitText } from "./git.js";
import { splitNul } from "./git.js";
import { UserError } from "../shared/errors.js";
import { readRegularFile, utf8 } from "../shared/read-file.js";
import { assertRevision } from "./git-batch.js";

// Small one-shot questions about revisions. Every revision goes through `--end-of-options` (and
// assertRevision), so a branch named `-x` or a hostile config value is never read as an option.

/** The full SHA of the commit `revision` names, or null when it names none. */
export async function resolveCommit(root: string, revision: string): Promise<string | null> {
  try {
    assertRevision(revision);
  } catch {
    return null;
  }
  try {
    const out = await gitText(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${revision}^{commit}`]);
    const sha = out.trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

/**
 * True when HEAD names a commit: an empty repository (or an unborn branch) has no history. A HEAD
 * that names a commit git cannot read is a damaged repository, not an empty one: saying "no
 * history" would pass every provenance check.
 */
export async function hasCommits(root: string): Promise<boolean> {
  if ((await resolveCommit(root, "HEAD")) !== null) return true;
  const named = (await gitText(root, ["rev-parse", "--verify", "--quiet", "HEAD"]).catch(() => "")).trim();
  if (/^[0-9a-f]{40,64}$/.test(named)) {
    throw new UserError(`the repository is damaged: HEAD names commit ${named}, which git cannot read; repair it (git fsck) or lint a fresh clone`);
  }
  return false;
}

export async function isShallow(root: string): Promise<boolean> {
  try {
    return (await gitText(root, ["rev-parse", "--is-shallow-repository"])).trim() === "true";
  } catch {
    return false;
  }
}

/**
 * The commits where a shallow clone's history was cut: git shows them as if they were root
 * commits, adding everything, which is not what they did. Empty for a full clone.
 */
export async function shallowBoundary(root: string): Promise<Set<string>> {
  try {
    const file = (await gitText(root, ["rev-parse", "--git-path", "shallow"])).trim();
    const text = utf8(await readRegularFile(resolve(root, file), "shallow file", { maxBytes: 64 << 20 }));
    return new Set(
      text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    );
  } catch {
    return new Set(); // no shallow file: a full clone
  }
}

/** The best common ancestor of two commits, or null when their histories do not meet (here). */
export async function mergeBase(root: string, a: string, b: string): Promise<string | null> {
  try {
    const out = await gitText(root, ["merge-base", "--end-of-options", a, b]);
    return out.trim() || null;
  } catch {
    return null;
  }
}

/** The newest commit on HEAD's first-parent line committed before `time`, or null. */
export async function lastCommitBefore(root: string, time: Date): Promise<string | null> {
  const seconds = Math.floor(time.getTime() / 1000) - 1;
  try {
    const out = await gitText(root, ["rev-list", "-1", "--first-parent", `--before=@${seconds}`, "HEAD"]);
    return out.trim() || null;
  } catch {
    return null;
  }
}

/** Commits reachable from `to` and not from `from` (`from..to`), as full SHAs. */
export async function commitsBetween(root: string, from: string, to: string): Promise<Set<string>> {
  assertRevision(from);
  assertRevision(to);
  const out = await gitText(root, ["rev-list", to, `^${from}`, "--"]);
  return new Set(out.split("\n").filter(Boolean));
}

/** Every file path in the tree of `commit` (a full object id or a revision), from the root. */
export async function pathsAt(root: string, commit: string): Promise<string[]> {
  assertRevision(commit);
  return splitNul(await gitText(root, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", "--end-of-options", commit]));
}
