import type { Config } from "../shared/config-types.js";
import type { HistoryFacts } from "../history/model-history.js";
import type { EvidenceFacts } from "../history/evidence.js";
import type { LapsedFacts } from "../history/lapsed.js";
import type { CodeIndex, Codebase, HarnessFile, Hook, InvalidFile, Item, PostMortem, Preamble, Rule } from "../harness/types.js";

/** Everything the checks read, built once per run. */
export interface Model {
  root: string;
  config: Config;
  harnessFiles: HarnessFile[];
  /** Rules (and, later, hooks): what post-mortems cite. */
  items: Item[];
  /** Claude Code hooks and git hooks. */
  hooks: Hook[];
  /** Rules, hooks and preambles: every piece of the harness that names code or files. */
  texts: Array<Rule | Hook | Preamble>;
  /** Scripts hooks run directly that have an executable bit (from the git index or the file system). */
  executables: Set<string>;
  postmortems: PostMortem[];
  invalidFiles: InvalidFile[];
  codebase: Codebase;
  /** Built only when a check that needs it is on: a run that needs no symbols never parses code. */
  codeIndex: CodeIndex;
  /** Dependency names from every package.json in the codebase. */
  packages: Set<string>;
  /** Repo-relative paths git ignores among the ones asked about (filled before checks run). */
  ignoredPaths: Set<string>;
  /** Whether a path is one harness-lint reads as a harness file (it may not exist). */
  isHarnessPath(path: string): boolean;
  /** Harness files that are symlinks to another harness file in the repository: link -> target (read once, at the target). */
  aliases?: Map<string, string>;
  /** Facts from history, when the run read it (`--base`); checks that need them are quiet without. */
  history?: HistoryFacts;
  /**
   * What history shows about mentions the codebase does not resolve: whether each was here
   * (SPEC 5, "Stale means it was here"). Absent when no staleness check runs: then, as when
   * history is incomplete, a missing name is judged by absence.
   */
  evidence?: EvidenceFacts;
  /**
   * Hedged mentions (examples, prohibitions, deprecations) and guarded claims whose name history
   * shows renamed (SPEC 5, "Hedged mentions"): the guard or example has lapsed. Absent, or empty
   * without full history: then no hedged mention is reported.
   */
  lapsed?: LapsedFacts;
}

export type { EvidenceFacts, NameEvidence } from "../history/evidence.js";
export type { Lapse, LapsedFacts } from "../history/lapsed.js";
export type { CommitRef, DanglingTrailer, HistoryFacts, UnlandedPostMortem, UnlinkedChange } from "../history/model-history.js";
