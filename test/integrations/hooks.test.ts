// End to end, as a user meets it: hooks installed by `harness-lint init --hooks`, by husky, by
// lefthook and by hand from the README refuse a real `git commit` that breaks a rule, and let the
// one that links its post-mortem through. Real git and the real hook managers (husky and lefthook
// from this repository's node_modules); harness-lint is linked into the temporary repository's
// node_modules the way `npm install` puts it there, and the hooks find it with
// `npx --no-install`, offline. The pre-commit framework is Python and no dependency of this
// repository: its hook entries (the README's and .pre-commit-hooks.yaml's) are run the way the
// framework runs them, and the real framework is used too where `pre-commit` is on PATH.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, initRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { CLI, REPO_ROOT } from "../helpers/cli.js";

const SLOW = { timeout: 600_000 };

// --- the README's snippets, so the documentation and these tests cannot drift apart ------------

/** Each fenced block of the README's hook section, keyed by the file named just before it ("`lefthook.yml`:"). */
function readmeSnippets(): Map<string, string> {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## As a pre-commit hook\n");
  if (start < 0) throw new Error('README.md has no "## As a pre-commit hook" section');
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const snippets = new Map<string, string>();
  for (const match of section.matchAll(/^( *)```\w*\n([\s\S]*?)^\1```$/gm)) {
    const before = section.slice(0, match.index).trimEnd().split("\n").pop() ?? "";
    const file = /`([^`\s]+)`:$/.exec(before)?.[1];
    if (file === undefined) continue;
    const indent = match[1]!.length;
    snippets.set(
      file,
      match[2]!
        .split("\n")
        .map((line) => line.slice(indent))
        .join("\n"),
    );
  }
  return snippets;
}

const SNIPPETS = readmeSnippets();
function snippet(file: string): string {
  const text = SNIPPETS.get(file);
  if (text === undefined) throw new Error(`README.md's hook section has no snippet for ${file} (found: ${[...SNIPPETS.keys()].join(", ")})`);
  return text;
}

// --- a user's machine: a clean HOME, no npm or git configuration, no network ---------------------

const scratch: string[] = [];
let home = "";
let env: NodeJS.ProcessEnv = {};

/** The folder on PATH that holds `command`, if any. */
function folderOf(command: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return dir;
    } catch {
      // not in this folder
    }
  }
  return null;
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  home = mkdtempSync(join(tmpdir(), "hl-home-"));
  scratch.push(home);
  writeFileSync(join(home, ".gitconfig"), "[user]\n\tname = Hook User\n\temail = hooks@example.com\n[commit]\n\tgpgsign = false\n");
  writeFileSync(join(home, ".npmrc"), "");
  writeFileSync(join(home, "npmrc-global"), "");
  const path = [dirname(process.execPath), folderOf("npx"), folderOf("git"), "/usr/local/bin", "/usr/bin", "/bin"].filter((dir): dir is string => dir !== null);
  // Built from nothing rather than from process.env: no npm_* variables of an outer `npm test`,
  // no GIT_DIR of an outer hook, no HUSKY=0 or LEFTHOOK=0, no ~/.npmrc and no ~/.gitconfig.
  env = {
    PATH: [...new Set(path)].join(delimiter),
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    LANG: "C",
    NO_COLOR: "1",
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
    npm_config_userconfig: join(home, ".npmrc"),
    npm_config_globalconfig: join(home, "npmrc-global"),
    npm_config_cache: join(home, ".npm"),
    // Nothing may come from the network: offline, and a registry where nothing listens.
    npm_config_offline: "true",
    npm_config_registry: "http://127.0.0.1:9/",
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
  };
});

afterAll(() => {
  for (const dir of scratch.splice(0)) removeRepo(dir);
});

interface Run {
  code: number;
  output: string;
}

