// The library API: `import { lint, openProject } from "harness-lint"`. A face like the CLI: it
// passes the registry of checks to the engine and returns findings in the JSON contract's shape
// (SPEC section 8), the same a `harness-lint --format json` run prints.

import { checks } from "../rules/index.js";
import type { Project as EngineProject, ProjectOptions as EngineProjectOptions } from "./engine/project.js";
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

/** What `openProject` takes: the engine's options without the registry, which this face passes. */
export type ProjectOptions = Omit<EngineProjectOptions, "checks">;

/**
 * A repository kept open: the model and code index stay warm between questions. The engine's
 * project, with findings in the JSON contract's shape and without the internal model.
 */
export interface Project extends Omit<EngineProject, "lint" | "lintFile" | "model"> {
  /** Findings for the whole harness. */
  lint(): Promise<JsonFinding[]>;
  /** Findings in one harness file or post-mortem; `text` is its unsaved content. */
  lintFile(path: string, text?: string): Promise<JsonFinding[]>;
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
