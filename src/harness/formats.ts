import type { HarnessFormat } from "./types.js";
import { pathMatcher } from "../codebase/glob.js";

export interface FormatInfo {
  format: HarnessFormat;
  /** `file`: the whole file is one rule; `section`: each H2 (and explicit-id subsection) is one. */
  unit: "file" | "section";
  /** The agent that reads the file, for messages. */
  agent: string;
}

const FORMATS: Record<HarnessFormat, FormatInfo> = {
  claude: { format: "claude", unit: "section", agent: "Claude Code" },
  "claude-rules": { format: "claude-rules", unit: "file", agent: "Claude Code" },
  agents: { format: "agents", unit: "section", agent: "AGENTS.md readers" },
  gemini: { format: "gemini", unit: "section", agent: "Gemini CLI" },
  cursor: { format: "cursor", unit: "file", agent: "Cursor" },
  cursorrules: { format: "cursorrules", unit: "section", agent: "Cursor" },
  copilot: { format: "copilot", unit: "section", agent: "GitHub Copilot" },
  "copilot-instructions": { format: "copilot-instructions", unit: "file", agent: "GitHub Copilot" },
  windsurf: { format: "windsurf", unit: "file", agent: "Windsurf" },
  "windsurf-legacy": { format: "windsurf-legacy", unit: "section", agent: "Windsurf" },
  continue: { format: "continue", unit: "file", agent: "Continue" },
  cline: { format: "cline", unit: "file", agent: "Cline" },
  "cline-file": { format: "cline-file", unit: "section", agent: "Cline" },
  kiro: { format: "kiro", unit: "file", agent: "Kiro" },
};

// Order matters: the first pattern that matches decides the format.
const PATTERNS: Array<[string, HarnessFormat]> = [
  [".claude/rules/**", "claude-rules"],
  [".cursor/rules/**", "cursor"],
  [".cursorrules", "cursorrules"],
  [".github/copilot-instructions.md", "copilot"],
  [".github/instructions/**", "copilot-instructions"],
  [".windsurf/rules/**", "windsurf"],
  [".devin/rules/**", "windsurf"],
  [".windsurfrules", "windsurf-legacy"],
  [".continue/rules/**", "continue"],
  [".clinerules", "cline-file"],
  [".clinerules/**", "cline"],
  [".kiro/steering/**", "kiro"],
  ["**/CLAUDE.md", "claude"],
  ["**/CLAUDE.local.md", "claude"],
  ["**/GEMINI.md", "gemini"],
  ["**/AGENTS.md", "agents"],
  ["**/AGENTS.override.md", "agents"],
  ["**/AGENT.md", "agents"],
];

const MATCHERS = PATTERNS.map(([pattern, format]) => [pathMatcher(pattern), format] as const);

/** The format of a harness file from its path; files a user added by config read as AGENTS.md does. */
export function formatOf(path: string): FormatInfo {
  for (const [matches, format] of MATCHERS) if (matches(path)) return FORMATS[format];
  if (path.endsWith(".mdc")) return FORMATS.cursor;
  return FORMATS.agents;
}

export function formatInfo(format: HarnessFormat): FormatInfo {
  return FORMATS[format];
}

/** Nested CLAUDE.md/AGENTS.md/GEMINI.md govern their own directory; `.claude/CLAUDE.md` is the root's. */
export function nestedDirectory(path: string, format: HarnessFormat): string | null {
  if (format !== "claude" && format !== "agents" && format !== "gemini") return null;
  const slash = path.lastIndexOf("/");
  if (slash === -1) return null;
  const directory = path.slice(0, slash);
  if (directory === ".claude") return null;
  return directory;
}
