import type { Finding } from "../harness/types.js";
import { explainStaleFindings } from "./drift.js";
import { isUserError } from "../shared/errors.js";
import { gitText } from "../git/git.js";
import { explainName, SymbolHistory } from "./drift-symbol-history.js";

// A rule edit that rewrites a stale name to what history says it became is what `--fix`
// writes, and needs no post-mortem. "What history says" is the drift explanation itself: each
// rewritten name is asked of it as if it were a stale finding, and the edit counts only when the
// explanation offers exactly the new name (not one candidate among several, not a guess).

export interface Rewrite {
  from: string;
  to: string;
  kind: "symbol" | "path";
  /** The harness file the mention is in: paths resolve from its folder. */
  file: string;
}

export function rewriteKey(rewrite: Omit<Rewrite, "file"> & { file?: string }): string {
  return `${rewrite.kind}\0${rewrite.file ?? ""}\0${rewrite.from}\0${rewrite.to}`;
}

/** The rewrites history confirms, by `rewriteKey`; one drift pass for all of them. */
export async function confirmedRewrites(root: string, rewrites: readonly Rewrite[], isHarnessPath?: (path: string) => boolean): Promise<Set<string>> {
  const confirmed = new Set<string>();
  const unique = new Map(rewrites.map((rewrite) => [rewriteKey(rewrite), rewrite]));
  if (unique.size === 0) return confirmed;
  const asked = [...unique.values()].map(
    (rewrite): Finding => ({
      check: rewrite.kind === "symbol" ? "stale-symbol" : "stale-path",
      severity: "error",
      messageId: "missing",
      message: "",
      file: rewrite.file,
      line: 1,
      column: 1,
      mention: rewrite.from,
    }),
  );
  let explained: Finding[];
  try {
    explained = await explainStaleFindings(root, asked, isHarnessPath ? { isHarnessPath } : {});
  } catch (error) {
    if (isUserError(error)) throw error;
    // History that cannot be read (missing objects, a git error) confirms nothing: the change is
    // then judged as any other, which errs toward asking for a link.
    return confirmed;
  }
  for (const finding of explained) {
    const replacement = finding.suggestion?.replacement?.replace(/\/$/, "");
    if (replacement === undefined) continue;
    const kind = finding.check === "stale-symbol" ? "symbol" : "path";
    const key = rewriteKey({ kind, file: finding.file, from: finding.mention!, to: replacement });
    if (unique.has(key)) confirmed.add(key);
  }
  return confirmed;
}

/**
 * The rewrites the staged change itself explains (the commit-msg hook, before the commit exists):
 * a file the index renames (`git diff --cached -M`), or a name whose declaration or uses the
 * staged diff replaces, read with the same evidence `--drift` reads from a commit.
 */
export async function confirmedByStagedChange(root: string, rewrites: readonly Rewrite[], isHarnessPath?: (path: string) => boolean): Promise<Set<string>> {
  const confirmed = new Set<string>();
  if (rewrites.length === 0) return confirmed;
  const paths = rewrites.filter((r) => r.kind === "path");
  if (paths.length > 0) {
    const fields = (await gitText(root, ["-c", "core.quotePath=false", "diff", "--cached", "--name-status", "-M", "-z", "--no-ext-diff", "--"])).split("\0");
    const renames = new Map<string, string>();
    for (let i = 0; i < fields.length; i++) {
      if (/^R\d*$/.test(fields[i]!)) {
        renames.set(fields[i + 1]!, fields[i + 2]!);
        i += 2;
      }
    }
    for (const rewrite of paths) {
      const from = rewrite.from.replace(/^\.?\//, "");
      if (renames.get(from) === rewrite.to.replace(/^\.?\//, "")) confirmed.add(rewriteKey(rewrite));
    }
  }
  const symbols = rewrites.filter((r) => r.kind === "symbol");
  if (symbols.length > 0) {
    const isExcluded = (path: string) => isHarnessPath?.(path) ?? false;
    const history = await SymbolHistory.readStaged(root, isExcluded);
    const heads = symbols.map((r) => ({ rewrite: r, from: r.from.split(/\.|::|#/)[0]!, to: r.to.split(/\.|::|#/)[0]! }));
    const events = await history.eventsFor(heads.map((h) => h.from));
    for (const { rewrite, from, to } of heads) {
      // Only the head of a member chain may change: `A.run` to `B.run`.
      if (rewrite.from.slice(from.length) !== rewrite.to.slice(to.length)) continue;
      const inference = explainName(events.get(from) ?? [], history.graph)?.inference;
      if (inference !== undefined && "replacement" in inference && inference.replacement === to) confirmed.add(rewriteKey(rewrite));
    }
  }
  return confirmed;
}
