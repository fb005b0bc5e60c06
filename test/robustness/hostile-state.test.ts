// Wrong answers that a repository state, a .git or the user's input could cause (issue 13):
// warm runs that differ from cold ones under git's index flags, history parsed under another log
// encoding, dates that are not dates, prototype keys, failures a user causes that must be one line.
import { chmodSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic, ConcurrentChange } from "../../src/shared/atomic-write.js";
import { cleanup, commitStep, git, repo, runBounded, tempDir, RUN_LIMIT_MS, type BoundedRun } from "./support.js";

afterAll(cleanup);

function findings(run: BoundedRun): string[] {
  expect([0, 1], run.stderr).toContain(run.code);
  const report = JSON.parse(run.stdout) as { findings: Array<{ file: string; line: number; check: string; message: string }> };
  return report.findings.map((f) => `${f.file}:${f.line} ${f.check} ${f.message}`).sort();
}

/** A warm run (after a run that filled the caches) against a cold one (no cache folder). */
function expectWarmEqualsCold(dir: string, change: () => void): void {
  runBounded(["--format", "json"], dir);
  change();
  const warm = findings(runBounded(["--format", "json"], dir));
  rmSync(join(dir, ".git", "harness-lint"), { recursive: true, force: true });
  const cold = findings(runBounded(["--format", "json"], dir));
  expect(warm).toEqual(cold);
}

function oneLine(run: BoundedRun, pattern: RegExp): void {
  expect(run.signal, "hung").toBeNull();
  expect(run.code, run.stdout).toBe(2);
  expect(run.stderr.trimEnd().split("\n"), run.stderr).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/internal error/);
}

const RULE = "## Imports\n<!-- scope: src/** -->\nUse `AccountImporter` from `src/a.ts`.\n";

describe("warm equals cold under every git index flag and sparse setting", () => {
  const cases: Array<[string, (dir: string) => void, (dir: string) => void]> = [
    [
      "an edit to an --assume-unchanged rule file",
      (dir) => git(dir, ["update-index", "--assume-unchanged", "AGENTS.md"]),
      (dir) => writeFileSync(join(dir, "AGENTS.md"), "## Changed\n<!-- scope: src/** -->\nUse `GoneAfterEdit`.\n"),
    ],
    [
      "an edit to an --assume-unchanged code file",
      (dir) => git(dir, ["update-index", "--assume-unchanged", "src/a.ts"]),
      (dir) => writeFileSync(join(dir, "src", "a.ts"), "export class Renamed {}\n"),
    ],
    ["an edit to a --skip-worktree code file", (dir) => git(dir, ["update-index", "--skip-worktree", "src/a.ts"]), (dir) => writeFileSync(join(dir, "src", "a.ts"), "export class Renamed {}\n")],
    ["git sparse-checkout set, then disable", (dir) => git(dir, ["sparse-checkout", "set", "--no-cone", "/AGENTS.md", "/CLAUDE.md"]), (dir) => git(dir, ["sparse-checkout", "disable"])],
    ["git sparse-checkout set after a warm run", () => undefined, (dir) => git(dir, ["sparse-checkout", "set", "--no-cone", "/AGENTS.md", "/CLAUDE.md"])],
  ];
  for (const [name, setup, change] of cases) {
    it(
      name,
      () => {
        const dir = repo({ "CLAUDE.md": RULE, "src/lib/b.ts": "export const helper = 1;\n" });
        setup(dir);
        expectWarmEqualsCold(dir, () => change(dir));
      },
      4 * RUN_LIMIT_MS,
    );
  }
});

describe("history reads do not depend on the repository's output settings", () => {
  it(
    "i18n.logOutputEncoding, color.ui=always and diff.noprefix in .git/config change nothing",
    () => {
      const dir = repo({ "CLAUDE.md": RULE });
      commitStep(dir, { message: "Règle changée: café naïve ✓", write: { "CLAUDE.md": RULE.replace("Imports", "Imports changed") } }, 1);
      const plain = runBounded(["trace", "--format", "json"], dir);
      for (const [key, value] of [
        ["i18n.logOutputEncoding", "ISO-8859-1"],
        ["i18n.commitEncoding", "ISO-8859-1"],
        ["color.ui", "always"],
        ["color.diff", "always"],
        ["diff.noprefix", "true"],
        ["log.showSignature", "true"],
        ["core.abbrev", "4"],
      ] as const) {
        git(dir, ["config", key, value]);
      }
      const hostile = runBounded(["trace", "--format", "json"], dir);
      expect(hostile.code, hostile.stderr).toBe(plain.code);
      expect(hostile.stdout).toBe(plain.stdout);
      expect(plain.stdout).toContain("café naïve ✓");
    },
    4 * RUN_LIMIT_MS,
  );
});

describe("dates are real dates", () => {
  for (const date of ["2026-02-31", "0042-03-04", "2026-13-01", "1969-12-31"]) {
    it(`post-mortem date ${date} is reported, not accepted`, () => {
      const dir = repo({ "docs/postmortems/pm.md": `---\ndate: ${date}\nchanges: [AGENTS.md#healthy]\n---\n# PM\n` });
      const run = runBounded(["--format", "json"], dir);
      expect(findings(run).some((f) => f.startsWith("docs/postmortems/pm.md") && /date/i.test(f))).toBe(true);
    });
    it(`provenance.since ${date}, trace --since ${date} and review --since ${date}: one line, exit 2`, () => {
      const dir = repo({ ".harnessrc.json": JSON.stringify({ provenance: { since: date } }) });
      oneLine(runBounded([], dir), /provenance\.since/);
      rmSync(join(dir, ".harnessrc.json"));
      oneLine(runBounded(["trace", "--since", date], dir), /date/);
      oneLine(runBounded(["review", "--since", date], dir), /date/);
    });
  }
});

