// The ESLint habits of docs/conventions.md, through the real CLI in real repositories: file
// arguments, --stdin, -f/-o/-c, "did you mean", --print-config, cache control, paths relative to
// the current folder, a configuration per package, and init's short configuration.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, initRepo, removeRepo } from "../fixtures/lib/build-repo.mjs";
import { CLI, runCli, type JsonReport } from "./helpers/cli.js";

const PM =
  "---\nid: PM-1\ndate: 2026-11-01\nchanges: [CLAUDE.md#imports]\n---\n# PM\n## What happened\n## What the agent was working from\n## Where the layers failed\n## What changes\n## What we are not doing\n";

// Two packages with one stale path each, and a root rule with one: what each configuration keeps decides the report.
const FILES = {
  "src/a.ts": "export class AccountImporter {}\n",
  "CLAUDE.md": "## Imports\n<!-- scope: src/** -->\nUse `AccountImporter` from `src/gone.ts`.\n",
  "docs/postmortems/pm.md": PM,
  "packages/api/CLAUDE.md": "## Api\n<!-- scope: global -->\nSee `packages/api/gone.ts`.\n",
  "packages/api/.harnessrc.yml": "checks:\n  stale-path: warn\n  uncited-rule: off\n",
  "packages/web/CLAUDE.md": "## Web\n<!-- scope: global -->\nSee `packages/web/gone.ts` and `LegacyThing`.\n",
  "packages/web/package.json": '{ "name": "web", "harness-lint": { "checks": { "uncited-rule": "off" } } }\n',
  // A fixture's configuration, in a folder with no harness file: never read (it would be refused).
  "test/fixture/.harnessrc.yml": "trailer: Fixture\n",
  "test/fixture/notes.md": "not a harness file\n",
};

// The paths the rules name were tracked, then deleted: the evidence that makes a stale path an error.
const GONE = ["src/gone.ts", "packages/api/gone.ts", "packages/web/gone.ts"];

function repoWith(files: Record<string, string>): string {
  const repo: string = initRepo();
  commitStep(repo, { message: "initial", write: { ...files, ...Object.fromEntries(GONE.map((path) => [path, "export {};\n"])) } }, 0);
  commitStep(repo, { message: "remove the old modules", remove: GONE }, 1);
  return repo;
}

let dir = "";
beforeAll(() => {
  dir = repoWith(FILES);
});
afterAll(() => removeRepo(dir));

function json(args: string[], cwd = dir): JsonReport {
  const run = runCli(["--format", "json", ...args], cwd);
  if (run.code === 2) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as JsonReport;
}

const where = (report: JsonReport) => report.findings.map((f) => `${f.file}:${f.check}:${f.severity}`).sort();

