import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Repo } from "./history-repo.js";
import { runCli } from "../helpers/cli.js";

// What `--drift` keeps for the next run (drift-names and drift-paths in the cache folder): a warm
// run answers exactly as a cold one, after each kind of change, and reads from git only what is
// new. No clock: git's own trace (GIT_TRACE) says which logs ran.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

const IMPORTER = "export class UserImporter {\n  importRows(rows: string[]): number {\n    return rows.length;\n  }\n}\n";
const RULES = "# Rules\n\n- Use `UserImporter` and `UserImporter.importRows` from `src/old.ts`.\n";

function history(): Repo {
  const repo = new Repo();
  repo.commit({ write: { "src/importer.ts": IMPORTER, "src/old.ts": "export const a = 1;\n", "src/helper.ts": "export function formatCents() {}\n", "CLAUDE.md": RULES } });
  repo.commit({ write: { "src/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter") }, rename: [["src/old.ts", "src/new.ts"]], message: "rename the importer" });
  for (let i = 0; i < 3; i++) repo.commit({ write: { [`src/f${i}.ts`]: `export const f${i} = ${i};\n` } });
  return repo;
}

interface Drift {
  json: string;
  /** The `git log` commands the run started. */
  logs: string[];
}

/** `--drift --format json` with the caches in `cache` (or none), and the git logs it ran. */
function drift(repo: Repo, cache: string | null): Drift {
  const trace = join(tempDir("harness-drift-trace-"), "trace.txt");
  const args = ["--drift", "--format", "json", ...(cache === null ? ["--no-cache"] : ["--cache-location", cache])];
  const run = runCli(args, repo.dir, { HARNESS_LINT_NO_RUN_CACHE: "1", GIT_TRACE: trace });
  expect(run.code).toBe(1);
  const logs = readFileSync(trace, "utf8")
    .split("\n")
    .filter((line) => line.includes("trace: built-in: git log"))
    .map((line) => line.slice(line.indexOf("built-in: git") + "built-in: ".length));
  return { json: run.stdout, logs };
}

/** The history passes drift makes: a -G (or whole) patch log, and the path listing. */
function historyPasses(logs: readonly string[]): { patches: string[]; listings: string[] } {
  return {
    // Not the lint's own evidence look-ups (which commit removed a name: `-n8`, one file), which
    // are kept by HEAD in their own cache file.
    patches: logs.filter((log) => / -p /.test(` ${log} `) && / '?-G/.test(` ${log}`) && !/ '?-n\d/.test(` ${log}`)),
    listings: logs.filter((log) => log.includes("--name-status") && log.includes("--no-renames")),
  };
}

function suggestions(json: string): Record<string, unknown> {
  const findings = (JSON.parse(json) as { findings: Array<{ mention?: string; suggestion?: unknown }> }).findings;
  return Object.fromEntries(findings.map((f) => [f.mention, f.suggestion]));
}

