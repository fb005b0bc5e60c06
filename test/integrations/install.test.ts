// The install paths of the README, from this repository alone (no registry release), offline:
// - the packed tarball and the git URL (`git+file://<bare clone>#<tag>`) installed as a dev
//   dependency of a fresh project, whose bin then lints and whose `init --hooks` refuses a commit;
// - a clone installed globally (`npm ci --omit=dev && npm install -g .`), which needs no dev
//   dependency to build, and the pre-commit framework's remote hook where `pre-commit` is on PATH;
// - the GitHub Action's shell steps, run as the runner runs them, from a checkout of the action.
//
// Offline means no registry at all. A fresh project's lockfile pins the dependency tree this
// repository's package-lock.json pins (the runtime part of it), so npm needs only the tarballs by
// integrity, which `npm ci` of this repository put in the machine's npm cache (`npm config get
// cache`); npm's own resolution of a new dependency would need registry metadata instead. The
// repository under test is a snapshot of the work tree (tracked and untracked, not ignored), so the
// test sees uncommitted changes too. Everything is installed once, in beforeAll.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { REPO_ROOT } from "../helpers/cli.js";

const SLOW = { timeout: 300_000 };
const TAG = "v9.9.9-test";

let scratch = "";
let env: NodeJS.ProcessEnv = {};
let bare = "";
let tarball = "";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cwd: string, command: string, args: string[], extra: NodeJS.ProcessEnv = {}, input?: string): Run {
  const result = spawnSync(command, args, { cwd, env: { ...env, ...extra }, encoding: "utf8", timeout: 240_000, ...(input !== undefined ? { input } : {}) });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function ok(cwd: string, command: string, args: string[], extra: NodeJS.ProcessEnv = {}): string {
  const result = run(cwd, command, args, extra);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function folderOf(command: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return dir;
    } catch {
      // not here
    }
  }
  return null;
}

/** The work tree as a fresh repository with one commit tagged TAG, and a bare clone of it (the "remote"). */
function snapshotRepository(): string {
  const source = join(scratch, "source");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\0")
    .filter((file) => file !== "" && existsSync(join(REPO_ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(source, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(source, file), { verbatimSymlinks: true });
  }
  ok(source, "git", ["init", "-q"]);
  ok(source, "git", ["add", "-A"]);
  ok(source, "git", ["commit", "-q", "-m", "snapshot"]);
  ok(source, "git", ["tag", TAG]);
  const remote = join(scratch, "harness-lint.git");
  ok(scratch, "git", ["clone", "-q", "--bare", source, remote]);
  return remote;
}

/** A project that depends on harness-lint by `spec`, with a lockfile that pins what this repository's lockfile pins. */
function consumerProject(name: string, spec: string, resolved: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean } & Record<string, unknown>> };
  const ours = lock.packages[""] as { version: string; dependencies: Record<string, string>; bin: Record<string, string> };
  const packages: Record<string, unknown> = {
    "": { name, version: "1.0.0", devDependencies: { "harness-lint": spec } },
    "node_modules/harness-lint": { version: ours.version, resolved, dev: true, hasInstallScript: true, dependencies: ours.dependencies, bin: ours.bin },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== "" && entry.dev !== true) packages[path] = { ...entry, dev: true };
  }
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name, version: "1.0.0", private: true, devDependencies: { "harness-lint": spec } }, null, 2)}\n`);
  writeFileSync(join(dir, "package-lock.json"), `${JSON.stringify({ name, version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  ok(dir, "git", ["init", "-q"]);
  ok(dir, "npm", ["ci"]);
  return dir;
}

const RULES = "# Rules\n\n## Imports\n<!-- scope: global -->\nRead rows with `src/import.ts`.\n";

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "hl-install-"));
  const home = join(scratch, "home");
  mkdirSync(home);
  writeFileSync(join(home, ".gitconfig"), "[user]\n\tname = Install User\n\temail = install@example.com\n[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n");
  writeFileSync(join(home, ".npmrc"), "");
  const cache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
  const path = [dirname(process.execPath), folderOf("npm"), folderOf("git"), folderOf("pre-commit"), "/usr/local/bin", "/usr/bin", "/bin"];
  env = {
    PATH: [...new Set(path.filter((dir): dir is string => dir !== null))].join(delimiter),
    HOME: home,
    LANG: "C",
    NO_COLOR: "1",
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
    npm_config_userconfig: join(home, ".npmrc"),
    npm_config_globalconfig: join(home, "npmrc-global"),
    // The machine's cache (what `npm ci` of this repository filled), and no network.
    npm_config_cache: cache,
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_loglevel: "error",
  };
  bare = snapshotRepository();
  const packed = ok(join(scratch, "source"), "npm", ["pack", "--pack-destination", scratch]).trim().split("\n").pop()!;
  tarball = join(scratch, packed);
}, 300_000);

