// What the codebase floor answers: the file list and the names its code declares or uses.

export interface Codebase {
  root: string;
  /** Every file: tracked plus untracked-not-ignored, minus deleted. Repo-relative, `/`. */
  allFiles: string[];
  /** `allFiles` minus harness files and post-mortems. */
  codeFiles: string[];
  fileSet: Set<string>;
  /** Every directory that holds a file, repo-relative, without trailing `/`; "" is the root. */
  dirSet: Set<string>;
  /** basename -> paths, for bare file names that resolve anywhere. */
  byBasename: Map<string, string[]>;
  /** Whether the file list came from git. */
  inGit: boolean;
}

export interface ContainerInfo {
  kind: "class" | "interface" | "enum" | "object" | "namespace";
  members: Set<string>;
  /** Names in `extends`/`implements`: members may come from there. */
  heritage: string[];
}

export interface CodeIndex {
  /** True when `name` is declared or used in parsed code, or is a whole-word token of an unparsed language. */
  has(name: string): boolean;
  /** Containers (class, interface, enum, object literal, namespace) declared under this name. */
  containers(name: string): ContainerInfo[] | undefined;
  /** Every name the index holds, when it can list them. */
  names?(): readonly string[];
  /**
   * The names the index holds that `isNearName` (src/shared/closest.ts) accepts for `name`: the
   * candidates for "did you mean". A searched index answers them once `settle` asked them.
   */
  namesNear?(name: string): readonly string[];
  /**
   * Present on an index built by searching (src/codebase/searched-index.ts), which answers only
   * names it searched for: searches for every name `ask` asks about, until none is new. Call it
   * with the questions a run will ask before trusting the answers.
   */
  settle?(ask: IndexQuestions): Promise<void>;
  /**
   * Present on a searched index: the names of containers that take one of `names` as a base
   * (`extends`, `implements`, a spread), found by the same search.
   */
  inheritorsOf?(names: readonly string[]): Promise<Set<string>>;
}

/** The questions a run asks an index: a function that calls `has` and `containers`. */
export type IndexQuestions = (index: CodeIndex) => void;
