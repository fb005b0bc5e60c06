// Repository states a hook or CI job meets: submodules, worktrees, a detached HEAD, no commits,
// a shallow clone, a broken repository, git missing from PATH. Each state is linted in every mode
// that reads git (plain, --drift, --staged) and the history commands, which may refuse a state but
// only in one line.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitWithFormerNames } from "../../fixtures/lib/build-repo.mjs";
import { cleanup, commitStep, defineCases, emptyRepo, git, repo, tempDir, writeFiles, HEALTHY, type Case, type Expectation } from "./support.js";

afterAll(cleanup);

/** A repository with three commits: a rename in the middle gives --drift something to explain. */
function historyRepo(): string {
  const dir = repo({ "src/b.ts": "export class OldName {}\n" });
  commitStep(dir, { message: "rename", write: { "src/b.ts": "export class NewName {}\n" } }, 1);
  commitStep(dir, { message: "mention", write: { "CLAUDE.md": "## Uses\n<!-- scope: src/** -->\nCall `OldName`.\n" } }, 2);
  return dir;
}

interface State {
  name: string;
  setup: () => string | { cwd: string; watch?: string[] };
  /** What a plain lint must do in this state (default: findings, healthy file linted). */
  lint?: Expectation;
  check?: Case["check"];
  env?: Record<string, string>;
}

const STATES: State[] = [
  {
    name: "a submodule (its files belong to the other repository)",
    setup: () => {
      const sub = historyRepo();
      const dir = repo({ "CLAUDE.md": "## Sub\n<!-- scope: src/** -->\nSee `vendor/sub/src/b.ts`.\n" });
      git(dir, ["-c", "protocol.file.allow=always", "submodule", "add", "-q", `file://${sub}`, "vendor/sub"]);
      commitStep(dir, { message: "submodule" });
      return dir;
    },
    check: (_run, report) => {
      if (report?.findings) expect(report.findings.filter((f) => f.file.startsWith("vendor/sub/"))).toEqual([]);
    },
  },
  {
    name: "inside a submodule's work tree (linted as its own repository)",
    setup: () => {
      const sub = historyRepo();
      const dir = repo();
      git(dir, ["-c", "protocol.file.allow=always", "submodule", "add", "-q", `file://${sub}`, "vendor/sub"]);
      commitStep(dir, { message: "submodule" });
      return { cwd: join(dir, "vendor", "sub"), watch: [dir] };
    },
  },
  {
    name: "a linked worktree (git worktree add)",
    setup: () => {
      const dir = historyRepo();
      const wt = join(tempDir("hl-wt-"), "wt");
      git(dir, ["worktree", "add", "-q", "-b", "wt-branch", wt]);
      return { cwd: wt, watch: [wt, dir] };
    },
  },
  {
    name: "a detached HEAD",
    setup: () => {
      const dir = historyRepo();
      git(dir, ["checkout", "-q", "--detach", "HEAD~1"]);
      return dir;
    },
  },
  {
    name: "an empty repository (git init, no commits, no files)",
    setup: () => emptyRepo(),
    lint: { kind: "findings", healthy: false },
    check: (run, report) => {
      if (run.code !== 2 && report?.findings) expect(report.findings).toEqual([]);
    },
  },
  {
    name: "no commits, files staged",
    setup: () => {
      const dir: string = emptyRepo();
      writeFiles(dir, HEALTHY);
      git(dir, ["add", "-A"]);
      return dir;
    },
  },
  {
    name: "no commits, files untracked",
    setup: () => {
      const dir: string = emptyRepo();
      writeFiles(dir, HEALTHY);
      return dir;
    },
  },
  {
    name: "a shallow clone (--depth 1)",
    setup: () => {
      const origin = historyRepo();
      const dir = join(tempDir("hl-shallow-"), "clone");
      git(tempDir(), ["clone", "-q", "--depth", "1", `file://${origin}`, dir]);
      return dir;
    },
  },
  {
    name: "a merge in progress with conflict markers in CLAUDE.md",
    setup: () => {
      const dir = repo({ "CLAUDE.md": "## A\n<!-- scope: src/** -->\nbase\n" });
      git(dir, ["checkout", "-q", "-b", "other"]);
      commitStep(dir, { message: "theirs", write: { "CLAUDE.md": "## A\n<!-- scope: src/** -->\ntheirs `GoneTheirs`\n" } }, 1);
      git(dir, ["checkout", "-q", "main"]);
      commitStep(dir, { message: "ours", write: { "CLAUDE.md": "## A\n<!-- scope: src/** -->\nours `GoneOurs`\n" } }, 2);
      try {
        git(dir, ["merge", "-q", "other"]);
      } catch {
        // the conflict is the point
      }
      return dir;
    },
  },
  {
    name: "a stale index.lock left by a crashed git",
    setup: () => {
      const dir = historyRepo();
      writeFileSync(join(dir, ".git", "index.lock"), "");
      return dir;
    },
  },
  {
    name: "a SHA-256 repository",
    setup: () => {
      const dir = tempDir();
      git(dir, ["init", "-q", "-b", "main", "--object-format=sha256"]);
      // The healthy name was in the code once: stale by history, read from SHA-256 objects.
      commitWithFormerNames(dir, HEALTHY);
      return dir;
    },
  },
  {
    name: "a folder with a .git file pointing at a missing gitdir",
    setup: () => {
      const dir = tempDir();
      writeFiles(dir, HEALTHY);
      writeFileSync(join(dir, ".git"), "gitdir: /nonexistent/gitdir\n");
      return dir;
    },
    lint: { kind: "settled" },
  },
  {
    name: "a repository whose HEAD is garbage",
    setup: () => {
      const dir = historyRepo();
      writeFileSync(join(dir, ".git", "HEAD"), "garbage\n");
      return dir;
    },
    lint: { kind: "settled" },
  },
  {
    name: "a bare repository",
    setup: () => {
      const dir = tempDir();
      git(dir, ["init", "-q", "--bare"]);
      return dir;
    },
    lint: { kind: "settled" },
  },
];

