// Text a commit carries (commit subjects, file names, headings, post-mortem fields, config keys)
// reaches the terminal of whoever runs harness-lint. No raw control character may get there, in
// any command or text format (issue 13); JSON escapes them by itself.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, emptyRepo, git, runBounded, RUN_LIMIT_MS } from "./support.js";

afterAll(cleanup);

const ESC = "\u001b";
/** What may not reach a terminal raw: C0 (but line feed and tab), DEL, C1, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Hostile strings a commit can carry, each in a different place. */
const CARRIERS = {
  subject: `rule ${ESC}[31m change \u202e gnp.exe`,
  fileName: `src/${ESC}[2Jgone.ts`,
  heading: `Rule ${ESC}]0;pwned\u0007 red`,
  pmTitle: `Title ${ESC}[8m hidden \u2066`,
  pmPattern: `other${ESC}[1A`,
  configKey: `bad${ESC}[31m`,
  commitMsg: `Reword ${ESC}[2K the rule`,
};

let dir = "";

function commit(message: string, date: string): void {
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
}

beforeAll(() => {
  dir = emptyRepo();
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "docs", "postmortems"), { recursive: true });
  writeFileSync(join(dir, CARRIERS.fileName), "export class Gone {}\n");
  writeFileSync(join(dir, "src", "a.ts"), "export const x = 1;\n");
  commit("first", "2026-11-01T12:00:00Z");
  git(dir, ["rm", "-q", CARRIERS.fileName]);
  writeFileSync(join(dir, "CLAUDE.md"), `## ${CARRIERS.heading}\n<!-- scope: src/** -->\nSee \`${CARRIERS.fileName}\`.\n`);
  const today = new Date().toISOString().slice(0, 10);
  writeFileSync(
    join(dir, "docs", "postmortems", "pm.md"),
    `---\nid: PM-${ESC}[31m1\ndate: ${today}\ntitle: "${CARRIERS.pmTitle}"\ntrigger: redo\npattern: ${CARRIERS.pmPattern}\nchanges:\n  - CLAUDE.md#gone-${ESC}\n---\n# x\n`,
  );
  commit(CARRIERS.subject, new Date().toISOString());
  writeFileSync(join(dir, "CLAUDE.md"), `## ${CARRIERS.heading}\n<!-- scope: src/** -->\nSee \`${CARRIERS.fileName}\` and \`src/a.ts\` ${ESC}[2J.\n`);
  git(dir, ["add", "CLAUDE.md"]);
  writeFileSync(join(dir, ".git", "MSG"), `${CARRIERS.commitMsg}\n`);
});

interface OutputCase {
  name: string;
  args: () => string[];
  env?: Record<string, string>;
}

const CASES: OutputCase[] = [
  { name: "lint, stylish", args: () => [] },
  { name: "lint, --format github", args: () => ["--format", "github"] },
  { name: "--staged", args: () => ["--staged"] },
  { name: "--drift", args: () => ["--drift"] },
  { name: "trace", args: () => ["trace"] },
  { name: "review", args: () => ["review"] },
  { name: "commit-msg", args: () => ["commit-msg", join(dir, ".git", "MSG")] },
  { name: "a config error naming a hostile key", args: () => ["--config", writeConfig()] },
  { name: "an unknown option with control characters", args: () => [`--${ESC}[31mx`] },
  { name: "a --base that is not a revision", args: () => ["--base", `nope${ESC}[2J`] },
];

function writeConfig(): string {
  const path = join(dir, ".git", "bad.json");
  writeFileSync(path, JSON.stringify({ checks: { [CARRIERS.configKey]: "error" } }));
  return path;
}

describe("no raw control character reaches the terminal", () => {
  for (const c of CASES) {
    it(
      c.name,
      () => {
        const run = runBounded(c.args(), dir, c.env ? { env: c.env } : {});
        expect(run.signal).toBeNull();
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /i);
        expect(run.stdout + run.stderr, "printed nothing: the case tests nothing").not.toBe("");
        const at = (run.stdout + run.stderr).search(RAW_CONTROL);
        expect(at, `raw control at ${at}: ${JSON.stringify((run.stdout + run.stderr).slice(Math.max(0, at - 40), at + 10))}`).toBe(-1);
      },
      RUN_LIMIT_MS + 10_000,
    );
  }

  it("the JSON formats carry the text, escaped as JSON", () => {
    const run = runBounded(["--format", "json"], dir);
    expect(run.stdout).not.toMatch(/\u001b/);
    expect(JSON.stringify(JSON.parse(run.stdout))).toContain("\\u001b");
  });
});
