// Shared machinery of the bad-input suite: build a hostile repository, run the real CLI on it with a
// hard time limit, and check the promises every run keeps whatever it is given (issue 7):
//   - exit 0/1 with findings, or exit 2 with exactly one line on stderr;
//   - no stack trace unless --debug, no "internal error";
//   - bounded time (the process is killed at the limit, so a hang fails the case instead of the suite);
//   - no changed file: `git status --porcelain --ignored` and the bytes, mode and mtime of every file
//     in the work tree are the same after the run (harness-lint may keep a cache inside .git/ only).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo } from "../../fixtures/lib/build-repo.mjs";
import { CLI, type JsonFinding, type JsonReport } from "../helpers/cli.js";

export { commitStep, git, initRepo };

/**
 * The built CLI (dist/src/cli.js). HARNESS_LINT_CLI may point at another build of the same sources,
 * for running this suite while someone else is rebuilding dist/.
 */
export const CLI_PATH = process.env.HARNESS_LINT_CLI ?? CLI;

/** Slow CI machines may stretch every limit (ROBUSTNESS_TIME_SCALE=2); the default is 1. */
const TIME_SCALE = Math.max(1, Number(process.env.ROBUSTNESS_TIME_SCALE ?? 1));
/**
 * Per-case hang guard for one CLI run, in wall time: the run is killed past it. Generous (10
 * minutes), because a busy 2-core machine is slow, not hung: at a load average of 18 a run of 7 s
 * of CPU (10,000 headings) crossed the minute this used to be.
 */
export const RUN_LIMIT_MS = 600_000 * TIME_SCALE;
/**
 * What bounds a run's work: CPU seconds, which a busy machine does not spend for it. The kernel
 * ends the run past them (`prlimit --cpu`, RLIMIT_CPU; where prlimit is missing, only the wall
 * guard holds). The slowest case needs about 7 s; a super-linear path takes minutes or never ends.
 */
export const CPU_LIMIT_S = 60 * TIME_SCALE;
/** prlimit's own path: a case's PATH may hold no programs at all. */
const PRLIMIT = (process.env.PATH ?? "")
  .split(":")
  .map((dir) => join(dir, "prlimit"))
  .find((path) => isPrlimit(path));

function isPrlimit(path: string): boolean {
  return path.startsWith("/") && existsSync(path) && spawnSync(path, ["--version"], { stdio: "ignore" }).status === 0;
}
/**
 * The hang guard for a pathological input (about 100 KB, in three files): the super-linear shapes
 * found so far took minutes or never finished, so CPU_LIMIT_S catches them; their speed is
 * measured in `npm run bench`.
 */
export const FAST_MS = RUN_LIMIT_MS;

/** A file the rest of every case must still lint: its finding proves one bad file did not stop the run. */
export const HEALTHY: Record<string, string> = {
  "src/a.ts": "export class AccountImporter {}\n",
  "AGENTS.md": "## Healthy\n<!-- scope: src/** -->\nUse `HealthyButGoneName` here.\n",
};

/**
 * These cases are about inputs, not history: every name a rule file names in backticks was in
 * the code when the rule was written, so what is gone now is stale by history too. The former
 * code is Python where the name can be: reading a removed TypeScript file from history loads the
 * TypeScript compiler (a fifth of a small run's CPU, in every case of these suites), which these
 * cases are not about; the history suites and test/rules read TypeScript history.
 */
function formerFiles(files: Record<string, string | Uint8Array>): Record<string, string> {
  const names = new Set<string>();
  for (const [path, content] of Object.entries(files)) {
    if (!/\.(md|mdc)$/.test(path)) continue;
    // A rule file given as bytes (BOMs, encodings) names its spans in whatever decodes as text.
    const text = typeof content === "string" ? content : Buffer.from(content).toString("utf8");
    for (const [, name] of text.matchAll(/`([A-Za-z_$][\w$]*)`/g)) names.add(name!);
  }
  const python = [...names].filter((name) => /^[A-Za-z_]\w*$/.test(name) && !PYTHON_KEYWORDS.has(name));
  const typescript = [...names].filter((name) => !python.includes(name));
  return {
    [FORMER_PYTHON]: python.map((name) => `${name} = 1\n`).join(""),
    ...(typescript.length > 0 ? { [FORMER_TYPESCRIPT]: typescript.map((name) => `export const ${name} = 1;\n`).join("") } : {}),
  };
}