const MODES: Array<{ args: string[]; plain: boolean }> = [
  { args: [], plain: true },
  { args: ["--drift"], plain: true },
  { args: ["--staged"], plain: false },
  { args: ["--base", "HEAD"], plain: false },
  { args: ["trace"], plain: false },
  { args: ["review"], plain: false },
];

/**
 * Each state is built once and linted in every mode. A run leaves the tree and `git status` as it
 * found them (runCase checks that after every run), so what a mode meets differs from a fresh build
 * only by the caches the modes before it wrote: those are removed, and each run gets its own TMPDIR
 * (where the cache of a folder outside git goes), so every mode still runs cold.
 */
function builtOnce(setup: State["setup"]): State["setup"] {
  let built: ReturnType<State["setup"]> | undefined;
  return () => {
    if (built === undefined) built = setup();
    else removeCaches(built);
    return built;
  };
}

/** Every `harness-lint` folder (the caches: .git/, .git/worktrees/*, .git/modules/*, a bare repository) under the state's folders. */
function removeCaches(built: ReturnType<State["setup"]>): void {
  const roots = typeof built === "string" ? [built] : [built.cwd, ...(built.watch ?? [])];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (entry.name === "harness-lint") rmSync(path, { recursive: true, force: true });
      else walk(path);
    }
  };
  for (const root of roots) if (existsSync(root)) walk(root);
}

const gitStateCases: Case[] = STATES.flatMap((state) => {
  const setup = builtOnce(state.setup);
  return MODES.map(
    (mode): Case => ({
      name: `${state.name}: harness-lint ${mode.args.join(" ") || "(lint)"}`,
      setup,
      args: mode.args,
      env: () => ({ TMPDIR: tempDir("hl-tmpdir-"), ...state.env }),
      // --staged lints the index: in a state with nothing staged the healthy file is not there.
      expect: mode.plain ? (state.lint ?? { kind: "findings" }) : { kind: "settled" },
      ...(mode.plain && state.check ? { check: state.check } : {}),
    }),
  );
});

