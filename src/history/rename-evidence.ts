import type { Finding } from "../harness/types.js";
import { explainStaleFindings } from "./drift.js";
import { isUserError } from "../shared/errors.js";

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