const FORMER_PYTHON = "src/former-healthy.py";
const FORMER_TYPESCRIPT = "src/former-healthy.ts";
const PYTHON_KEYWORDS = new Set([
  ..."False None True and as assert async await break class continue def del elif else except finally".split(" "),
  ..."for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type".split(" "),
]);

export function healthyFinding(report: JsonReport): JsonFinding | undefined {
  return report.findings.find((f) => f.check === "stale-symbol" && f.file === "AGENTS.md" && f.mention === "HealthyButGoneName" && f.line === 3 && f.column === 5);
}

// ---------------------------------------------------------------------------------------------
// Temporary directories

const made: string[] = [];

/** A temp directory removed by `cleanup()` (made writable first: some cases chmod a-w). */
export function tempDir(prefix = "hl-robust-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

let sharedTmp: string | null = null;
/** A TMPDIR for the runs of one test file (removed by cleanup). */
export function suiteTmp(): string {
  sharedTmp ??= tempDir("hl-tmpdir-");
  return sharedTmp;
}

export function cleanup(): void {
  sharedTmp = null;
  for (const dir of made.splice(0)) {
    if (!existsSync(dir)) continue;
    spawnSync("chmod", ["-R", "u+rwX", dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An empty repository (git init, no commits), removed by `cleanup()`. */
export function emptyRepo(): string {
  const dir: string = initRepo("hl-robust-");
  made.push(dir);
  return dir;
}

/** A repository with HEALTHY plus `files`, committed. Buffers are written as bytes. */
export function repo(files: Record<string, string | Uint8Array> = {}, options: { commit?: boolean; formerly?: Record<string, string> } = {}): string {
  const dir: string = initRepo("hl-robust-");
  made.push(dir);
  writeFiles(dir, { ...HEALTHY, ...files });
  if (options.commit !== false) {
    // The healthy name was in the code when the rule was written and is gone: stale by history.
    // `formerly`: files (a hook's script) tracked in that first commit and deleted with it.
    const former = formerFiles({ ...HEALTHY, ...files });
    writeFiles(dir, { ...former, ...options.formerly });
    commitStep(dir, { message: "initial" });
    commitStep(dir, { message: "remove the old name", remove: [...Object.keys(former), ...Object.keys(options.formerly ?? {})] }, 1);
  }
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** A folder outside every repository holding a file whose text must never show up in any output. */
export function outsideSecret(): { dir: string; file: string; secret: string } {
  const dir = tempDir("hl-outside-");
  const secret = `OutsideSecret${createHash("sha1").update(dir).digest("hex").slice(0, 12)}`;
  const file = join(dir, "secret.md");
  // Shaped like a harness file and like code, so whichever reader opens it would quote the name.
  writeFileSync(file, `## Leaked\nUse \`${secret}\` and \`${secret}Path/x.ts\`.\nexport class ${secret} {}\n`);
  writeFileSync(join(dir, "secret.ts"), `export class ${secret}Code {}\n`);
  return { dir, file, secret };
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

export interface BoundedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  limitMs?: number;
  uid?: number;
  gid?: number;
}

/**
 * `runCli` from test/helpers/cli.ts with a hard, per-case limit: spawnSync blocks the event loop,
 * so a vitest timeout cannot interrupt a hung CLI; the child is killed past CPU_LIMIT_S of CPU or
 * `limitMs` of wall time instead, and the case fails on `signal`.
 */
export function runBounded(args: string[], cwd: string, options: RunOptions = {}): BoundedRun {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: "1", ...options.env })) if (value !== undefined) env[key] = value;
  const started = Date.now();
  const command = [process.execPath, CLI_PATH, ...args];
  const result = spawnSync(PRLIMIT ?? command[0]!, PRLIMIT ? [`--cpu=${CPU_LIMIT_S}`, "--", ...command] : command.slice(1), {
    cwd,
    encoding: "utf8",
    env,
    timeout: options.limitMs ?? RUN_LIMIT_MS,
    killSignal: "SIGKILL",
    maxBuffer: 256 * 1024 * 1024,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout ?? "", stderr: result.stderr ?? "", ms: Date.now() - started };
}

/** What every run promises, whatever the input. */
export function expectWellBehaved(run: BoundedRun, args: string[], limitMs = RUN_LIMIT_MS): void {
  // The hang guards are kills (a signal): past CPU_LIMIT_S of CPU, or limitMs of wall time. Never a
  // stopwatch: a busy machine is slow, not hung.
  expect(run.signal, `killed (${run.signal}) after ${run.ms} ms (limits: ${CPU_LIMIT_S} s of CPU, ${limitMs} ms): the run hung`).toBeNull();
  expect([0, 1, 2]).toContain(run.code);
  if (!args.includes("--debug")) expect(run.stderr, "stack trace without --debug").not.toMatch(/\n\s+at /);
  expect(run.stderr).not.toMatch(/internal error/i);
}

/** Exit 0/1 and a JSON report (the run used `--format json`). */
export function expectReport(run: BoundedRun): JsonReport {
  expect(run.code, `expected findings, got exit ${run.code}: ${run.stderr}`).not.toBe(2);
  expect([0, 1]).toContain(run.code);
  return JSON.parse(run.stdout) as JsonReport;
}

/** Exit 2 with exactly one line on stderr that matches `pattern`. */
export function expectOneLineError(run: BoundedRun, pattern: RegExp): void {
  expect(run.code, `expected exit 2, got ${run.code}; stdout: ${run.stdout.slice(0, 300)}`).toBe(2);
  const lines = run.stderr.replace(/\n$/, "").split("\n");
  expect(lines, `stderr: ${run.stderr}`).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

/** The invalid-file finding for `file`; asserts it exists and names a line (and column, if given). */
export function expectInvalidFile(report: JsonReport, file: string, line?: number, column?: number): JsonFinding {
  const finding = report.findings.find((f) => f.check === "invalid-file" && f.file === file);
  expect(finding, `no invalid-file finding for ${JSON.stringify(file)}; findings: ${summarise(report)}`).toBeDefined();
  expect(finding!.line).toBeGreaterThanOrEqual(1);
  expect(finding!.column).toBeGreaterThanOrEqual(1);
  if (line !== undefined) expect(finding!.line, finding!.message).toBe(line);
  if (column !== undefined) expect(finding!.column, finding!.message).toBe(column);
  return finding!;
}

export function expectHealthyStillLinted(report: JsonReport): void {
  expect(healthyFinding(report), `the healthy file was not linted; findings: ${summarise(report)}`).toBeDefined();
}

export function summarise(report: JsonReport): string {
  return report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.check} ${f.mention ?? ""} ${f.message.slice(0, 80)}`).join(" | ");
}

// ---------------------------------------------------------------------------------------------
// "No changed file"

export interface TreeSnapshot {
  status: string | null;
  files: Map<string, string>;
}

/**
 * Every entry of the work tree (not .git/): kind, mode, size, mtime and a content hash (the target
 * of a symlink), plus `git status --porcelain --ignored` when the folder is in a repository.
 */
export function snapshotTree(dir: string): TreeSnapshot {
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    const abs = rel === "" ? dir : join(dir, rel);
    for (const name of readdirSync(abs)) {
      if (name === ".git") continue;
      const path = rel === "" ? name : `${rel}/${name}`;
      const info = lstatSync(join(dir, path));
      if (info.isDirectory()) {
        files.set(`${path}/`, `dir ${info.mode.toString(8)}`);
        if (info.mode & 0o100) walk(path);
        continue;
      }
      let content = "";
      if (info.isSymbolicLink()) content = `-> ${readlinkSync(join(dir, path))}`;
      else if (info.isFile() && info.mode & 0o444) {
        try {
          content = createHash("sha256")
            .update(readFileSync(join(dir, path)))
            .digest("hex");
        } catch {
          content = "unreadable";
        }
      }
      files.set(path, `${info.isSymbolicLink() ? "link" : info.isFile() ? "file" : "other"} ${info.mode.toString(8)} ${info.size} ${info.mtimeMs} ${content}`);
    }
  };
  walk("");
  let status: string | null = null;
  if (existsSync(join(dir, ".git"))) {
    try {
      status = git(dir, ["status", "--porcelain", "--ignored", "--untracked-files=all"]);
    } catch {
      status = "(git status failed)";
    }
  }
  return { status, files };
}

export function expectTreeUnchanged(dir: string, before: TreeSnapshot): void {
  const after = snapshotTree(dir);
  expect(after.status, "git status --porcelain --ignored changed").toBe(before.status);
  const changed: string[] = [];
  for (const [path, entry] of after.files) if (before.files.get(path) !== entry) changed.push(`${path}: ${before.files.get(path) ?? "(new)"} => ${entry}`);
  for (const path of before.files.keys()) if (!after.files.has(path)) changed.push(`${path}: removed`);
  expect(changed, "files changed in the tree").toEqual([]);
}

/** chmod helper that tolerates missing paths (cleanup of half-built cases). */
export function chmodQuiet(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // gone already
  }
}

// ---------------------------------------------------------------------------------------------
// Table-driven cases

export type Expectation =
  /** Exit 0/1; `invalid` names the file (and line, column) of the invalid-file finding that must be there. */
  | { kind: "findings"; invalid?: { file: string; line?: number; column?: number }; healthy?: boolean }
  /** Exit 2, one line on stderr matching `stderr`. */
  | { kind: "exit2"; stderr: RegExp }
  /** Either of the above (for commands that may refuse a state): exit 0/1 with a report, or 2 with one line. */
  | { kind: "settled" };

export interface Case {
  name: string;
  /** Builds the repository (or folder) and returns the directory to run in and to watch. */
  setup: () => string | { cwd: string; watch?: string[] };
  args?: string[];
  /** Environment for the run; a function is called after `setup` (for values setup computes). */
  env?: Record<string, string | undefined> | (() => Record<string, string | undefined>);
  uid?: number;
  expect: Expectation;
  /** Budget for the run, ms (default RUN_LIMIT_MS); ReDoS-shaped inputs get FAST_MS. */
  limitMs?: number;
  /** Further assertions on the run (and the report, when there is one). */
  check?: (run: BoundedRun, report: JsonReport | null, cwd: string) => void;
  /** Texts that must never appear in stdout or stderr (outside files' content). */
  never?: () => string[];
  /** A real bug this case found: the case is registered with it.skip until the fix lands. */
  bug?: string;
}

/** Registers a table of cases; a case with `bug` is `it.skip`ped (the BUG comment sits on the case). */
export function defineCases(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      const register = c.bug && !process.env.ROBUSTNESS_RUN_BUGS ? it.skip : it;
      register(
        c.name,
        () => {
          runCase(c);
        },
        (c.limitMs ?? RUN_LIMIT_MS) + 20_000,
      );
    }
  });
}

/** Runs one table case: build, snapshot, run with a limit, check the promises and the expectation. */
export function runCase(c: Case): BoundedRun {
  const setup = c.setup();
  const { cwd, watch } = typeof setup === "string" ? { cwd: setup, watch: [setup] } : { cwd: setup.cwd, watch: setup.watch ?? [setup.cwd] };
  const snapshots = watch.map((dir) => [dir, snapshotTree(dir)] as const);
  const args = ["--format", "json", ...(c.args ?? [])];
  const limitMs = c.limitMs ?? RUN_LIMIT_MS;
  // Outside git the cache goes under TMPDIR: keep it in a folder this suite removes.
  const env = { TMPDIR: suiteTmp(), ...(typeof c.env === "function" ? c.env() : c.env) };
  const run = runBounded(args, cwd, { ...(env ? { env } : {}), limitMs, ...(c.uid !== undefined ? { uid: c.uid } : {}) });
  expectWellBehaved(run, args, limitMs);
  let report: JsonReport | null = null;
  if (c.expect.kind === "findings") {
    report = expectReport(run);
    if (c.expect.invalid) expectInvalidFile(report, c.expect.invalid.file, c.expect.invalid.line, c.expect.invalid.column);
    if (c.expect.healthy !== false) expectHealthyStillLinted(report);
  } else if (c.expect.kind === "exit2") {
    expectOneLineError(run, c.expect.stderr);
  } else if (run.code === 2) {
    expectOneLineError(run, /^harness-lint: \S/);
  } else {
    report = JSON.parse(run.stdout) as JsonReport;
  }
  for (const text of c.never?.() ?? []) {
    expect(run.stdout, "outside content in stdout").not.toContain(text);
    expect(run.stderr, "outside content in stderr").not.toContain(text);
  }
  c.check?.(run, report, cwd);
  for (const [dir, before] of snapshots) expectTreeUnchanged(dir, before);
  return run;
}