/** A folder holding only a `node` symlink: PATH without git. */
function pathWithoutGit(): string {
  const bin = tempDir("hl-bin-");
  symlinkSync(process.execPath, join(bin, "node"));
  return bin;
}

const gitMissingCases: Case[] = [
  {
    name: "git missing from PATH inside a repository: exit 2, one line naming git",
    setup: () => repo(),
    env: { PATH: pathWithoutGit() },
    expect: { kind: "exit2", stderr: /\bgit\b.*(PATH|not found|install)/i },
  },
  {
    name: "git missing from PATH in a subfolder of a repository: exit 2, one line naming git",
    setup: () => {
      const dir = repo();
      return { cwd: join(dir, "src"), watch: [dir] };
    },
    env: { PATH: pathWithoutGit() },
    expect: { kind: "exit2", stderr: /\bgit\b/i },
  },
  {
    name: "git missing from PATH with --staged inside a repository: exit 2, one line naming git",
    setup: () => repo(),
    args: ["--staged"],
    env: { PATH: pathWithoutGit() },
    expect: { kind: "exit2", stderr: /\bgit\b/i },
  },
  {
    name: "git missing from PATH outside any repository: falls back to the file system and lints",
    setup: () => {
      const dir = tempDir();
      writeFiles(dir, HEALTHY);
      return dir;
    },
    env: { PATH: pathWithoutGit() },
    expect: { kind: "findings" },
  },
  {
    name: "git missing from PATH outside any repository, with --drift: lints, no history",
    setup: () => {
      const dir = tempDir();
      writeFiles(dir, HEALTHY);
      return dir;
    },
    args: ["--drift"],
    env: { PATH: pathWithoutGit() },
    expect: { kind: "findings" },
  },
  {
    name: "PATH empty outside any repository: falls back and lints",
    setup: () => {
      const dir = tempDir();
      writeFiles(dir, HEALTHY);
      return dir;
    },
    env: { PATH: "" },
    expect: { kind: "findings" },
  },
  {
    name: "a `git` on PATH that is not git (prints junk, exits 1) inside a repository: exit 2 in one line or a lint, no crash",
    setup: () => repo(),
    env: { PATH: fakeGitBin() },
    expect: { kind: "settled" },
  },
];

/** A PATH whose `git` is a script that prints junk and fails: what a broken install looks like. */
function fakeGitBin(): string {
  const bin = pathWithoutGit();
  writeFileSync(join(bin, "git"), "#!/bin/sh\necho 'fatal: not really git' >&2\nexit 1\n", { mode: 0o755 });
  return bin;
}

const IS_ROOT = process.getuid?.() === 0;

/**
 * CI containers often check out as one user and run as another; git then refuses the repository
 * ("detected dubious ownership", safe.directory). Simulated as root by handing the tree to nobody.
 */
const ownershipCases: Case[] = IS_ROOT
  ? [
      {
        name: "a repository git refuses (dubious ownership): exit 2, one line naming git and safe.directory",
        setup: () => {
          const dir = repo({ ".gitignore": "ignored/\n" });
          writeFiles(dir, { "ignored/CLAUDE.md": "## Ignored\nUse `GoneButIgnored`.\n" });
          spawnSync("chown", ["-R", "65534:65534", dir]);
          return dir;
        },
        expect: { kind: "exit2", stderr: /git.*(safe\.directory|ownership)/i },
      },
      {
        name: "a repository git refuses (dubious ownership), --staged: the one line says why",
        setup: () => {
          const dir = repo();
          spawnSync("chown", ["-R", "65534:65534", dir]);
          return dir;
        },
        args: ["--staged"],
        expect: { kind: "exit2", stderr: /safe\.directory|ownership/i },
      },
    ]
  : [];

defineCases("git states", gitStateCases);
defineCases("git refuses the repository", ownershipCases);
defineCases("git missing or broken", gitMissingCases);
