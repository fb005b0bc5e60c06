import type { SeveritySetting } from "./types.js";

/** Configuration after validation and defaults: what the engine and checks read. */
export interface Config {
  harness: {
    /** Globs of harness files; replaces the built-in list when set. */
    include: string[];
    exclude: string[];
  };
  /** Globs of post-mortem files. */
  postmortems: string[];
  codebase: {
    include: string[];
    exclude: string[];
    /** Code files larger than this are scanned for tokens, never parsed (default 1,000,000). */
    maxFileBytes?: number;
    /**
     * How the code index is built: "search" (default) parses only the files whose bytes hold a
     * name the rules mention; "full" parses every code file.
     */
    index: "search" | "full";
  };
  /** Severity per check id; checks not named keep their default. */
  checks: Record<string, SeveritySetting>;
  symbols: {
    /** Names never reported as stale (exact names or globs such as `legacy*`). */
    ignore: string[];
    /** Also read fenced code blocks for mentions. */
    fenced: boolean;
    /**
     * Whether files in languages with no parser make a name exist by any whole word in them
     * (default true). Parsed languages and prose are not affected.
     */
    wordFallback: boolean;
  };
  /** Commit trailer key that links a commit to a post-mortem. */
  trailer: string;
  provenance: {
    /** Adoption point: a date (YYYY-MM-DD) or a commit; items older need no link. */
    since: string | null;
  };
  postmortem: {
    maxWords: number;
    maxChanges: number;
    /** Days after a post-mortem's date by which its changes must have landed. */
    landWithinDays: number;
  };
  /** Baseline file read when `--baseline` is not given. */
  baseline: string | null;
}

export const DEFAULT_HARNESS_INCLUDE: readonly string[] = [
  "CLAUDE.md",
  "**/CLAUDE.md",
  "CLAUDE.local.md",
  ".claude/CLAUDE.md",
  ".claude/rules/**/*.md",
  "AGENTS.md",
  "**/AGENTS.md",
  "AGENTS.override.md",
  "**/AGENTS.override.md",
  "AGENT.md",
  "**/AGENT.md",
  "GEMINI.md",
  "**/GEMINI.md",
  ".cursor/rules/**/*.mdc",
  ".cursor/rules/**/*.md",
  ".cursorrules",
  ".github/copilot-instructions.md",
  ".github/instructions/**/*.instructions.md",
  ".windsurf/rules/**/*.md",
  ".devin/rules/**/*.md",
  ".windsurfrules",
  ".continue/rules/**/*.md",
  ".clinerules",
  ".clinerules/**/*.md",
  ".kiro/steering/**/*.md",
];

export const DEFAULT_POSTMORTEMS: readonly string[] = ["docs/postmortems/**/*.md", "postmortems/**/*.md"];

/** Directories that hold build output or dependencies: never read, and paths under them are not checked. */
export const DEFAULT_IGNORED_DIRS: readonly string[] = [
  "node_modules",
  ".git",
  "dist",
  "build",
  "out",
  "coverage",
  ".next",
  ".nuxt",
  ".turbo",
  ".cache",
  "target",
  "vendor",
  "__pycache__",
  ".venv",
  "venv",
];

export function defaultConfig(): Config {
  return {
    harness: { include: [...DEFAULT_HARNESS_INCLUDE], exclude: [] },
    postmortems: [...DEFAULT_POSTMORTEMS],
    codebase: { include: ["**"], exclude: [], index: "search" },
    checks: {},
    symbols: { ignore: [], fenced: false, wordFallback: true },
    trailer: "Post-Mortem",
    provenance: { since: null },
    postmortem: { maxWords: 600, maxChanges: 3, landWithinDays: 7 },
    baseline: null,
  };
}
