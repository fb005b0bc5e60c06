// Two harness-lint processes on the same repository at once (an editor's on-save run and a
// pre-commit hook, or two terminals) must never corrupt the caches under .git/harness-lint/ or
// each other's output. test/cache.test.ts races two plain runs over code edits that change no
// finding; here three runs race (plain, plain with another format, --staged), over edits that do
// change findings, to rule files and code, staged and not, and every process's report is compared
// with what one run on a cold cache reports for the same state.
import { spawn } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JsonReport } from "../helpers/cli.js";
import { CLI_PATH, RUN_LIMIT_MS, cleanup, git, repo, tempDir } from "./support.js";

afterAll(cleanup);

interface AsyncRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a child process that does not block the others (spawnSync would run them in turn). */
function runAsync(args: string[], cwd: string): Promise<AsyncRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `git rev-parse --git-path harness-lint`: where every cache file of the repository lives. */
function cacheFolder(dir: string): string {
  const path = git(dir, ["rev-parse", "--git-path", "harness-lint"]).trim();
  return path.startsWith("/") ? path : join(dir, path);
}

/** What a report says about the repository, without the absolute root it was run in. */
function essence(report: JsonReport): Pick<JsonReport, "summary" | "findings"> {
  return { summary: report.summary, findings: report.findings };
}

const MODES: Array<{ name: string; args: string[] }> = [
  { name: "lint", args: ["--format", "json"] },
  { name: "lint, --quiet", args: ["--format", "json", "--quiet"] },
  { name: "--staged", args: ["--format", "json", "--staged"] },
];

/** Each mode once, one after the other, in a copy of the repository with no cache: the expected reports. */
async function coldReports(dir: string): Promise<Map<string, { code: number | null; report: ReturnType<typeof essence> }>> {
  const copy = join(tempDir("hl-cold-"), "repo");
  cpSync(dir, copy, { recursive: true });
  const expected = new Map<string, { code: number | null; report: ReturnType<typeof essence> }>();
  for (const mode of MODES) {
    rmSync(cacheFolder(copy), { recursive: true, force: true });
    const run = await runAsync(mode.args, copy);
    expect(run.signal, `${mode.name}: cold run killed`).toBeNull();
    expect(run.stderr, `${mode.name}: cold run stderr`).toBe("");
    expected.set(mode.name, { code: run.code, report: essence(JSON.parse(run.stdout) as JsonReport) });
  }
  return expected;
}

/** The last round's edit: none. */
const UNCHANGED = (): void => undefined;

/** The edits between rounds: each changes what some run reports. */
const EDITS: Array<(dir: string) => void> = [
  // Round 1: a mention of a name that does not exist, in the work tree only (the hook does not see it).
  (dir) => writeFileSync(join(dir, "CLAUDE.md"), "## Imports\n<!-- scope: src/** -->\nUse `AccountImporter` and `GoneInRoundOne`.\n"),
  // Round 2: the class is renamed and staged, so the healthy mention goes stale for every run.
  (dir) => {
    writeFileSync(join(dir, "src/a.ts"), "export class AccountLoader {}\n");
    git(dir, ["add", "src/a.ts"]);
  },
  // Round 3: the rule file is fixed and staged; a new rule file arrives untracked.
  (dir) => {
    writeFileSync(join(dir, "CLAUDE.md"), "## Imports\n<!-- scope: src/** -->\nUse `AccountLoader`.\n");
    git(dir, ["add", "CLAUDE.md"]);
    writeFileSync(join(dir, ".claude/rules/new.md"), "---\npaths: src/**\n---\nUse `GoneInNewRule` and `src/missing.ts`.\n");
  },
  // Round 4: nothing changes: every run may answer from the stored result of the last round.
  UNCHANGED,
];

describe("concurrent runs on one repository", () => {
  it(
    "three processes at once, cold and after each edit: each reports what one cold run reports, and the caches stay whole",
    async () => {
      const files: Record<string, string> = {
        "CLAUDE.md": "## Imports\n<!-- scope: src/** -->\nUse `AccountImporter`.\n",
        "docs/postmortems/2026-01-01-import.md": "---\ndate: 2026-01-01\nchanges: [CLAUDE.md#imports]\n---\n# Import\n## What happened\nText.\n",
        ".claude/rules/.keep.md": "---\npaths: src/**\n---\nNothing here.\n",
      };
      // Enough code that the runs overlap in the index and parse caches, not only at start-up.
      for (let i = 0; i < 150; i++) files[`src/gen/file${i}.ts`] = `export function generated${i}(): number { return ${i}; }\n`;
      // src/missing.ts was tracked and deleted: the new rule that names it is stale by history.
      const dir = repo(files, { formerly: { "src/missing.ts": "export {};\n" } });
      rmSync(cacheFolder(dir), { recursive: true, force: true });

      // What one cold run reports for the state of the last round. The runs change nothing but the
      // caches (coldReports copies the repository and removes them), so a round that edits nothing,
      // and the check after the last round, expect what the last cold runs reported.
      let expected = await coldReports(dir);
      for (let round = 0; round <= EDITS.length; round++) {
        if (round > 0) {
          EDITS[round - 1]!(dir);
          if (EDITS[round - 1] !== UNCHANGED) expected = await coldReports(dir);
        }
        const runs = await Promise.all(MODES.map((mode) => runAsync(mode.args, dir).then((run) => ({ mode, run }))));
        for (const { mode, run } of runs) {
          const label = `round ${round}, ${mode.name}`;
          expect(run.signal, `${label}: killed`).toBeNull();
          expect(run.stderr, `${label}: stderr`).toBe("");
          expect(run.code, label).toBe(expected.get(mode.name)!.code);
          expect(essence(JSON.parse(run.stdout) as JsonReport), label).toEqual(expected.get(mode.name)!.report);
        }
        const folder = cacheFolder(dir);
        expect(existsSync(folder), "no cache folder after the runs").toBe(true);
        const names = readdirSync(folder);
        expect(names.filter((name) => name.endsWith(".json")).length).toBeGreaterThan(0);
        for (const name of names.filter((name) => name.endsWith(".json"))) {
          expect(() => JSON.parse(readFileSync(join(folder, name), "utf8")), `round ${round}: ${name} is not JSON`).not.toThrow();
        }
        expect(
          names.filter((name) => name.endsWith(".tmp")),
          `round ${round}: temp files left behind`,
        ).toEqual([]);
      }

      // The caches the races left give the same answers one at a time (no edit since the last cold runs).
      for (const mode of MODES) {
        const run = await runAsync(mode.args, dir);
        expect(essence(JSON.parse(run.stdout) as JsonReport), `warm ${mode.name}`).toEqual(expected.get(mode.name)!.report);
      }
      // Sanity: the edits did change the reports (a race that reports nothing would pass vacuously).
      const report = expected.get("lint")!.report;
      expect(report.findings.map((f) => f.mention).filter(Boolean)).toEqual(expect.arrayContaining(["src/missing.ts"]));
    },
    (EDITS.length + 2) * 4 * RUN_LIMIT_MS,
  );
});
