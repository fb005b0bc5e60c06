// The library API: `import { lint, openProject } from "harness-lint"`. A face like the CLI: it
// passes the registry of checks to the engine and returns findings in the JSON contract's shape
// (SPEC section 8), the same a `harness-lint --format json` run prints.

import { checks } from "../rules/index.js";
import type { CompletionEntry, ItemDetail, ItemSummary, MentionSite, NameExplanation, PostMortemSummary, Project as EngineProject, TraceEntry } from "./engine/project.js";
import { toJsonFinding, toJsonReport, type JsonFinding, type JsonReport } from "./formatters/json.js";

export type { CompletionEntry, ItemDetail, ItemSummary, MentionSite, NameExplanation, NameHistory, PostMortemSummary, ScopeSummary, TraceEntry } from "./engine/project.js";
export type { JsonFinding as Finding, JsonReport as LintReport, JsonSuggestion as Suggestion } from "./formatters/json.js";

export interface LintOptions {
  /** A folder inside the repository to lint; default: the current directory. */
  cwd?: string;
  /** A configuration file instead of the one found in the repository. */
  configPath?: string;
  /** A baseline file to subtract, relative to `cwd`. */
  baselinePath?: string;
}

/** One full lint, as `harness-lint --format json` (without its run cache). */
export async function lint(options: LintOptions = {}): Promise<JsonReport> {
  const { lint: run } = await import("./engine/lint.js");
  const { result } = await run({
    cwd: options.cwd ?? process.cwd(),
    checks,
    ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
    ...(options.baselinePath !== undefined ? { baselinePath: options.baselinePath } : {}),
  });
  return toJsonReport(result);
}

export interface ProjectOptions {
  /** A configuration file instead of the one found in the repository. */
  configPath?: string;
  /** A baseline file to subtract instead of the configuration's. */
  baselinePath?: string;
}

/** A repository kept open: the model and code index stay warm between questions. */
export interface Project {
  /** The repository root; finding paths are relative to it. */
  readonly root: string;
  /** Findings for the whole harness. */
  lint(): Promise<JsonFinding[]>;
  /** Findings in one harness file or post-mortem; `text` is its unsaved content. */
  lintFile(path: string, text?: string): Promise<JsonFinding[]>;
  /** Where a name is declared, or what became of it (renamed in which commit, when). */
  explainName(name: string): Promise<NameExplanation>;
  /** The rules that apply to a code path, with their scope and the post-mortems citing them. */
  itemsAt(path: string): ItemSummary[];
  /** The rule whose heading is on this (1-based) line of a harness file. */
  itemAt(file: string, line: number): ItemDetail | undefined;
  /** The commits that changed a rule and the post-mortems behind each, oldest first. */
  trace(ref: string): Promise<TraceEntry[]>;
  /** Refreshes the model and code index for files changed on disk. */
  update(changedPaths: readonly string[]): Promise<void>;
  /** Finds files changed on disk since the last call (the first call only looks) and updates for them. */
  refresh(): Promise<string[]>;
  /** Whether harness-lint reads this path as a harness file, post-mortem or hook file. */
  isHarnessFile(path: string): boolean;
  /** The post-mortems, newest first, with the refs their `changes` name. */
  postmortems(): PostMortemSummary[];
  /** Harness mentions of a code name or path. */
  mentionsOf(name: string): MentionSite[];
  /** Completion candidates for names and paths in backticks, or refs in a post-mortem's `changes`. */
  complete(kind: "mention" | "ref", prefix: string): Promise<CompletionEntry[]>;
  /** Saves the caches for the next run. */
  close(): Promise<void>;
}

export async function openProject(root: string = process.cwd(), options: ProjectOptions = {}): Promise<Project> {
  const { openProject: open } = await import("./engine/project.js");
  const project: EngineProject = await open(root, { checks, ...options });
  return {
    root: project.root,
    lint: async () => (await project.lint()).map(toJsonFinding),
    lintFile: async (path, text) => (await project.lintFile(path, text)).map(toJsonFinding),
    explainName: (name) => project.explainName(name),
    itemsAt: (path) => project.itemsAt(path),
    itemAt: (file, line) => project.itemAt(file, line),
    trace: (ref) => project.trace(ref),
    update: (paths) => project.update(paths),
    refresh: () => project.refresh(),
    isHarnessFile: (path) => project.isHarnessFile(path),
    postmortems: () => project.postmortems(),
    mentionsOf: (name) => project.mentionsOf(name),
    complete: (kind, prefix) => project.complete(kind, prefix),
    close: () => project.close(),
  };
}
