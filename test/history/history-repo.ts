import { afterEach } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { defaultConfig, type Config } from "../../src/shared/config-types.js";

// Real repositories with real commits for the history tests: never a mocked git.

export interface Step {
  write?: Record<string, string>;
  remove?: string[];
  rename?: Array<[string, string]>;
  message?: string;
  /** ISO date-time; default the day after the previous step. */
  date?: string;
}

const repos: string[] = [];
afterEach(() => {
  for (const dir of repos.splice(0)) removeRepo(dir);
});

export function runGit(dir: string, args: string[], env: Record<string, string> = {}): string {
  return git(dir, args, env) as string;
}

/** A repository that is removed after the test. */
export function emptyRepo(): string {
  const dir = initRepo("harness-history-") as string;
  repos.push(dir);
  return dir;
}

export class Repo {
  readonly dir = emptyRepo();
  private day = 0;

  /** Commits one step; returns the new commit's full SHA. */
  commit(step: Step): string {
    this.day++;
    const date = step.date ?? `2026-09-${String(this.day).padStart(2, "0")}T12:00:00Z`;
    commitStep(this.dir, { ...step, date, message: step.message ?? `step ${this.day}` }, this.day);
    return this.head();
  }

  head(): string {
    return runGit(this.dir, ["rev-parse", "HEAD"]).trim();
  }

  git(args: string[], env: Record<string, string> = {}): string {
    return runGit(this.dir, args, env);
  }
}

export function config(overrides: Partial<Config> = {}): Config {
  return { ...defaultConfig(), ...overrides };
}

export interface PmFields {
  id?: string;
  date?: string;
  changes?: string[];
  commits?: string[];
  pattern?: string;
  trigger?: string;
}

/** A post-mortem with all five sections. */
export function pm(fields: PmFields): string {
  const lines = ["---"];
  if (fields.id) lines.push(`id: ${fields.id}`);
  lines.push(`date: ${fields.date ?? "2026-09-01"}`);
  if (fields.pattern) lines.push(`pattern: ${fields.pattern}`);
  if (fields.trigger) lines.push(`trigger: ${fields.trigger}`);
  if (fields.changes) lines.push("changes:", ...fields.changes.map((c) => `  - ${c}`));
  if (fields.commits) lines.push(`commits: [${fields.commits.map((c) => `"${c}"`).join(", ")}]`);
  lines.push("---", "# Incident", "## What happened", "## What the agent was working from", "## Where the layers failed", "## What changes", "## What we are not doing", "");
  return lines.join("\n");
}

export const CLAUDE = "# Project\n\n## Orient before editing\nRead the module first.\n\n## Money\nUse integer cents.\n";