afterAll(() => {
  if (scratch !== "") removeRepo(scratch);
});

describe("npm pack", () => {
  it("ships the built CLI, the checks' pages, the example config, the schema and the licence, and no sources or tests", () => {
    const listing = ok(scratch, "tar", ["tzf", tarball])
      .split("\n")
      .map((line) => line.replace(/^package\//, ""));
    for (const file of [
      "dist/src/cli.js",
      "dist/src/main.js",
      "dist/rules/index.js",
      "docs/checks/stale-symbol.md",
      ".harnessrc.example.yml",
      "harnessrc.schema.json",
      "LICENSE",
      "README.md",
      "CHANGELOG.md",
    ]) {
      expect(listing).toContain(file);
    }
    expect(listing.filter((file) => file.startsWith("src/") || file.startsWith("test/") || file.startsWith("fixtures/"))).toEqual([]);
    // Packed from a snapshot without dev dependencies, the build made no bundle (rolldown is one):
    // the installs below then run dist/src, the path a pre-commit framework install takes. A
    // release packed after `npm ci` ships dist/bundle too (package.json "files").
    expect(listing.filter((file) => file.startsWith("dist/bundle/"))).toEqual([]);
  });

  it("npm publish --dry-run is clean", () => {
    const published = run(join(scratch, "source"), "npm", ["publish", "--dry-run", "--ignore-scripts"], { npm_config_loglevel: "warn" });
    expect(published.code).toBe(0);
    // The one warning a dry run prints on a machine with no npm login is about the machine.
    const warnings = published.stderr.split("\n").filter((line) => /npm warn/i.test(line) && !/requires you to be logged in/.test(line));
    expect(warnings).toEqual([]);
  });
});

describe.each([
  ["the packed tarball", () => ({ spec: `file:${tarball}`, resolved: `file:${tarball}` })],
  [`the git URL at ${TAG}`, () => ({ spec: `git+file://${bare}#${TAG}`, resolved: `git+file://${bare}#${ok(bare, "git", ["rev-parse", `${TAG}^{commit}`]).trim()}` })],
])("npm install -D %s", (label, source) => {
  let project = "";
  beforeAll(() => {
    const { spec, resolved } = source();
    project = consumerProject(label.includes("git") ? "from-git" : "from-tarball", spec, resolved);
  }, 300_000);

  it("puts a working bin in node_modules/.bin", SLOW, () => {
    expect(ok(project, "npx", ["--no-install", "harness-lint", "--version"]).trim()).toMatch(/^\d+\.\d+\.\d+/);
    writeFileSync(join(project, "AGENTS.md"), RULES);
    const linted = run(project, "npx", ["--no-install", "harness-lint", "--format", "json"]);
    expect(linted.code, linted.stderr).toBe(1);
    expect((JSON.parse(linted.stdout) as { findings: Array<{ check: string }> }).findings.map((f) => f.check)).toContain("stale-path");
  });

  it("installs hooks with init --hooks that refuse a commit breaking a rule through plain git", SLOW, () => {
    writeFileSync(join(project, "AGENTS.md"), RULES);
    ok(project, "npx", ["--no-install", "harness-lint", "init", "--hooks"]);
    ok(project, "git", ["add", "AGENTS.md"]);
    const refused = run(project, "git", ["commit", "-q", "-m", "Add rules"]);
    expect(refused.code).not.toBe(0);
    expect(`${refused.stdout}${refused.stderr}`).toContain("stale-path");
  });
});

describe("npm install -g from a clone", () => {
  it("builds with no dev dependency and installs a working bin", SLOW, () => {
    const clone = join(scratch, "clone");
    ok(scratch, "git", ["clone", "-q", "--branch", TAG, bare, clone]);
    ok(clone, "npm", ["ci", "--omit=dev"]);
    expect(existsSync(join(clone, "node_modules", "typescript"))).toBe(false);
    const prefix = join(scratch, "global");
    ok(clone, "npm", ["install", "-g", ".", "--prefix", prefix]);
    expect(ok(scratch, join(prefix, "bin", "harness-lint"), ["--version"]).trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("the pre-commit framework's remote hook", () => {
  const preCommit = folderOf("pre-commit");
  it.skipIf(preCommit === null)("installs from `repo:` this repository and runs the hook", SLOW, () => {
    const project = join(scratch, "pre-commit-project");
    mkdirSync(project);
    ok(project, "git", ["init", "-q"]);
    writeFileSync(join(project, ".pre-commit-config.yaml"), `repos:\n  - repo: ${bare}\n    rev: ${TAG}\n    hooks:\n      - id: harness-lint\n`);
    writeFileSync(join(project, "AGENTS.md"), RULES);
    ok(project, "git", ["add", "-A"]);
    const hooked = run(project, "pre-commit", ["run", "--all-files"], { PRE_COMMIT_HOME: join(scratch, "pre-commit-home") });
    expect(`${hooked.stdout}${hooked.stderr}`).toContain("stale-path");
    expect(hooked.code).toBe(1);
  });
});

describe("the GitHub Action", () => {
  interface Step {
    shell: string;
    env?: Record<string, string>;
    run: string;
  }
  const action = parseYaml(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: Step[] };
  };
  let actionPath = "";
  let workspace = "";
  let base = "";

  beforeAll(() => {
    // The runner checks the action out at the `uses:` ref.
    actionPath = join(scratch, "_actions", "harness-lint", TAG);
    mkdirSync(dirname(actionPath), { recursive: true });
    ok(scratch, "git", ["clone", "-q", "--branch", TAG, bare, actionPath]);
    workspace = join(scratch, "workspace");
    mkdirSync(workspace);
    ok(workspace, "git", ["init", "-q"]);
    mkdirSync(join(workspace, "src"));
    writeFileSync(join(workspace, "src", "import.ts"), "export const x = 1;\n");
    writeFileSync(join(workspace, "AGENTS.md"), RULES);
    ok(workspace, "git", ["add", "-A"]);
    ok(workspace, "git", ["commit", "-q", "-m", "Start"]);
    base = ok(workspace, "git", ["rev-parse", "HEAD"]).trim();
    // A pull request that rewords the rule without a post-mortem, and deletes the file it names.
    writeFileSync(join(workspace, "AGENTS.md"), RULES.replace("Read rows", "Load rows"));
    ok(workspace, "git", ["rm", "-q", "src/import.ts"]);
    ok(workspace, "git", ["commit", "-q", "-am", "Reword the import rule"]);
  }, 300_000);

  /** Runs the action's steps in order, as the runner does (`bash --noprofile --norc -eo pipefail`), with the inputs given. */
  function runAction(inputs: Record<string, string>, event: string): { code: number; output: string } {
    const values = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, inputs[name] ?? (spec.default?.includes("${{") ? "" : (spec.default ?? ""))]));
    const expression = (text: string) =>
      text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, name: string) => {
        if (name === "github.action_path") return actionPath;
        const input = /^inputs\.([\w-]+)$/.exec(name);
        if (input) return values[input[1]!] ?? "";
        throw new Error(`the test does not know the expression ${name}`);
      });
    let output = "";
    for (const step of action.runs.steps) {
      expect(step.shell).toBe("bash");
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, expression(String(value))]));
      const script = join(scratch, "step.sh");
      writeFileSync(script, step.run);
      const result = run(workspace, "bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
        ...stepEnv,
        GITHUB_WORKSPACE: workspace,
        GITHUB_ACTION_PATH: actionPath,
        GITHUB_EVENT_NAME: event,
        GITHUB_ACTIONS: "true",
        CI: "true",
      });
      output += result.stdout + result.stderr;
      if (result.code !== 0) return { code: result.code, output };
    }
    return { code: 0, output };
  }

  it("is a composite action that runs harness-lint from its own checkout, never from a registry", () => {
    expect(action.runs.using).toBe("composite");
    const scripts = action.runs.steps.map((step) => step.run).join("\n");
    expect(scripts).not.toMatch(/harness-lint@|npx /);
    for (const step of action.runs.steps) expect(step.run).toMatch(/^set -euo pipefail$/m);
  });

  it("on a pull request, lints once: annotations on stdout, SARIF to the file, exit 1 for the unlinked change", SLOW, () => {
    const ran = runAction({ base }, "pull_request");
    expect(ran.code, ran.output).toBe(1);
    expect(ran.output).toMatch(/^::error file=AGENTS\.md,line=\d+.*stale-path/m);
    expect(ran.output).toMatch(/^::error file=AGENTS\.md.*unlinked-rule-change/m);
    const sarif = JSON.parse(readFileSync(join(workspace, "harness-lint.sarif"), "utf8")) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(sarif.runs[0]!.results.map((result) => result.ruleId).sort()).toEqual(expect.arrayContaining(["stale-path", "unlinked-rule-change"]));
    expect(readdirSync(join(actionPath, "node_modules"))).not.toContain("typescript");
  });

  it("on a push with no base (a new branch), says provenance is not checked and still lints", SLOW, () => {
    const ran = runAction({ base: "0000000000000000000000000000000000000000", "sarif-file": "push.sarif" }, "push");
    expect(ran.output).toMatch(/^::notice title=harness-lint::No base commit for this push/m);
    expect(ran.output).not.toContain("unlinked-rule-change");
    expect(ran.output).toContain("stale-path");
    expect(ran.code).toBe(1);
    expect(existsSync(join(workspace, "push.sarif"))).toBe(true);
  });
});