describe("--drift keeps history's answers by HEAD", () => {
  it("answers warm exactly as cold, without reading the history again; writes nothing with --no-cache", () => {
    const repo = history();
    const cache = tempDir("harness-drift-cache-");
    const cold = drift(repo, null);
    // --no-cache writes nothing.
    expect(existsSync(join(repo.dir, ".git", "harness-lint", "drift-names-v2.json"))).toBe(false);
    expect(existsSync(join(repo.dir, ".git", "harness-lint", "drift-paths-v2.json"))).toBe(false);
    const first = drift(repo, cache);
    expect(first.json).toBe(cold.json);
    expect(historyPasses(first.logs).patches.length).toBeGreaterThan(0);
    expect(historyPasses(first.logs).listings).toHaveLength(1);
    const found = suggestions(cold.json);
    expect(found.UserImporter).toMatchObject({ replacement: "AccountImporter" });
    expect(found["src/old.ts"]).toMatchObject({ replacement: "src/new.ts" });

    const warm = drift(repo, cache);
    expect(warm.json).toBe(cold.json);
    expect(historyPasses(warm.logs)).toEqual({ patches: [], listings: [] });
    // Nothing else asks for renames again either: the commit that moved src/old.ts was refined.
    expect(warm.logs.filter((log) => / -M /.test(` ${log} `))).toEqual([]);
  });

  it("after a new commit, reads only the commits since the kept HEAD, and answers as cold", () => {
    const repo = history();
    const cache = tempDir("harness-drift-cache-");
    const kept = repo.head();
    drift(repo, cache);
    // The new commit renames again: the kept answer alone would now be wrong.
    repo.commit({ write: { "src/importer.ts": IMPORTER.replace("UserImporter", "CustomerImporter") }, rename: [["src/new.ts", "src/newer.ts"]], message: "rename again" });
    const warm = drift(repo, cache);
    const cold = drift(repo, null);
    expect(warm.json).toBe(cold.json);
    expect(suggestions(warm.json).UserImporter).toMatchObject({ replacement: "CustomerImporter" });
    expect(suggestions(warm.json)["src/old.ts"]).toMatchObject({ replacement: "src/newer.ts" });
    const passes = historyPasses(warm.logs);
    expect(passes.listings).toHaveLength(1);
    for (const log of passes.listings) expect(log).toContain(`^${kept}`);
    // The kept names are searched in the new commit only; a name met on the way (what the kept
    // replacement became) is searched in the whole walk, as a cold run would.
    const keptNames = passes.patches.filter((log) => log.includes("UserImporter"));
    expect(keptNames).toHaveLength(1);
    expect(keptNames[0]).toContain(`^${kept}`);
  });

  it("searches only a newly mentioned name; the kept ones are not searched again", () => {
    const repo = history();
    const cache = tempDir("harness-drift-cache-");
    drift(repo, cache);
    repo.commit({ write: { "src/helper.ts": "export function formatMoney() {}\n" }, message: "rename the helper" });
    writeFileSync(join(repo.dir, "CLAUDE.md"), `${RULES}- Format with \`formatCents\`.\n`);
    const warm = drift(repo, cache);
    const cold = drift(repo, null);
    expect(warm.json).toBe(cold.json);
    expect(suggestions(warm.json).formatCents).toMatchObject({ replacement: "formatMoney" });
    const patches = historyPasses(warm.logs).patches;
    // One pass over the whole walk for the new name, one over the new commit for the kept ones.
    const whole = patches.filter((log) => !log.includes("^"));
    expect(whole).toHaveLength(1);
    expect(whole[0]).toContain("formatCents");
    expect(whole[0]).not.toContain("UserImporter");
  });

  it("starts over when HEAD is not a descendant of the kept one, and when the kept file is damaged", () => {
    const repo = history();
    const cache = tempDir("harness-drift-cache-");
    drift(repo, cache);
    // History rewritten: the rename commit is gone, so the kept answer no longer holds.
    repo.git(["reset", "--hard", "HEAD~4"]);
    repo.commit({ write: { "src/importer.ts": IMPORTER.replace("UserImporter", "ClientImporter") }, rename: [["src/old.ts", "src/other.ts"]], message: "another rename" });
    const rewritten = drift(repo, cache);
    expect(rewritten.json).toBe(drift(repo, null).json);
    expect(suggestions(rewritten.json).UserImporter).toMatchObject({ replacement: "ClientImporter" });
    expect(suggestions(rewritten.json)["src/old.ts"]).toMatchObject({ replacement: "src/other.ts" });
    for (const log of historyPasses(rewritten.logs).patches) expect(log).not.toContain("^");

    const folder = join(cache, readdirSync(cache)[0]!);
    for (const name of readdirSync(folder).filter((file) => file.startsWith("drift-"))) writeFileSync(join(folder, name), '{"build":');
    const damaged = drift(repo, cache);
    expect(damaged.json).toBe(rewritten.json);
    expect(historyPasses(damaged.logs).listings).toHaveLength(1);
  });

  it("keeps a --since range apart from the whole history: each answers warm as cold", () => {
    const repo = history();
    const cache = tempDir("harness-drift-cache-");
    const since = repo.git(["rev-parse", "HEAD~4"]).trim();
    const run = (dir: string | null) =>
      runCli(["--drift", "--since", since, "--format", "json", ...(dir === null ? ["--no-cache"] : ["--cache-location", dir])], repo.dir, { HARNESS_LINT_NO_RUN_CACHE: "1" });
    drift(repo, cache);
    const cold = run(null);
    expect(cold.code).toBe(1);
    expect(run(cache).stdout).toBe(cold.stdout);
    expect(run(cache).stdout).toBe(cold.stdout);
    // One range is kept at a time: the whole history is read again, and answers as cold.
    expect(drift(repo, cache).json).toBe(drift(repo, null).json);
  });
});