describe("file arguments", () => {
  it("report only the named files and folders, counting only them", () => {
    const report = json(["packages/api", "CLAUDE.md"]);
    expect(new Set(report.findings.map((f) => f.file))).toEqual(new Set(["packages/api/CLAUDE.md", "CLAUDE.md"]));
    expect(report.summary.files).toBe(2);
    expect(json([]).findings.some((f) => f.file === "packages/web/CLAUDE.md")).toBe(true);
  });

  it("a missing path, or one with no harness file, is exit 2 with one line; a mistyped command is named", () => {
    for (const [args, text] of [
      [["nothere.md"], 'No such file or folder: "nothere.md"'],
      [["src"], '"src" holds no harness file or post-mortem'],
      [["tarce"], 'Did you mean the command "trace"?'],
    ] as const) {
      const run = runCli([...args], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(text);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("--stdin --stdin-filename", () => {
  function stdin(text: string, args: string[]) {
    const result = spawnSync(process.execPath, [CLI, "--format", "json", "--stdin", ...args], { cwd: dir, input: text, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it("lints the text as that file, instead of what the work tree holds, reporting only it", () => {
    const fixed = stdin("## Imports\n<!-- scope: src/** -->\nUse `AccountImporter` from `src/a.ts`.\n", ["--stdin-filename", "CLAUDE.md"]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((JSON.parse(fixed.stdout) as JsonReport).findings).toEqual([]);
    const broken = stdin("## New\n<!-- scope: src/** -->\nUse `src/missing.ts`.\n", ["--stdin-filename", ".claude/CLAUDE.md"]);
    const report = JSON.parse(broken.stdout) as JsonReport;
    expect(report.findings.map((f) => f.file)).toEqual(expect.arrayContaining([".claude/CLAUDE.md"]));
    expect(report.findings.every((f) => f.file === ".claude/CLAUDE.md")).toBe(true);
    expect(existsSync(join(dir, ".claude/CLAUDE.md"))).toBe(false);
  });

  it("needs a file name", () => {
    const run = stdin("x", []);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--stdin needs --stdin-filename");
  });
});

describe("-f, -o, -c", () => {
  it("-f repeats: one run prints annotations and writes SARIF; two formats on stdout are refused", () => {
    const out = mkdtempSync(join(tmpdir(), "hl-out-"));
    try {
      const run = runCli(["-f", "github", "-f", `sarif:${join(out, "r.sarif")}`], dir);
      expect(run.stdout).toMatch(/^::error file=CLAUDE\.md/m);
      const sarif = JSON.parse(readFileSync(join(out, "r.sarif"), "utf8")) as { runs: Array<{ results: unknown[] }> };
      expect(sarif.runs[0]!.results.length).toBe(run.stdout.trim().split("\n").length);
      const short = runCli(["-f", "json", "-o", join(out, "r.json")], dir);
      expect(short.stdout).toBe("");
      expect((JSON.parse(readFileSync(join(out, "r.json"), "utf8")) as JsonReport).version).toBe(1);
      const twice = runCli(["-f", "json", "-f", "github"], dir);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain("more than one --format writes to standard output");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("-c uses that file alone: package configurations are not read", () => {
    const report = json(["-c", "packages/api/.harnessrc.yml"]);
    // The api package's file now applies everywhere; the web package's key is not read.
    expect(where(report)).toContain("packages/web/CLAUDE.md:stale-path:warn");
    expect(report.findings.some((f) => f.check === "uncited-rule")).toBe(false);
  });
});

describe("did you mean", () => {
  it("names the option or check the user meant", () => {
    expect(runCli(["--formt", "json"], dir).stderr).toContain('Unknown option "--formt". Did you mean "--format"?');
    expect(runCli(["--no-cach"], dir).stderr).toContain('Did you mean "--no-cache"?');
    expect(runCli(["explain", "stale-symbl"], dir).stderr).toContain('Did you mean "stale-symbol"?');
  });
});

describe("a configuration per package", () => {
  it("the nearest configuration decides each file's severities; the root's decides the rest", () => {
    const findings = where(json([]));
    expect(findings).toContain("CLAUDE.md:stale-path:error");
    expect(findings).toContain("packages/api/CLAUDE.md:stale-path:warn");
    expect(findings).toContain("packages/web/CLAUDE.md:stale-path:error");
    expect(findings.filter((f) => f.startsWith("packages/") && f.includes("uncited-rule"))).toEqual([]);
  });

  it("--print-config PATH prints what that file is linted with", () => {
    const print = (path: string) => JSON.parse(runCli(["--print-config", path], dir).stdout) as { checks: Record<string, string>; trailer: string };
    expect(print("packages/api/CLAUDE.md").checks).toEqual({ "stale-path": "warn", "uncited-rule": "off" });
    expect(print("packages/web/CLAUDE.md").checks).toEqual({ "uncited-rule": "off" });
    expect(print("CLAUDE.md").checks).toEqual({});
    expect(print("CLAUDE.md").trailer).toBe("Post-Mortem");
  });

  it("a key that is about the whole repository is refused in a package, naming it", () => {
    const other = repoWith({ ...FILES, "packages/api/.harnessrc.yml": "trailer: Why\n" });
    try {
      const run = runCli([], other);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('packages/api/.harnessrc.yml: "trailer" applies to the whole repository');
    } finally {
      removeRepo(other);
    }
  });
});

describe("cache control", () => {
  it("--no-cache writes no cache; --cache-location DIR puts them there", () => {
    const other = repoWith(FILES);
    const location = mkdtempSync(join(tmpdir(), "hl-cache-"));
    try {
      const cacheDir = join(other, ".git", "harness-lint");
      expect(runCli(["--no-cache"], other).code).toBe(1);
      expect(existsSync(cacheDir)).toBe(false);
      expect(runCli(["--cache-location", location], other).code).toBe(1);
      expect(existsSync(cacheDir)).toBe(false);
      const [folder] = readdirSync(location);
      expect(readdirSync(join(location, folder!))).toContain("run-v1.json");
      // The stored result answers the next run the same.
      expect(runCli(["--cache-location", location, "-f", "json"], other).stdout).toBe(runCli(["--no-cache", "-f", "json"], other).stdout);
    } finally {
      removeRepo(other);
      rmSync(location, { recursive: true, force: true });
    }
  });
});

describe("stylish paths", () => {
  it("are relative to the folder the command runs in, as ESLint prints them", () => {
    const run = runCli([], join(dir, "packages"));
    expect(run.stdout).toContain("../CLAUDE.md:3:");
    expect(run.stdout).toMatch(/^api\/CLAUDE\.md$/m);
  });
});

describe("init", () => {
  it("writes a short configuration: the schema line and only what differs from the defaults", () => {
    const other = initRepo();
    try {
      commitStep(other, { message: "initial", write: { "CLAUDE.md": "## A\n" } });
      expect(runCli(["init"], other).code).toBe(0);
      const text = readFileSync(join(other, ".harnessrc.yml"), "utf8");
      expect(text.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=https:\/\/.*harnessrc\.schema\.json$/);
      // Nothing differs from the defaults yet: every line is a comment, and the run uses the defaults.
      expect(parseYaml(text)).toBeNull();
      const withFile = runCli(["--print-config", "CLAUDE.md"], other).stdout;
      rmSync(join(other, ".harnessrc.yml"));
      expect(withFile).toBe(runCli(["--print-config", "CLAUDE.md"], other).stdout);
      expect(text.split("\n").length).toBeLessThan(20);
    } finally {
      removeRepo(other);
    }
  });
});
