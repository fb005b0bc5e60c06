import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo, removeRepo } from "../fixtures/lib/build-repo.mjs";
import { CACHE_FORMAT } from "../src/shared/cache-files.js";
import { CLI, lintJson, runCli, type JsonFinding } from "./helpers/cli.js";

// These tests are about the index and parse caches underneath: the stored result of a whole run
// (test/run-cache.test.ts) would answer before they are read.
process.env.HARNESS_LINT_NO_RUN_CACHE = "1";

// The index cache must never change what a run reports: every test compares a warm run (cache
// present) with a cold one (cache removed), after the kinds of change a repository goes through.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

let probeDir: string;
let probe: string;
beforeAll(() => {
  // Preloaded into the CLI: says on stderr whether the TypeScript compiler was loaded.
  probeDir = mkdtempSync(join(tmpdir(), "hl-probe-"));
  probe = join(probeDir, "report-typescript.cjs");
  // TypeScript may be required, or compiled through vm.Script (to reuse V8's code cache).
  writeFileSync(
    probe,
    [
      'const vm = require("vm");',
      "let compiled = false;",
      "const Script = vm.Script;",
      "vm.Script = class extends Script {",
      "  constructor(code, options) {",
      "    super(code, options);",
      "    if (/typescript\\.js$/.test(String(options && options.filename))) compiled = true;",
      "  }",
      "};",
      'process.on("exit", () => {',
      "  const required = Object.keys(require.cache).some((p) => /typescript\\.js$/.test(p));",
      "  process.stderr.write(`typescript-loaded=${compiled || required}\\n`);",
      "});",
      "",
    ].join("\n"),
  );
});

afterAll(() => rmSync(probeDir, { recursive: true, force: true }));

// Each test runs the CLI several times; a busy CI machine needs more than the default 5 s.
const SLOW = { timeout: 120_000 };

const CLAUDE = [
  "## Imports",
  "<!-- scope: src/** -->",
  "Use `importRows` from `src/import/rows.ts`, and `CsvReader.readLine()`.",
  "`formatCents` lives in `src/lib/money.ts`; see `src/lib/` too.",
  "",
].join("\n");

const FILES: Record<string, string> = {
  "CLAUDE.md": CLAUDE,
  "src/import/rows.ts": "export function importRows(): void {}\n",
  "src/lib/money.ts": "export const formatCents = (n: number) => `${n}`;\n",
  "src/lib/csv.ts": "export class CsvReader {\n  readLine(): string { return ''; }\n}\n",
  "scripts/deploy.sh": "#!/bin/sh\necho deploying\n",
};

/** `index`: how the code index is built (`codebase.index`); default the default, "search". */
function repo(files: Record<string, string> = FILES, index?: "search" | "full"): string {
  const dir: string = initRepo("hl-cache-");
  dirs.push(dir);
  const config = index === undefined ? {} : { ".harnessrc.yml": `codebase:\n  index: ${index}\n` };
  commitStep(dir, { message: "initial", write: { ...files, ...config } });
  return dir;
}

/** The cache folder: `git rev-parse --git-path harness-lint`. */
function cacheFolder(dir: string): string {
  const gitPath = git(dir, ["rev-parse", "--git-path", "harness-lint"]).trim();
  return gitPath.startsWith("/") ? gitPath : join(dir, gitPath);
}

/** The per-content entries file. */
function cacheFile(dir: string): string {
  return join(cacheFolder(dir), `cache-v${CACHE_FORMAT}.json`);
}

/** Every JSON file of the cache: entries, the last run's aggregate, parsed harness files. */
function cacheJsonFiles(dir: string): string[] {
  const folder = cacheFolder(dir);
  return existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => name.endsWith(".json"))
        .map((name) => join(folder, name))
    : [];
}

function findings(dir: string): JsonFinding[] {
  return lintJson(dir).report.findings;
}

/** Lints warm, then cold (cache removed), and expects the same findings; returns them. */
function expectWarmEqualsCold(dir: string): JsonFinding[] {
  const warm = findings(dir);
  rmSync(cacheFolder(dir), { recursive: true, force: true });
  const cold = findings(dir);
  expect(warm).toEqual(cold);
  expect(existsSync(cacheFile(dir))).toBe(true);
  return cold;
}

