import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { buildFixtureRepo, commitStep, git, initRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { lintJson, runCli, type JsonFinding } from "../helpers/cli.js";
import { FIXTURES, lintScenario, type ScenarioResult } from "../helpers/fixtures.js";

// Stale means it was here (SPEC 5): the scenario's history renames and removes some names after
// CLAUDE.md named them (errors, naming the commit), and CLAUDE.md also names things this
// repository never had, each a false alarm seen on a real repository (quiet), or one letter from
// a real name (an unknown-name warning with "did you mean").

const SCENARIO = "checks/evidence";

function on(findings: JsonFinding[], mention: string): JsonFinding | undefined {
  return findings.find((f) => f.mention === mention);
}

/** The scenario built once and linted once (a full clone, cold): the tests only read the repository and that run. */
let built: Promise<{ dir: string; result: ScenarioResult }> | undefined;
function scenario(): Promise<{ dir: string; result: ScenarioResult }> {
  built ??= (async () => {
    const dir: string = await buildFixtureRepo(join(FIXTURES, SCENARIO));
    return { dir, result: lintScenario(SCENARIO, dir) };
  })();
  return built;
}
afterAll(async () => {
  if (built !== undefined) removeRepo((await built).dir);
});

describe("unknown-name, and stale names judged by history", () => {
  let result: ScenarioResult;
  beforeAll(async () => {
    result = (await scenario()).result;
  }, 60_000);

  it("fires exactly on the marked lines, and nowhere else", () => {
    expect(result.actual).toEqual(result.expected);
    expect(result.expected.filter((e) => e.endsWith("unknown-name"))).toHaveLength(2);
  });

  it("asks about a misspelt name, member or path as a warning with the one close name", () => {
    expect(on(result.findings, "runInTmpDir")).toMatchObject({
      check: "unknown-name",
      severity: "warn",
      message: "`runInTmpDir` is not declared anywhere, and never was; did you mean `runInTempDir`?",
    });
    expect(on(result.findings, "AccountImporter.imprtRows")?.message).toBe("`AccountImporter` has no member `imprtRows`, and never had; did you mean `AccountImporter.importRows`?");
  });

  it("names the evidence of a stale error: where and when the name was, and the commit", () => {
    const renamed = on(result.findings, "UserImporter")!;
    expect(renamed.severity).toBe("error");
    expect(renamed.message).toMatch(/^`UserImporter` no longer exists in the codebase: it was in `src\/importer\.ts` at [0-9a-f]{7}, when this rule was written; [0-9a-f]{7} (?:removed|deleted) it$/);
    expect(renamed.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(on(result.findings, "src/config.ts")?.message).toMatch(
      /^`src\/config\.ts` does not exist: it was tracked at [0-9a-f]{7}, when this rule was written; [0-9a-f]{7} (?:deleted it|moved it to `[^`]+`)$/,
    );
  });

  it("says a path in another letter case is there for some readers only, as a warning", () => {
    expect(on(result.findings, ".github/PULL_REQUEST_TEMPLATE.md")).toMatchObject({
      check: "stale-path",
      severity: "warn",
      message: "`.github/PULL_REQUEST_TEMPLATE.md` exists as `.github/pull_request_template.md`: found on macOS and Windows and by GitHub, not on Linux",
    });
  });

  it("keeps quiet about names the repository never had", () => {
    for (const mention of [
      "CLOUDFLARE_CLIENT_ID",
      "comment_on_github_issue",
      "appendFetchMetadata",
      "worker-metafiles/",
      "src/user/*",
      "NewClass",
      "pAI",
      ".trpc.tsx",
      "SessionStoreV2",
      "Widgets",
      "xunInTempDir",
      "runTemp",
    ]) {
      expect(on(result.findings, mention), mention).toBeUndefined();
    }
  });
});

describe("where history is missing, absence decides, and the run says so once", () => {
  let full: string;
  let shallow: string;
  beforeAll(async () => {
    // A clone takes the commits, not the caches the scenario's run left in .git.
    full = (await scenario()).dir;
    shallow = mkdtempSync(join(tmpdir(), "hl-shallow-"));
    rmSync(shallow, { recursive: true });
    git(tmpdir(), ["clone", "-q", "--depth", "1", `file://${full}`, shallow]);
  }, 60_000);
  afterAll(() => removeRepo(shallow));

  it("a shallow clone: one line on stderr, and names without evidence are stale by absence", () => {
    const { report, stderr } = lintJson(shallow);
    const lines = stderr.split("\n").filter((line) => line.includes("shallow clone"));
    expect(lines).toHaveLength(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    const typo = on(report.findings, "runInTmpDir");
    expect(typo?.check).toBe("stale-symbol");
    expect(typo?.commit).toBeUndefined();
    expect(report.findings.filter((f) => f.check === "unknown-name")).toEqual([]);
  }, 60_000);

  it("no git at all: one line on stderr, judged by absence", () => {
    const plain = mkdtempSync(join(tmpdir(), "hl-nogit-evidence-"));
    try {
      writeFileSync(join(plain, "CLAUDE.md"), "## Code\n<!-- scope: src/** -->\nUse `GoneWithoutGit`.\n");
      const run = runCli(["--format", "json"], plain);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe("harness-lint: not a git repository: stale names are judged by absence, without history\n");
      expect(runCli(["--format", "json"], plain, { HARNESS_LINT_NO_RUN_CACHE: "1" }).stderr.split("\n").filter(Boolean)).toHaveLength(1);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  }, 60_000);

  it("a full clone says nothing about history", async () => {
    expect((await scenario()).result.stderr).toBe("");
  }, 60_000);
});

describe("one report per file: a harness file symlinked inside the repository is read once", () => {
  let dir: string;
  beforeAll(() => {
    dir = initRepo("hl-symlink-once-");
    commitStep(dir, {
      message: "initial",
      write: {
        "src/a.ts": "export class GoneSinceTheRule {}\nexport class Kept {}\n",
        "AGENTS.md": "## Code\n<!-- scope: src/** -->\nUse `GoneSinceTheRule` and `Kept`.\n",
        "docs/postmortems/2026-10-01-x.md": "---\nid: PM-0001\ndate: 2026-10-01\nchanges:\n  - CLAUDE.md#code\n---\n# X\n",
      },
    });
    symlinkSync("AGENTS.md", join(dir, "CLAUDE.md"));
    mkdirSync(join(dir, ".github"));
    symlinkSync("../AGENTS.md", join(dir, ".github", "copilot-instructions.md"));
    commitStep(dir, { message: "links", write: { "src/a.ts": "export class Kept {}\n" } }, 1);
  }, 60_000);
  afterAll(() => removeRepo(dir));

  it("reports a stale name once, at the target, and a post-mortem may cite the link's name", () => {
    const { report } = lintJson(dir);
    const stale = report.findings.filter((f) => f.check === "stale-symbol");
    expect(stale.map((f) => `${f.file}:${f.line}:${f.mention}`)).toEqual(["AGENTS.md:3:GoneSinceTheRule"]);
    expect(report.findings.filter((f) => f.file === "CLAUDE.md" || f.file === ".github/copilot-instructions.md")).toEqual([]);
    expect(report.findings.filter((f) => f.check === "dangling-citation")).toEqual([]);
    expect(report.findings.filter((f) => f.check === "uncited-rule" && f.item === "AGENTS.md#code")).toEqual([]);
  }, 60_000);
});
