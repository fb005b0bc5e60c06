// The model every check reads. Checks never touch the disk or git themselves: discovery,
// parsing and indexing fill these structures once, and checks are pure functions over them.

import type { Span } from "../shared/types.js";
export type { Position, Span, Severity, SeveritySetting, Suggestion, Finding, TextEdit } from "../shared/types.js";
export type { Codebase, ContainerInfo, CodeIndex } from "../codebase/types.js";

export type HarnessFormat =
  | "claude"
  | "claude-rules"
  | "agents"
  | "gemini"
  | "cursor"
  | "cursorrules"
  | "copilot"
  | "copilot-instructions"
  | "windsurf"
  | "windsurf-legacy"
  | "continue"
  | "cline"
  | "cline-file"
  | "kiro";

export interface HarnessFile {
  path: string;
  format: HarnessFormat;
  /** File text without a BOM; positions are relative to it. */
  text: string;
}

/** A glob a rule declares as its scope, relative to `base` ("" = repository root). */
export interface ScopeGlob {
  pattern: string;
  base: string;
  span: Span;
}

export type ScopeSource = "frontmatter" | "inline" | "nested" | "global";

export interface Scope {
  /** `none` means the rule says nowhere what it governs. */
  kind: "globs" | "directory" | "global" | "none";
  source?: ScopeSource;
  /** The frontmatter key or "scope" comment the scope came from, for messages. */
  field?: string;
  globs: ScopeGlob[];
  /** For `directory` scope: the nested file's directory. */
  directory?: string;
}

/**
 * A scope the agent will not read (wrong field, wrong shape) or cannot use (bad glob syntax).
 * `unscoped-rule` reports ignored fields, `dead-scope` reports globs that can never match.
 */
export interface ScopeProblem {
  kind: "ignored-field" | "invalid-glob";
  /** What is wrong, in words, e.g. "`globs:` is not read by Claude Code". */
  detail: string;
  /** What the agent does read, e.g. "paths". */
  expected?: string;
  /** The agent may read it either way (a bracketed Cursor glob): a warning, not an error. */
  uncertain?: boolean;
  span: Span;
}

export type MentionKind = "symbol" | "path" | "glob";

/**
 * Why a rule names something without claiming it exists now (SPEC 5, "Hedged mentions"): offered
 * as an example, forbidden ("never call", "avoid", "instead of"), called deprecated ("legacy",
 * "deprecated"), or named as a former name ("formerly", "was renamed", "removed"). No check judges
 * a hedged mention by absence; the engine asks history whether it was renamed (a lapsed guard).
 */
export type Hedge = "example" | "prohibition" | "deprecated" | "former";

export interface Mention {
  kind: MentionKind;
  /** The text as written between the backticks (or the link target, or after `@`). */
  raw: string;
  /** Normalised value: an identifier such as `UserImporter.importRows`, or a path/glob. */
  value: string;
  span: Span;
  source: "code" | "link" | "import" | "fence" | "hook";
  /** A hook runs this script as a program: it must exist and be executable. */
  runDirectly?: boolean;
  /** Extra directories relative names resolve under (a tree's folders, a heading's folder). */
  bases: string[];
  /** Set on hedged mentions only (`hedged` of a rule or preamble): which hedge. */
  hedge?: Hedge;
  /**
   * A claim the rule guards from change ("never edit `src/gen/`"): judged as any claim, and, when
   * history shows it renamed, reported as a guard that no longer covers the code.
   */
  guard?: true;
  /**
   * Words of the sentence around a hedged or guarded mention: a rule that names the new name
   * there ("`AccountImporter` instead of `UserImporter`") already knows of the rename.
   */
  near?: string[];
  /** Resolves from the repository root only: a Cursor link `[x](mdc:path)`. */
  fromRoot?: boolean;
  /**
   * The text leaves open whether it names this codebase's code ("`*_gen.go` - generated", a lone
   * all-caps word such as `ASYNC`): reported only with history's evidence that it was here, never
   * by absence and never as a possible typo.
   */
  onlyWithEvidence?: boolean;
}

export interface Rule {
  kind: "rule";
  ref: string;
  /** An explicit id (`{#id}` or frontmatter `id:`), if any. */
  id?: string;
  file: string;
  format: HarnessFormat;
  title: string;
  /** Heading anchor for section rules; undefined for per-file rules. */
  anchor?: string;
  /** Every heading anchor that lands inside the rule: its own, and its untitled subsections'. */
  anchors?: string[];
  /** Where a finding about the rule as a whole points: its heading, or the file's first line. */
  span: Span;
  /** The rule's source text (heading to end), used to compare versions of a rule. */
  text: string;
  scope: Scope;
  scopeProblems: ScopeProblem[];
  mentions: Mention[];
  /** Hedged mentions (examples, prohibitions, old names): no check reads them as claims. */
  hedged?: Mention[];
}

/** Text that is read for mentions but is not an item: the preamble of a sectioned file. */
export interface Preamble {
  kind: "preamble";
  file: string;
  mentions: Mention[];
  /** Hedged mentions (examples, prohibitions, old names): no check reads them as claims. */
  hedged?: Mention[];
}

export type HookFormat = "claude-settings" | "git-hook" | "lefthook" | "pre-commit";

/** A command the harness runs automatically: a Claude Code hook entry or a git hook. */
export interface Hook {
  kind: "hook";
  ref: string;
  file: string;
  format: HookFormat;
  title: string;
  /** Claude Code event (`PreToolUse`) or git hook name (`pre-commit`). */
  event?: string;
  /** Claude Code matcher: which tools, not which paths, so hooks are never "unscoped". */
  matcher?: string;
  span: Span;
  /** The entry's source text, to compare versions of the hook. */
  text: string;
  commands: string[];
  mentions: Mention[];
}

export type Item = Rule;

export interface PostMortemChange {
  ref: string;
  span: Span;
}

export interface PostMortemLink {
  /** Repo-relative path the link points to. */
  path: string;
  anchor?: string;
  raw: string;
  span: Span;
}

export interface PostMortem {
  path: string;
  id: string;
  date?: string;
  title?: string;
  trigger?: string;
  pattern?: string;
  changes: PostMortemChange[];
  commits: string[];
  links: PostMortemLink[];
  /** Level-2 headings found, as written. */
  sections: string[];
  wordCount: number;
  /** Where file-level findings point: the frontmatter's first line, or line 1. */
  span: Span;
  /** Span of the `date` key or of the frontmatter, for shape findings. */
  frontmatterSpan?: Span;
}

export interface InvalidFile {
  file: string;
  message: string;
  span: Span;
}