function staleMentions(list: JsonFinding[]): string[] {
  return list
    .filter((f) => f.check === "stale-symbol" || f.check === "stale-path")
    .map((f) => f.mention ?? "")
    .sort();
}

describe("index cache: a warm run reports exactly what a cold run reports", SLOW, () => {
  it("writes a cache under the git directory and reuses it", () => {
    const dir = repo();
    const cold = findings(dir);
    expect(staleMentions(cold)).toEqual([]);
    const file = cacheFile(dir);
    expect(file).toContain(join(".git", "harness-lint"));
    const cache = JSON.parse(readFileSync(file, "utf8")) as { format: number; fingerprint: string; entries: Record<string, unknown> };
    expect(cache.fingerprint).toMatch(/^0\.\d+\.\d+/);
    // Keyed by git's blob ids: the ids `git ls-files -s` shows.
    const blob = git(dir, ["rev-parse", ":src/lib/csv.ts"]).trim();
    expect(Object.keys(cache.entries)).toContain(`TS:${blob}`);
    // Warm (the cache the cold run wrote) equals cold.
    expect(findings(dir)).toEqual(cold);
  });

  it("follows edits in the work tree, staged and unstaged", () => {
    const dir = repo();
    findings(dir);
    writeFileSync(join(dir, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    expect(staleMentions(expectWarmEqualsCold(dir))).toEqual(["importRows"]);
    git(dir, ["add", "src/import/rows.ts"]);
    expect(staleMentions(expectWarmEqualsCold(dir))).toEqual(["importRows"]);
    // Back to the committed content, which the cache already knows.
    writeFileSync(join(dir, "src/import/rows.ts"), FILES["src/import/rows.ts"]!);
    expect(staleMentions(expectWarmEqualsCold(dir))).toEqual([]);
    // A member removed from a class.
    writeFileSync(join(dir, "src/lib/csv.ts"), "export class CsvReader {\n  next(): string { return ''; }\n}\n");
    expect(staleMentions(expectWarmEqualsCold(dir))).toEqual(["CsvReader.readLine"]);
  });

  it("follows renames, deletions and new untracked files", () => {
    const dir = repo();
    findings(dir);
    git(dir, ["mv", "src/lib/money.ts", "src/lib/cents.ts"]);
    expect(staleMentions(expectWarmEqualsCold(dir))).toEqual(["src/lib/money.ts"]);
    rmSync(join(dir, "src/import/rows.ts"));
    expect(staleMentions(expectWarmEqualsCold(dir))).toEqual(["importRows", "src/import/rows.ts", "src/lib/money.ts"]);
    // An untracked file brings the name back.
    writeFileSync(join(dir, "src/import/other.ts"), "export function importRows(): void {}\n");
    expect(staleMentions(expectWarmEqualsCold(dir))).toEqual(["src/import/rows.ts", "src/lib/money.ts"]);
  });

  it("follows a branch switch in both directions", () => {
    const dir = repo();
    findings(dir);
    git(dir, ["checkout", "-q", "-b", "refactor"]);
    commitStep(dir, { message: "rename", write: { "src/import/rows.ts": "export function loadRows(): void {}\n" } }, 1);
    expect(staleMentions(expectWarmEqualsCold(dir))).toEqual(["importRows"]);
    git(dir, ["checkout", "-q", "main"]);
    expect(staleMentions(findings(dir))).toEqual([]);
    git(dir, ["checkout", "-q", "refactor"]);
    expect(staleMentions(findings(dir))).toEqual(["importRows"]);
  });

  it("drops entries for content no longer in the repository", () => {
    const dir = repo();
    findings(dir);
    const before = Object.keys((JSON.parse(readFileSync(cacheFile(dir), "utf8")) as { entries: object }).entries);
    const oldBlob = git(dir, ["rev-parse", ":src/lib/money.ts"]).trim();
    commitStep(dir, { message: "edit", write: { "src/lib/money.ts": "export const formatCents = (n: number) => `${n}c`;\n" } }, 1);
    // A run a few files off the last one updates that run's aggregate and leaves the entries be;
    // the entries are pruned by the next run that builds the index from them.
    rmSync(join(cacheFolder(dir), `index-worktree-v${CACHE_FORMAT}.json`));
    findings(dir);
    const after = Object.keys((JSON.parse(readFileSync(cacheFile(dir), "utf8")) as { entries: object }).entries);
    expect(before).toContain(`TS:${oldBlob}`);
    expect(after).not.toContain(`TS:${oldBlob}`);
    expect(after).toHaveLength(before.length);
  });

  it("parses nothing, and does not load TypeScript, when no code changed", () => {
    const dir = repo();
    // A file history tracked and deleted: naming it is stale, and history says so without parsing code.
    commitStep(dir, { message: "add a helper", write: { "src/gone.ts": "export const gone = 1;\n" } }, 1);
    commitStep(dir, { message: "drop the helper", remove: ["src/gone.ts"] }, 2);
    const cold = runCli(["--format", "json"], dir, { NODE_OPTIONS: `--require ${probe}` });
    expect(cold.stderr).toContain("typescript-loaded=true");
    const written = statSync(cacheFile(dir)).mtimeMs;
    // A harness edit alone needs no code parsed.
    writeFileSync(join(dir, "CLAUDE.md"), `${CLAUDE}\nAlso \`src/gone.ts\`.\n`);
    const warm = runCli(["--format", "json"], dir, { NODE_OPTIONS: `--require ${probe}` });
    expect(warm.stderr).toContain("typescript-loaded=false");
    expect(staleMentions((JSON.parse(warm.stdout) as { findings: JsonFinding[] }).findings)).toEqual(["src/gone.ts"]);
    expect(statSync(cacheFile(dir)).mtimeMs).toBe(written);
  });

  it("re-parses only what changed: one edited file loads TypeScript, and the entries are not rewritten", () => {
    const dir = repo();
    findings(dir);
    const written = statSync(cacheFile(dir)).mtimeMs;
    writeFileSync(join(dir, "src/lib/money.ts"), "export const formatCents = 1;\n");
    const run = runCli(["--format", "json"], dir, { NODE_OPTIONS: `--require ${probe}` });
    expect(run.stderr).toContain("typescript-loaded=true");
    // The last run's aggregate, updated by the one file's two versions: the entries stay as they were.
    expect(statSync(cacheFile(dir)).mtimeMs).toBe(written);
    expectWarmEqualsCold(dir);
  });

  it.each(["full", "search"] as const)("updates the last aggregate for a few changed files, and agrees with a cold run (%s)", (index) => {
    const dir = repo(
      {
        ...FILES,
        "src/lib/shared.ts": "export class Ledger {\n  post(): void {}\n}\nexport const formatCents = 0;\n",
      },
      index,
    );
    findings(dir);
    // formatCents lives on in shared.ts; Ledger.post moves to Ledger.record; CsvReader goes.
    writeFileSync(join(dir, "src/lib/money.ts"), "export const other = 1;\n");
    writeFileSync(join(dir, "src/lib/shared.ts"), "export class Ledger {\n  record(): void {}\n}\nexport const formatCents = 0;\n");
    git(dir, ["rm", "-q", "src/lib/csv.ts"]);
    writeFileSync(join(dir, "CLAUDE.md"), `${CLAUDE}\nPost with \`Ledger.post()\`.\n`);
    const entriesWritten = statSync(cacheFile(dir)).mtimeMs;
    const updated = findings(dir);
    // The full index updates its aggregate alone; a searched one parses the files holding the
    // new mention's name (`Ledger`), and keeps their entries.
    if (index === "full") expect(statSync(cacheFile(dir)).mtimeMs).toBe(entriesWritten);
    expect(staleMentions(updated)).toEqual(["CsvReader.readLine", "Ledger.post"]);
    expect(expectWarmEqualsCold(dir)).toEqual(updated);
    // And back: the names return.
    git(dir, ["checkout", "-q", "--", "."]);
    git(dir, ["reset", "-q", "--hard"]);
    expect(staleMentions(expectWarmEqualsCold(dir))).toEqual([]);
  });
});

describe("parse cache: what a parse knows beyond the plain result", SLOW, () => {
  it("keeps subsection and preamble anchors, so a post-mortem citing them resolves warm as cold", () => {
    const pmText = (ref: string) =>
      [
        "---",
        "id: PM-0001",
        "date: 2026-10-01",
        "changes:",
        `  - ${ref}`,
        "---",
        "# Flaky",
        "",
        ...["What happened", "What the agent was working from", "Where the layers failed", "What changes", "What we are not doing"].flatMap((h) => [`## ${h}`, "x"]),
        "",
      ].join("\n");
    const dir = repo({
      ...FILES,
      "CLAUDE.md": `${CLAUDE}\n## Testing\n<!-- scope: src/** -->\nRun the tests.\n\n### Flaky suites\n\nRetry twice.\n`,
      "docs/postmortems/PM-0001.md": pmText("CLAUDE.md#flaky-suites"),
    });
    const checks = (list: JsonFinding[]) => list.filter((f) => f.check === "dangling-citation" || (f.check === "uncited-rule" && f.item === "CLAUDE.md#testing"));
    const cold = findings(dir);
    expect(checks(cold)).toEqual([]);
    expect(existsSync(cacheFile(dir))).toBe(true);
    // Warm from the cold run's cache, then from the cache the warm run left.
    expect(findings(dir)).toEqual(cold);
    expect(findings(dir)).toEqual(cold);
  });
});

describe("index cache: damage and other versions", SLOW, () => {
  it("ignores and rewrites corrupt cache files", () => {
    const dir = repo();
    const clean = findings(dir);
    const files = cacheJsonFiles(dir);
    expect(files.map((file) => file.slice(file.lastIndexOf("/") + 1)).sort()).toEqual([`cache-v${CACHE_FORMAT}.json`, `index-worktree-v${CACHE_FORMAT}.json`, `parsed-v${CACHE_FORMAT}.json`]);
    for (const garbage of ["{not json", "", '{"format":1}', '{"format":1,"fingerprint":"x","names":[1],"entries":{}}', "[]"]) {
      for (const file of files) writeFileSync(file, garbage);
      expect(findings(dir)).toEqual(clean);
      for (const file of files) expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();
    }
    // Damage that leaves valid JSON: a parse result edited by hand.
    const parsed = files.find((file) => file.endsWith(`parsed-v${CACHE_FORMAT}.json`))!;
    writeFileSync(parsed, readFileSync(parsed, "utf8").replaceAll("importRows", "importRowz"));
    expect(findings(dir)).toEqual(clean);
  });

  it("ignores a cache whose entries point outside its name table", () => {
    const dir = repo();
    findings(dir);
    const cache = JSON.parse(readFileSync(cacheFile(dir), "utf8")) as { entries: Record<string, number[][]> };
    for (const entry of Object.values(cache.entries)) entry[0] = [999_999];
    writeFileSync(cacheFile(dir), JSON.stringify(cache));
    writeFileSync(join(dir, "src/lib/money.ts"), "export const renamedCents = 1;\n");
    expect(staleMentions(findings(dir))).toEqual(["formatCents"]);
  });

  it("ignores a cache written by another version, even one that claims a name exists", () => {
    const dir = repo();
    writeFileSync(join(dir, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    expect(staleMentions(findings(dir))).toEqual(["importRows"]);
    const files = [cacheFile(dir), join(cacheFolder(dir), `index-worktree-v${CACHE_FORMAT}.json`)];
    const current = (JSON.parse(readFileSync(files[0]!, "utf8")) as { fingerprint: string }).fingerprint;
    for (const fingerprint of [current.replace(/^[^|]+/, "0.0.0-other"), current.replace(/\|[^|]+\|/, "|0000000000000000|")]) {
      for (const file of files) {
        // Poison it: every entry now "declares" importRows, under another tool version.
        const cache = JSON.parse(readFileSync(file, "utf8")) as { fingerprint: string; names: string[] };
        writeFileSync(file, JSON.stringify({ ...cache, fingerprint, names: cache.names.map(() => "importRows") }));
      }
      expect(staleMentions(findings(dir))).toEqual(["importRows"]);
      for (const file of files) expect((JSON.parse(readFileSync(file, "utf8")) as { fingerprint: string }).fingerprint).toBe(current);
    }
  });

  it("two runs at once both succeed and leave a valid cache", async () => {
    const files: Record<string, string> = { ...FILES };
    for (let i = 0; i < 200; i++) files[`src/gen/file${i}.ts`] = `export function generated${i}(): number { return ${i}; }\n`;
    // The full index writes an entry per file: the most there is to race over.
    const dir = repo(files, "full");
    const expected = (() => {
      const run = lintJson(dir);
      rmSync(cacheFolder(dir), { recursive: true, force: true });
      return run.report;
    })();
    for (let round = 0; round < 3; round++) {
      // Round 0 races two cold runs; later rounds race runs that both rewrite after an edit.
      if (round > 0) writeFileSync(join(dir, `src/gen/file${round}.ts`), `export function generated${round}(): number { return ${round * 2}; }\n`);
      const runs = await Promise.all([runAsync(dir), runAsync(dir)]);
      for (const run of runs) {
        expect(run.code).toBe(0);
        expect((JSON.parse(run.stdout) as { findings: unknown }).findings).toEqual(expected.findings);
      }
      const cache = JSON.parse(readFileSync(cacheFile(dir), "utf8")) as { entries: object };
      expect(Object.keys(cache.entries).length).toBeGreaterThan(200);
      for (const file of cacheJsonFiles(dir)) expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();
      const leftovers = readdirSync(cacheFolder(dir)).filter((name) => name.endsWith(".tmp"));
      expect(leftovers).toEqual([]);
    }
    expectWarmEqualsCold(dir);
  }, 600_000);
});

describe("index cache: where it lives", SLOW, () => {
  it("works in a linked worktree, with the worktree's own cache", () => {
    const dir = repo();
    findings(dir);
    const linked = mkdtempSync(join(tmpdir(), "hl-linked-"));
    dirs.push(linked);
    rmSync(linked, { recursive: true });
    git(dir, ["worktree", "add", "-q", "-b", "side", linked]);
    writeFileSync(join(linked, "src/import/rows.ts"), "export function loadRows(): void {}\n");
    expect(staleMentions(expectWarmEqualsCold(linked))).toEqual(["importRows"]);
    expect(cacheFile(linked)).toContain(join(".git", "worktrees"));
    expect(staleMentions(findings(dir))).toEqual([]);
  });

  it("outside git, caches under the temp directory and still agrees with a cold run", () => {
    const dir = mkdtempSync(join(tmpdir(), "hl-nogit-cache-"));
    dirs.push(dir);
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/a.ts"), "export class RealThing { run() {} }\n");
    writeFileSync(join(dir, "CLAUDE.md"), "## A\n<!-- scope: global -->\nCall `RealThing.run()` and `RealThing.gone()`.\n");
    const cold = findings(dir);
    expect(staleMentions(cold)).toEqual(["RealThing.gone"]);
    const user = typeof process.getuid === "function" ? String(process.getuid()) : "user";
    const folder = join(tmpdir(), `harness-lint-cache-${user}`, createHash("sha1").update(dir).digest("hex").slice(0, 16));
    expect(existsSync(join(folder, `cache-v${CACHE_FORMAT}.json`))).toBe(true);
    dirs.push(folder);
    expect(findings(dir)).toEqual(cold);
    writeFileSync(join(dir, "src/a.ts"), "export class RealThing { gone() {} }\n");
    expect(staleMentions(findings(dir))).toEqual(["RealThing.run"]);
  });

  it("a read-only cache folder costs the warm start, not the result", () => {
    const dir = repo();
    const clean = findings(dir);
    const folder = cacheFolder(dir);
    rmSync(folder, { recursive: true, force: true });
    writeFileSync(folder, "not a directory");
    try {
      expect(findings(dir)).toEqual(clean);
    } finally {
      unlinkSync(folder);
    }
  });
});

function runAsync(cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "--format", "json"], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("evidence walks: kept for the next run at the same HEAD", SLOW, () => {
  /** How many rule-file history walks (`git log --follow`) a run made, from git's own trace. */
  function walksOf(dir: string): { count: number; removals: number; findings: JsonFinding[] } {
    const trace = join(mkdtempSync(join(tmpdir(), "hl-trace-")), "events");
    const run = runCli(["--format", "json"], dir, { GIT_TRACE2_EVENT: trace });
    const events = existsSync(trace) ? readFileSync(trace, "utf8").split("\n").filter(Boolean) : [];
    rmSync(dirname(trace), { recursive: true, force: true });
    const count = events.filter((line) => {
      const event = JSON.parse(line) as { event: string; argv?: string[] };
      return event.event === "start" && event.argv?.includes("log") === true && event.argv.includes("--follow");
    }).length;
    // Which commit removed a name: `git log -G<name> -n8` limited to the file that had it.
    const removals = events.filter((line) => {
      const event = JSON.parse(line) as { event: string; argv?: string[] };
      return event.event === "start" && event.argv?.includes("log") === true && event.argv.some((arg) => arg.startsWith("-G"));
    }).length;
    return { count, removals, findings: (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings };
  }

  function staleRepo(): string {
    const dir: string = initRepo("hl-walks-");
    dirs.push(dir);
    commitStep(dir, { message: "initial", write: { ...FILES, "src/legacy.ts": "export const legacyImporter = 1;\n", "CLAUDE.md": `${CLAUDE}Old: \`legacyImporter\`.\n` } });
    commitStep(dir, { message: "remove legacy", remove: ["src/legacy.ts"] }, 1);
    return dir;
  }

  it("walks a rule file's history once per HEAD, and a warm run reports what a cold one does", () => {
    const dir = staleRepo();
    const cold = walksOf(dir);
    expect(cold.count).toBe(1);
    expect(cold.removals).toBe(1);
    expect(staleMentions(cold.findings)).toEqual(["legacyImporter"]);
    expect(existsSync(join(cacheFolder(dir), `evidence-walks-v${CACHE_FORMAT}.json`))).toBe(true);
    // Counted, not timed: the same HEAD walks nothing, even after a code edit the stored result cannot answer.
    writeFileSync(join(dir, "src/lib/money.ts"), "export const formatCents = (n: number) => `${n}c`;\n");
    const warm = walksOf(dir);
    expect(warm.count).toBe(0);
    expect(warm.removals).toBe(0);
    expect(warm.findings).toEqual(expectWarmEqualsCold(dir));
    // A new commit is a new HEAD: walked again, and what it changed is seen.
    commitStep(dir, { message: "the rule moves on", write: { "CLAUDE.md": CLAUDE } }, 2);
    const moved = walksOf(dir);
    expect(staleMentions(moved.findings)).toEqual([]);
    expect(moved.findings).toEqual(expectWarmEqualsCold(dir));
  });

  it("ignores a kept file whose commits are not commit ids (they would reach git as arguments)", () => {
    const dir = staleRepo();
    const cold = walksOf(dir).findings;
    const file = join(cacheFolder(dir), `evidence-walks-v${CACHE_FORMAT}.json`);
    const kept = JSON.parse(readFileSync(file, "utf8")) as { head: string; files: Record<string, Record<string, unknown>> };
    for (const entries of Object.values(kept.files)) for (const text of Object.keys(entries)) entries[text] = ["--output=/tmp/hl-planted", null];
    writeFileSync(file, JSON.stringify(kept));
    // The answers kept for the same questions would answer without reading the walks.
    rmSync(join(cacheFolder(dir), `evidence-answers-v${CACHE_FORMAT}.json`), { force: true });
    const planted = walksOf(dir);
    expect(planted.count).toBe(1);
    expect(planted.findings).toEqual(cold);
    expect(existsSync("/tmp/hl-planted")).toBe(false);
  });
});