describe("failures a user or a .git can cause are one line, exit 2", () => {
  const cases: Array<[string, () => { dir: string; args: string[]; env?: Record<string, string>; uid?: number }, RegExp]> = [
    ["checks: {__proto__: ...} in the config (JSON)", () => ({ dir: repo({ ".harnessrc.json": '{"checks": {"__proto__": {"stale-path": "off"}}}' }), args: [] }), /__proto__/],
    ["__proto__ deep in a YAML config", () => ({ dir: repo({ ".harnessrc.yml": "harness:\n  __proto__:\n    include: []\n" }), args: [] }), /__proto__/],
    ["a 100 KB glob in the config", () => ({ dir: repo({ ".harnessrc.json": JSON.stringify({ harness: { include: [`${"*a".repeat(50_000)}`] } }) }), args: [] }), /glob/],
    ["review --since 99999999999999999999d", () => ({ dir: repo(), args: ["review", "--since", "99999999999999999999d"] }), /since/],
    ["review --since 999999w", () => ({ dir: repo(), args: ["review", "--since", "999999w"] }), /since/],
    [
      "a missing middle commit: trace",
      () => {
        const dir = repo();
        commitStep(dir, { message: "two", write: { "CLAUDE.md": RULE } }, 1);
        commitStep(dir, { message: "three", write: { "CLAUDE.md": `${RULE}More.\n` } }, 2);
        const middle = git(dir, ["rev-parse", "HEAD~1"]).trim();
        unlinkSync(join(dir, ".git", "objects", middle.slice(0, 2), middle.slice(2)));
        return { dir, args: ["trace"] };
      },
      /damaged/,
    ],
    [
      "a missing HEAD commit: commit-msg",
      () => {
        const dir = repo();
        const head = git(dir, ["rev-parse", "HEAD"]).trim();
        unlinkSync(join(dir, ".git", "objects", head.slice(0, 2), head.slice(2)));
        writeFileSync(join(dir, ".git", "MSG"), "x\n");
        return { dir, args: ["commit-msg", join(dir, ".git", "MSG")] };
      },
      /damaged/,
    ],
    [
      "--fix where the rule file cannot be written (another user's repository)",
      () => {
        const dir = repo({ "src/b.ts": "export class OldName {}\n" });
        // The rule is written while OldName exists, then the code is renamed under it.
        commitStep(dir, { message: "rule", write: { "CLAUDE.md": "## Uses\n<!-- scope: src/** -->\nCall `OldName`.\n" } }, 1);
        commitStep(dir, { message: "rename", write: { "src/b.ts": "export class NewName {}\n" } }, 2);
        chmodSync(dir, 0o755);
        // Run as nobody, who may read this root-owned repository but not write it.
        return { dir, args: ["--drift", "--fix"], uid: 65534, env: { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "safe.directory", GIT_CONFIG_VALUE_0: "*", HOME: tempDir("hl-home-") } };
      },
      /cannot write CLAUDE\.md: permission denied/,
    ],
  ];
  for (const [name, setup, pattern] of cases) {
    const register = name.includes("another user") && process.getuid?.() !== 0 ? it.skip : it;
    register(
      name,
      () => {
        const { dir, args, env, uid } = setup();
        oneLine(runBounded(args, dir, { ...(env ? { env } : {}), ...(uid !== undefined ? { uid } : {}) }), pattern);
      },
      2 * RUN_LIMIT_MS,
    );
  }
});

describe("--fix never loses a concurrent edit", () => {
  it("the rewrite is refused when the file changed after it was read", async () => {
    const file = join(tempDir("hl-fix-"), "CLAUDE.md");
    writeFileSync(file, "as read\n");
    // Another process appends between the read and the rename.
    writeFileSync(file, "as read\nappended by someone else\n");
    await expect(writeFileAtomic(file, "rewritten\n", { unchangedFrom: "as read\n" })).rejects.toBeInstanceOf(ConcurrentChange);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(file, "utf8")).toBe("as read\nappended by someone else\n");
  });
});

describe("globs a commit carries cannot stall a run", () => {
  const LONG = `src/x/${"a".repeat(200)}`;
  const stars = `src/x/${"*a".repeat(12)}b`;
  const cases: Array<[string, Record<string, string>]> = [
    ["a Cursor globs: with 12 stars and one long file name", { ".cursor/rules/r.mdc": `---\nglobs: ${stars}\n---\nUse \`x\`.\n` }],
    ["the same glob in a rule's code span", { "CLAUDE.md": `## R\n<!-- scope: src/** -->\nSee \`${stars}\`.\n` }],
    ["an inline scope of brace bombs", { "CLAUDE.md": `## R\n<!-- scope: ${"{a,b}".repeat(30)}/** -->\nText.\n` }],
    ["applyTo with a repetition extglob", { ".github/instructions/x.instructions.md": `---\napplyTo: "src/+(a|aa)+(a|aa)+(a|aa)b"\n---\nText.\n` }],
    ["a 100 KB glob in a rule", { "CLAUDE.md": `## R\n<!-- scope: src/${"*a".repeat(50_000)} -->\nText.\n` }],
  ];
  for (const [name, files] of cases) {
    it(
      name,
      () => {
        const dir = repo({ ...files, [LONG]: "x\n", [`${LONG}c`]: "x\n" });
        const run = runBounded(["--format", "json"], dir);
        expect(run.signal, "hung").toBeNull();
        findings(run);
      },
      2 * RUN_LIMIT_MS,
    );
  }
});
