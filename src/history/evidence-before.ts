// Where to look for a name the rule's own commits do not show. It may have gone before the line
// was written (a rule copied from elsewhere or written late; a name removed by the very commit
// that wrote the line), or lived in the code only between the rule's commit and HEAD. Either
// way it was here. It is looked up the same way as at the rule's commit (one `git grep` per
// commit, the matched files read by the same extractor), in a few more trees: the parent of each
// commit that wrote such a line (at most MAX_PARENTS), then HEAD's first-parent ancestors 25,
// 100, 400, 1,600 and 6,400 steps back (the first commit, where history is shorter). A name
// that lived in the code for a while is in one of them.
//
// Measured before choosing this over a pickaxe (`git log -G` with the names, newest first): on
// lazygit the pickaxe over 2,000 first-parent commits cost 3.4 s of CPU (it diffs every changed
// file of every commit), and it is paid in full by names that were never here (another server's
// tool names), which are most of what is left by then. A `git grep` of one tree's code files costs
// about 0.1 s of CPU on the largest repositories here (prefect, rolldown, trigger.dev). What it
// gives up: a name that lived only between two of these trees is not found.

import { execGit } from "../git/command.js";
import { assertRevision } from "../git/resilient-log.js";

/** First-parent steps back from HEAD. */
export const EARLIER_STEPS: readonly number[] = [25, 100, 400, 1_600, 6_400];
/** Parents of the commits that wrote rule lines: at most this many. */
export const MAX_PARENTS = 4;

/** The older commits to search, in order: the rule commits' parents, then HEAD's ancestors. */
export async function earlierCommits(root: string, starts: readonly string[]): Promise<string[]> {
  const plan: string[] = [];
  const add = (commit: string | undefined) => {
    if (commit !== undefined && /^[0-9a-f]{40,64}$/.test(commit) && !plan.includes(commit)) plan.push(commit);
  };
  const firstStarts = starts.slice(0, MAX_PARENTS);
  for (const start of firstStarts) assertRevision(start);
  if (firstStarts.length > 0) {
    // "<commit> <parent>...": a root commit has no parent.
    const run = await execGit(root, ["rev-list", "--no-walk=unsorted", "--parents", ...firstStarts]);
    for (const line of run.code === 0 ? run.stdout.toString("utf8").split("\n") : []) add(line.split(" ")[1]);
  }
  const run = await execGit(root, ["rev-list", "--first-parent", `--max-count=${EARLIER_STEPS.at(-1)! + 1}`, "HEAD"]);
  const ancestry =
    run.code === 0
      ? run.stdout
          .toString("utf8")
          .split("\n")
          .filter((line) => line !== "")
      : [];
  // A history shorter than a step: its first commit instead, once.
  for (const steps of EARLIER_STEPS) add(ancestry[Math.min(steps, ancestry.length - 1)]);
  return plan;
}