describe("npm run release", () => {
  it("turns Unreleased into the version, sets it everywhere users pin it, commits and tags", SLOW, () => {
    const source = join(scratch, "source");
    const previous = (JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as { version: string }).version;
    expect(ok(source, "npm", ["run", "--silent", "release", "--", "9.9.10", "--dry-run"])).toContain("would set");
    expect(ok(source, "git", ["tag", "--list", "v9.9.10"]).trim()).toBe("");
    ok(source, "npm", ["run", "--silent", "release", "--", "9.9.10"]);
    expect(ok(source, "git", ["tag", "--list", "v9.9.10"]).trim()).toBe("v9.9.10");
    expect(ok(source, "git", ["status", "--porcelain"]).trim()).toBe("");
    expect(ok(source, "git", ["log", "-1", "--format=%s"]).trim()).toBe("Release v9.9.10");
    const changelog = readFileSync(join(source, "CHANGELOG.md"), "utf8");
    expect(changelog).toMatch(/^## Unreleased\n\n## 9\.9\.10 \(\d{4}-\d{2}-\d{2}\)\n/m);
    expect((JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as { version: string }).version).toBe("9.9.10");
    expect((JSON.parse(readFileSync(join(source, "package-lock.json"), "utf8")) as { version: string }).version).toBe("9.9.10");
    expect(readFileSync(join(source, "README.md"), "utf8")).not.toContain(`v${previous}`);
    // A second release with nothing new under Unreleased is refused.
    const again = run(source, "npm", ["run", "--silent", "release", "--", "9.9.11"]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('no entries under "## Unreleased"');
  });
});