function run(dir: string, command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(command, args, { cwd: dir, env: { ...env, ...extraEnv }, encoding: "utf8", timeout: 60_000 });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

function git(dir: string, args: string[]): string {
  const result = run(dir, "git", args);
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} exited ${result.code}: ${result.output}`);
  return result.output;
}

const head = (dir: string): string => git(dir, ["rev-parse", "HEAD"]).trim();
const isExecutable = (path: string): boolean => (statSync(path).mode & 0o111) !== 0;

// --- the project under test ----------------------------------------------------------------------

const CLAUDE = (path: string) => `## Imports\n<!-- scope: src/** -->\nRead rows with \`importRows\` from \`${path}\`.\n`;
/** The rule reworded as well as pointed at the new path: a real change, which needs its post-mortem. */
const REWORDED = (path: string) => CLAUDE(path).replace("Read rows", "Always read rows");

const PM = `---
id: PM-0001
date: 2026-11-01
title: The agent kept editing the old row importer
trigger: redo
pattern: literal-rule
changes:
  - CLAUDE.md#imports
---
# The agent kept editing the old row importer

## What happened
## What the agent was working from
## Where the layers failed
## What changes
## What we are not doing
`;

/**
 * A fresh repository with one commit (made before any hook exists): a rule in CLAUDE.md naming a
 * file, that file, and harness-lint installed in node_modules as npm would install it.
 */
function project(extra: Record<string, string> = {}, devDependencies: Record<string, string> = {}): string {
  const dir: string = initRepo("hl-hooks-");
  scratch.push(dir);
  const packageJson = { name: "demo", private: true, devDependencies: { "harness-lint": "0.1.0", ...devDependencies } };
  commitStep(dir, {
    message: "initial",
    write: {
      ".gitignore": "node_modules/\n",
      "package.json": `${JSON.stringify(packageJson, null, 2)}\n`,
      "CLAUDE.md": CLAUDE("src/import/rows.ts"),
      "src/import/rows.ts": "export function importRows(): void {}\n",
      ...extra,
    },
  });
  install(dir, "harness-lint", REPO_ROOT, { "harness-lint": "dist/src/cli.js" });
  return dir;
}

/** `node_modules/<name>` as a link to `from`, with its bins in node_modules/.bin (relative links, as npm makes them). */
function install(dir: string, name: string, from: string, bins: Record<string, string> = {}): void {
  mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
  symlinkSync(from, join(dir, "node_modules", name), "dir");
  for (const [bin, target] of Object.entries(bins)) symlinkSync(join("..", name, target), join(dir, "node_modules", ".bin", bin));
}

/** Commits with the hooks on, as `git commit` does; returns git's exit and everything the hooks printed. */
function commit(dir: string, message: string): Run & { moved: boolean } {
  const before = head(dir);
  const result = run(dir, "git", ["commit", "-m", message]);
  return { ...result, moved: head(dir) !== before };
}

/**
 * The staged change is refused by a hook, not by git: the same commit with --no-verify lands
 * (and is then undone, keeping the index).
 */
function refusedByHook(dir: string, message: string): string {
  const attempt = commit(dir, message);
  expect(attempt.code, attempt.output).not.toBe(0);
  expect(attempt.moved).toBe(false);
  const before = head(dir);
  git(dir, ["commit", "-q", "--no-verify", "-m", message]);
  expect(head(dir)).not.toBe(before);
  git(dir, ["reset", "-q", "--soft", "HEAD~1"]);
  expect(head(dir)).toBe(before);
  return attempt.output;
}

/**
 * The story every hook setup must tell: a staged rename that breaks a rule is refused by the
 * pre-commit hook; fixing and rewording the rule without naming a post-mortem is refused by the
 * commit-msg hook;
 * the same change with its post-mortem and a `Post-Mortem:` trailer lands.
 */
function refusedThenLinked(dir: string): { outputs: string[] } {
  const outputs: string[] = [];
  const start = head(dir);
  // `init` writes today as the adoption point (provenance.since), which exempts the rules that
  // were already there; this story is a team past adoption, where every rule change needs a link.
  rmSync(join(dir, ".harnessrc.yml"), { force: true });

  git(dir, ["mv", "src/import/rows.ts", "src/import/lines.ts"]);
  const broken = refusedByHook(dir, "Move the row importer");
  expect(broken).toMatch(/CLAUDE\.md:3:\d+ +error .*src\/import\/rows\.ts.*stale-path/);
  outputs.push(broken);

  // The rename alone would be mechanical (what --staged --fix writes): a reworded rule is not.
  writeFileSync(join(dir, "CLAUDE.md"), REWORDED("src/import/lines.ts"));
  git(dir, ["add", "CLAUDE.md"]);
  const unlinked = refusedByHook(dir, "Move the row importer");
  expect(unlinked).not.toContain("stale-path");
  expect(unlinked).toContain("without linking a post-mortem");
  expect(unlinked).toMatch(/modified +CLAUDE\.md#imports/);
  outputs.push(unlinked);

  mkdirSync(join(dir, "docs/postmortems"), { recursive: true });
  writeFileSync(join(dir, "docs/postmortems/2026-11-01-old-row-importer.md"), PM);
  git(dir, ["add", "docs/postmortems/2026-11-01-old-row-importer.md"]);
  const linked = commit(dir, "Move the row importer\n\nPost-Mortem: PM-0001");
  expect(linked.code, linked.output).toBe(0);
  expect(linked.moved).toBe(true);
  expect(git(dir, ["rev-parse", "HEAD~1"]).trim()).toBe(start);
  expect(git(dir, ["log", "-1", "--format=%(trailers:key=Post-Mortem,valueonly)"]).trim()).toBe("PM-0001");
  expect(git(dir, ["show", "--name-status", "--format=", "HEAD"])).toMatch(/^R\d+\tsrc\/import\/rows\.ts\tsrc\/import\/lines\.ts$/m);
  expect(git(dir, ["status", "--porcelain", "--", "src", "CLAUDE.md", "docs/postmortems/2026-11-01-old-row-importer.md"])).toBe("");
  outputs.push(linked.output);
  return { outputs };
}

// --- the tests -------------------------------------------------------------------------------------

describe("hooks, end to end with real git", SLOW, () => {
  it("npx --no-install finds harness-lint in the repository's node_modules/.bin, offline", () => {
    const dir = project();
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    const result = run(dir, "npx", ["--no-install", "harness-lint", "--version"]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(version);
    // The control: a bin that is not installed is not fetched (no network), it fails.
    expect(run(dir, "npx", ["--no-install", "harness-lint-not-installed", "--version"]).code).not.toBe(0);
  });

  // init writes exactly the README's plain git hooks, so this also tries the README's snippets.
  it("plain git: `npx harness-lint init --hooks` writes the README's hooks, and a commit is refused, then lands with its post-mortem", () => {
    const dir = project();
    const init = run(dir, "npx", ["--no-install", "harness-lint", "init", "--hooks"]);
    expect(init.code, init.output).toBe(0);
    expect(init.output).toContain("created .git/hooks/pre-commit");
    expect(init.output).toContain("created .git/hooks/commit-msg");
    for (const name of ["pre-commit", "commit-msg"]) {
      const path = join(dir, ".git/hooks", name);
      expect(readFileSync(path, "utf8")).toBe(snippet(`.git/hooks/${name}`));
      expect(isExecutable(path)).toBe(true);
    }
    refusedThenLinked(dir);
  });

  it("plain git: init extends an existing hook, keeping its lines and its verdict", () => {
    const dir = project();
    const hook = join(dir, ".git/hooks/pre-commit");
    // A team's own hook: refuses to commit anything under blocked/. Its last command decides.
    const old = "#!/bin/sh\necho old-line\n! git diff --cached --name-only | grep -q '^blocked/'\n";
    writeFileSync(hook, old, { mode: 0o755 });
    const init = run(dir, "npx", ["--no-install", "harness-lint", "init", "--hooks"]);
    expect(init.output).toContain("extended .git/hooks/pre-commit");
    const extended = readFileSync(hook, "utf8");
    expect(extended.startsWith(old)).toBe(true);
    expect(extended).toContain("npx --no-install harness-lint --staged");
    expect(isExecutable(hook)).toBe(true);

    // The old check still refuses: harness-lint passing must not hide its failure.
    mkdirSync(join(dir, "blocked"));
    writeFileSync(join(dir, "blocked/secret.txt"), "no\n");
    git(dir, ["add", "blocked/secret.txt"]);
    const blocked = refusedByHook(dir, "Add a blocked file");
    expect(blocked).toContain("old-line");
    git(dir, ["rm", "-q", "--cached", "blocked/secret.txt"]);

    // The old line runs, and harness-lint refuses what breaks a rule.
    git(dir, ["mv", "src/import/rows.ts", "src/import/lines.ts"]);
    const broken = refusedByHook(dir, "Move the row importer");
    expect(broken).toContain("old-line");
    expect(broken).toContain("stale-path");

    // A change that breaks nothing lands through both.
    git(dir, ["mv", "src/import/lines.ts", "src/import/rows.ts"]);
    writeFileSync(join(dir, "src/import/more.ts"), "export const more = 1;\n");
    git(dir, ["add", "src/import/more.ts"]);
    const clean = commit(dir, "Add more");
    expect(clean.code, clean.output).toBe(0);
    expect(clean.moved).toBe(true);
    expect(clean.output).toContain("old-line");
  });

  it("husky: after `npx husky init`, init --hooks writes .husky/ (not .husky/_), keeps the old line, and commits are judged", () => {
    const dir = project({}, { husky: "9.1.7" });
    install(dir, "husky", join(REPO_ROOT, "node_modules/husky"), { husky: "bin.js" });
    const husky = run(dir, "npx", ["--no-install", "husky", "init"]);
    expect(husky.code, husky.output).toBe(0);
    expect(git(dir, ["config", "core.hooksPath"]).trim()).toBe(".husky/_");
    expect(readFileSync(join(dir, ".husky/pre-commit"), "utf8")).toBe("npm test\n");
    // The user's own hook (a line that does not need `npm test` to pass here).
    writeFileSync(join(dir, ".husky/pre-commit"), "echo old-line\n");
    const owned = Object.fromEntries(readdirSync(join(dir, ".husky/_")).map((name) => [name, readFileSync(join(dir, ".husky/_", name), "utf8")]));

    const init = run(dir, "npx", ["--no-install", "harness-lint", "init", "--hooks"]);
    expect(init.code, init.output).toBe(0);
    expect(init.output).toContain("extended .husky/pre-commit");
    expect(init.output).toContain("created .husky/commit-msg");
    expect(readFileSync(join(dir, ".husky/pre-commit"), "utf8")).toBe(`echo old-line\n${snippet(".husky/pre-commit")}`);
    expect(readFileSync(join(dir, ".husky/commit-msg"), "utf8")).toBe(snippet(".husky/commit-msg"));
    // husky's own folder is untouched: it is regenerated on every install.
    const after = Object.fromEntries(readdirSync(join(dir, ".husky/_")).map((name) => [name, readFileSync(join(dir, ".husky/_", name), "utf8")]));
    expect(after).toEqual(owned);
    expect(existsSync(join(dir, ".git/hooks/pre-commit"))).toBe(false);

    const { outputs } = refusedThenLinked(dir);
    // The old line ran at every commit, before harness-lint.
    for (const output of outputs) expect(output).toContain("old-line");
  });

  it("lefthook: the README's lefthook.yml, installed by the real lefthook, refuses and then lets through", () => {
    const dir = project({ "lefthook.yml": snippet("lefthook.yml") }, { lefthook: "2.2.1" });
    const lefthook = join(REPO_ROOT, "node_modules/lefthook");
    // lefthook's binary is in a package per platform, found from lefthook's own folder.
    const platformPackage = `lefthook-${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
    const binary = createRequire(join(lefthook, "package.json")).resolve(`${platformPackage}/package.json`);
    install(dir, "lefthook", lefthook, { lefthook: "bin/index.js" });
    install(dir, platformPackage, dirname(binary));
    const installed = run(dir, join(dir, "node_modules/.bin/lefthook"), ["install"]);
    expect(installed.code, installed.output).toBe(0);
    for (const name of ["pre-commit", "commit-msg"]) {
      expect(readFileSync(join(dir, ".git/hooks", name), "utf8")).toContain(`call_lefthook run "${name}"`);
    }
    // init leaves lefthook's generated hooks alone: lefthook.yml is where harness-lint goes.
    const init = run(dir, "npx", ["--no-install", "harness-lint", "init", "--hooks"]);
    expect(init.code, init.output).toBe(0);
    expect(init.output).toMatch(/skipped \.git\/hooks\/pre-commit \(.*lefthook\.yml/);
    expect(readFileSync(join(dir, ".git/hooks/pre-commit"), "utf8")).not.toContain("harness-lint");

    const { outputs } = refusedThenLinked(dir);
    for (const output of outputs) expect(output).toContain("lefthook");
  });

  describe("pre-commit framework", () => {
    interface FrameworkHook {
      id: string;
      entry: string;
      args?: string[];
      pass_filenames?: boolean;
      always_run?: boolean;
      stages?: string[];
      language: string;
    }
    interface FrameworkConfig {
      default_install_hook_types?: string[];
      repos: { repo: string; hooks: FrameworkHook[] }[];
    }
    const manifest = parseYaml(readFileSync(join(REPO_ROOT, ".pre-commit-hooks.yaml"), "utf8")) as FrameworkHook[];
    const config = parseYaml(snippet(".pre-commit-config.yaml")) as FrameworkConfig;
    const local = config.repos.find((repo) => repo.repo === "local")?.hooks ?? [];
    const byId = (hooks: FrameworkHook[], id: string): FrameworkHook => {
      const found = hooks.find((entry) => entry.id === id);
      if (!found) throw new Error(`no pre-commit hook ${id} in ${hooks.map((entry) => entry.id).join(", ")}`);
      return found;
    };

    /**
     * The command line pre-commit runs for a hook: the entry split as a shell would, its args, then
     * the file names unless `pass_filenames: false` (for a commit-msg hook, the message file).
     * A `language: node` hook runs with its environment's bin folder first on PATH; a
     * `language: system` one with the PATH it was given.
     */
    function runHook(dir: string, entry: FrameworkHook, filenames: string[]): Run {
      const argv = [...entry.entry.trim().split(/\s+/), ...(entry.args ?? []), ...(entry.pass_filenames === false ? [] : filenames)];
      const path = entry.language === "node" ? `${join(dir, "node_modules/.bin")}${delimiter}${env.PATH}` : env.PATH;
      return run(dir, argv[0]!, argv.slice(1), { PATH: path });
    }

    it("the README's config runs harness-lint at both stages, under the ids of .pre-commit-hooks.yaml", () => {
      // Without commit-msg here, `pre-commit install` would set up only the pre-commit hook.
      expect(config.default_install_hook_types).toEqual(expect.arrayContaining(["pre-commit", "commit-msg"]));
      expect(local.map((entry) => entry.id).sort()).toEqual(manifest.map((entry) => entry.id).sort());
      expect(byId(local, "harness-lint")).toMatchObject({ language: "system", pass_filenames: false, always_run: true, stages: ["pre-commit"] });
      expect(byId(local, "harness-lint-commit-msg")).toMatchObject({ language: "system", always_run: true, stages: ["commit-msg"] });
      expect(byId(manifest, "harness-lint")).toMatchObject({ language: "node", pass_filenames: false, always_run: true, stages: ["pre-commit"] });
      expect(byId(manifest, "harness-lint-commit-msg")).toMatchObject({ language: "node", always_run: true, stages: ["commit-msg"] });
    });

    it("the hook entries (README and .pre-commit-hooks.yaml) refuse what breaks a rule or lacks its post-mortem, and pass the linked change", () => {
      const dir = project();
      const message = join(dir, ".git/COMMIT_EDITMSG");
      const staged = () => git(dir, ["diff", "--cached", "--name-only"]).trim().split("\n");
      const sources: [string, FrameworkHook[]][] = [
        ["README", local],
        [".pre-commit-hooks.yaml", manifest],
      ];

      git(dir, ["mv", "src/import/rows.ts", "src/import/lines.ts"]);
      for (const [source, hooks] of sources) {
        const broken = runHook(dir, byId(hooks, "harness-lint"), staged());
        expect(broken.code, `${source}: ${broken.output}`).toBe(1);
        expect(broken.output).toContain("stale-path");
      }

      writeFileSync(join(dir, "CLAUDE.md"), CLAUDE("src/import/lines.ts"));
      git(dir, ["add", "CLAUDE.md"]);
      writeFileSync(message, "Move the row importer\n");
      // Only the rename, as --staged --fix writes it: mechanical, no post-mortem needed.
      for (const [source, hooks] of sources) {
        const mechanical = runHook(dir, byId(hooks, "harness-lint-commit-msg"), [".git/COMMIT_EDITMSG"]);
        expect(mechanical.code, `${source}: ${mechanical.output}`).toBe(0);
      }
      writeFileSync(join(dir, "CLAUDE.md"), REWORDED("src/import/lines.ts"));
      git(dir, ["add", "CLAUDE.md"]);
      for (const [source, hooks] of sources) {
        const unlinked = runHook(dir, byId(hooks, "harness-lint-commit-msg"), [".git/COMMIT_EDITMSG"]);
        expect(unlinked.code, `${source}: ${unlinked.output}`).toBe(1);
        expect(unlinked.output).toMatch(/modified +CLAUDE\.md#imports/);
      }

      mkdirSync(join(dir, "docs/postmortems"), { recursive: true });
      writeFileSync(join(dir, "docs/postmortems/2026-11-01-old-row-importer.md"), PM);
      git(dir, ["add", "docs/postmortems"]);
      writeFileSync(message, "Move the row importer\n\nPost-Mortem: PM-0001\n");
      for (const [source, hooks] of sources) {
        const linked = runHook(dir, byId(hooks, "harness-lint-commit-msg"), [".git/COMMIT_EDITMSG"]);
        expect(linked.code, `${source}: ${linked.output}`).toBe(0);
      }
      // Both sources run the same command at the pre-commit stage: once is enough for the pass.
      const pre = runHook(dir, byId(local, "harness-lint"), staged());
      expect(pre.code, pre.output).toBe(0);
    });

    // The framework is Python and is not a dependency of this repository: where it is installed,
    // the README's config goes through the real thing too.
    const preCommit = folderOf("pre-commit");
    it.skipIf(preCommit === null)("the real pre-commit: validates the manifest, installs the README's config, and judges real commits", () => {
      const dir = project({ ".pre-commit-config.yaml": snippet(".pre-commit-config.yaml") });
      const bin = join(preCommit!, "pre-commit");
      const manifestRun = run(dir, bin, ["validate-manifest", join(REPO_ROOT, ".pre-commit-hooks.yaml")]);
      expect(manifestRun.code, manifestRun.output).toBe(0);
      const installed = run(dir, bin, ["install"]);
      expect(installed.code, installed.output).toBe(0);
      expect(installed.output).toContain(".git/hooks/pre-commit");
      expect(installed.output).toContain(".git/hooks/commit-msg");
      // init leaves the framework's generated hooks alone.
      const init = run(dir, "npx", ["--no-install", "harness-lint", "init", "--hooks"]);
      expect(init.output).toMatch(/skipped \.git\/hooks\/pre-commit \(.*\.pre-commit-config\.yaml/);
      const { outputs } = refusedThenLinked(dir);
      for (const output of outputs) expect(output).toMatch(/harness-lint/);
    });
  });
});
