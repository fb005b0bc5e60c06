import type { Config } from "../engine/config-types.js";
import type { CodeIndex, Codebase, HarnessFile, InvalidFile, Item, PostMortem, Preamble, Rule } from "./types.js";

/** Everything the checks read, built once per run. */
export interface Model {
  root: string;
  config: Config;
  harnessFiles: HarnessFile[];
  /** Rules (and, later, hooks): what post-mortems cite. */
  items: Item[];
  /** Rules plus preambles: every piece of harness text that names code. */
  texts: Array<Rule | Preamble>;
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
}
