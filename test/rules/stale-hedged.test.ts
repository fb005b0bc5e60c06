import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { buildFixtureRepo, commitStep, git, initRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { lintJson, runCli, type JsonFinding } from "../helpers/cli.js";
import { FIXTURES, lintScenario, runScenario, type ScenarioResult } from "../helpers/fixtures.js";

// Hedged mentions judged with history (SPEC 5, "Hedged mentions"): an example, a prohibition or
// a deprecation is no claim that a name exists, so its absence is quiet; but when history shows
// the name declared here and then renamed, the guard (or example) has lapsed, and it is an error
// that names the rename. The scenario's history renames, moves and removes names after CLAUDE.md
// named them; the first section must fire, the second stay quiet.

const SCENARIO = "checks/stale-hedged";

function on(findings: JsonFinding[], mention: string): JsonFinding[] {
  return findings.filter((f) => f.mention === mention);
}

/** The scenario built once, for the tests that only read it (linting it writes only caches in .git). */
let built: Promise<string> | undefined;
function scenarioRepo(): Promise<string> {
  built ??= buildFixtureRepo(join(FIXTURES, SCENARIO)) as Promise<string>;
  return built;
}
afterAll(async () => {
  if (built !== undefined) removeRepo(await built);
});

describe("hedged mentions: a lapsed guard is reported with its rename", () => {
  let result: ScenarioResult;
  let dir: string;
  /** Full commit ids by subject. */
  let commits: Map<string, string>;
  let findings: JsonFinding[];
  beforeAll(async () => {
    dir = await scenarioRepo();
    result = lintScenario(SCENARIO, dir);
    commits = new Map(
      (git(dir, ["log", "--format=%H %s"]) as string)
        .trim()
        .split("\n")
        .map((line) => [line.slice(41), line.slice(0, 40)]),
    );
    findings = result.report.findings;
  }, 120_000);

  const sha = (subject: string) => commits.get(subject)!;

  it("fires exactly on the marked lines, and nowhere else", () => {
    expect(result.actual).toEqual(result.expected);
    expect(result.expected).toHaveLength(8);
  });

  it("a prohibition of a renamed class: one error naming the successor and the renaming commit", () => {
    const rename = sha("refactor: rename UserImporter to AccountImporter");
    const [forbids, example, ...rest] = on(findings, "UserImporter");
    expect(rest).toEqual([]);
    expect(forbids).toMatchObject({
      check: "stale-symbol",
      severity: "error",
      line: 5,
      message: `the rule forbids \`UserImporter\`, which is \`AccountImporter\` since ${rename.slice(0, 7)}: the guard no longer covers the code`,
      commit: rename,
      suggestion: { replacement: "AccountImporter", commit: rename },
      item: "CLAUDE.md#lapsed-guards-the-name-was-renamed-under-the-rule",
    });
    expect(example).toMatchObject({
      line: 6,
      severity: "error",
      message: `the example \`UserImporter\` is \`AccountImporter\` since ${rename.slice(0, 7)}: the rule shows a name the code no longer has`,
    });
  });

  it("a name renamed twice is reported with what it is called now", () => {
    const [finding] = on(findings, "formatRow");
    expect(finding?.message).toBe(`the rule forbids \`formatRow\`, which is \`printRow\` since ${sha("refactor: formatRow becomes renderRow").slice(0, 7)}: the guard no longer covers the code`);
  });

  it("a renamed member, and a deprecated class renamed", () => {
    const later = sha("refactor: renderRow becomes printRow, loadRows becomes loadAll, CsvWriter becomes LegacyCsvWriter, padRow goes");
    expect(on(findings, "RowReader.loadRows")[0]?.message).toBe(
      `the rule forbids \`RowReader.loadRows\`, which is \`RowReader.loadAll\` since ${later.slice(0, 7)}: the guard no longer covers the code`,
    );
    const deprecated = on(findings, "CsvWriter");
    expect(deprecated).toHaveLength(1);
    expect(deprecated[0]?.message).toBe(`the rule warns off \`CsvWriter\`, which is \`LegacyCsvWriter\` since ${later.slice(0, 7)}: the warning no longer covers the code`);
  });

  it("a moved folder under a guard or a prohibition, and a moved example file, are stale-path errors naming the move", () => {
    const moved = sha("build: generated code moves to src/generated").slice(0, 7);
    expect(on(findings, "src/gen/")[0]).toMatchObject({
      check: "stale-path",
      severity: "error",
      message: `the rule guards \`src/gen/\`, which is \`src/generated/\` since ${moved}: the guard no longer covers the code`,
    });
    expect(on(findings, "src/gen/schema.ts")[0]?.message).toBe(`the rule forbids \`src/gen/schema.ts\`, which is \`src/generated/schema.ts\` since ${moved}: the guard no longer covers the code`);
    expect(on(findings, "test/data/rows.json")[0]?.message).toBe(
      `the example \`test/data/rows.json\` is \`test/fixtures/rows.json\` since ${sha("test: data becomes fixtures").slice(0, 7)}: the rule shows a path the code no longer has`,
    );
  });

  it("keeps quiet where the rule names the new name, calls the name former, or the name was removed or never here", () => {
    for (const mention of ["legacyParse", "padRow", "eval", "onRowParsed", "execSync", "scripts/seed.sh", "src/legacy/"]) expect(on(findings, mention), mention).toEqual([]);
    expect(findings.filter((f) => f.line > 14 && (f.check === "stale-symbol" || f.check === "stale-path"))).toEqual([]);
    // A rule line written after the rename names a name that was old then: no guard lapsed.
    expect(findings.filter((f) => f.file === "src/CLAUDE.md" && f.check.startsWith("stale"))).toEqual([]);
  });

  it("--fix writes the new names into the lapsed guards", () => {
    const run = runCli(["--fix-dry-run"], dir);
    expect(run.stdout).toContain("+- Never call `AccountImporter` directly; queue the rows instead.");
    expect(run.stdout).toContain("+- Never call `RowReader.loadAll()` in a loop.");
    expect(run.stdout).toContain("+- Never edit `src/generated/` by hand.");
    expect(run.stdout).not.toContain("legacyParse");
  }, 60_000);
});

describe("hedged mentions without history stay quiet", () => {
  let full: string;
  let shallow: string;
  beforeAll(async () => {
    // A clone takes the commits, not the caches the other tests' runs left in .git.
    full = await scenarioRepo();
    shallow = mkdtempSync(join(tmpdir(), "hl-shallow-hedged-"));
    rmSync(shallow, { recursive: true });
    git(tmpdir(), ["clone", "-q", "--depth", "1", `file://${full}`, shallow]);
  }, 120_000);
  afterAll(() => removeRepo(shallow));

  it("a shallow clone reports no lapsed guard; a guarded claim is judged by absence, said once", () => {
    const { report, stderr } = lintJson(shallow);
    const stale = report.findings.filter((f) => f.check === "stale-symbol" || f.check === "stale-path");
    expect(stale.map((f) => `${f.line}:${f.message}`)).toEqual(["10:directory `src/gen/` does not exist"]);
    expect(stderr.split("\n").filter((line) => line.includes("shallow clone"))).toHaveLength(1);
  }, 60_000);

  it("no git: a prohibition of a name the code lacks is quiet", () => {
    const plain = mkdtempSync(join(tmpdir(), "hl-nogit-hedged-"));
    try {
      writeFileSync(join(plain, "CLAUDE.md"), "## Code\n<!-- scope: src/** -->\n- Never call `UserImporter` directly.\n- For example `OrderImporter`.\n");
      const run = runCli(["--format", "json"], plain);
      expect(JSON.parse(run.stdout).findings.filter((f: JsonFinding) => f.check === "stale-symbol")).toEqual([]);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  }, 60_000);
});

/** The `git log` commands a run makes, from git's own trace: work is counted, never timed. */
function gitLogs(dir: string): string[] {
  const traceDir = mkdtempSync(join(tmpdir(), "hl-trace-hedged-"));
  try {
    const file = join(traceDir, "trace.txt");
    runCli(["--format", "json"], dir, { HARNESS_LINT_NO_RUN_CACHE: "1", GIT_TRACE: file });
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.includes("trace: built-in: git log"))
      .map((line) => line.slice(line.indexOf("built-in: git") + "built-in: ".length).trim());
  } finally {
    rmSync(traceDir, { recursive: true, force: true });
  }
}

/** A patch log over the history (`-p`, no pathspec), not of one rule file or one commit (`<sha>^!`). */
const isHistoryPatchLog = (command: string) => / -p /.test(command) && command.endsWith(" --") && !command.includes("^");

describe("hedged mentions cost only what their names need", () => {
  let dir: string;
  afterAll(() => removeRepo(dir));

  it("names the code never declared (a dependency's API, a builtin, a name never here) read no patch of the history", () => {
    dir = initRepo("hl-hedged-cost-");
    commitStep(dir, {
      message: "initial",
      write: {
        "package.json": '{ "name": "x" }\n',
        "src/view.ts": "export function render(html: string): string {\n  return html;\n}\n",
        "CLAUDE.md": "## Code\n<!-- scope: src/** -->\n- Never use `eval()` or `dangerouslySetInnerHTML`.\n- Avoid `onRowParsed` handlers.\n- Name views like `OrderView`.\n",
      },
    });
    for (let i = 0; i < 12; i++) commitStep(dir, { message: `work ${i}`, write: { [`src/f${i}.ts`]: `export const f${i} = ${i};\n` } }, i + 1);
    const logs = gitLogs(dir);
    expect(logs.filter(isHistoryPatchLog)).toEqual([]);
    expect(lintJson(dir).report.findings.filter((f) => f.check.startsWith("stale"))).toEqual([]);
  }, 60_000);

  it("renamed names: one drift pass for all of them, not one per name, and each renaming commit read alone", async () => {
    const repo = await buildFixtureRepo(join(FIXTURES, SCENARIO));
    try {
      const logs = gitLogs(repo);
      // Five hedged names reach the drift pass; it reads the history once (twice at most where a
      // replacement is followed a second time), then the three renaming commits one each.
      expect(logs.filter(isHistoryPatchLog).length).toBeLessThanOrEqual(2);
      expect(logs.filter((command) => / -p /.test(command) && command.includes("^")).length).toBeLessThanOrEqual(3);
    } finally {
      removeRepo(repo);
    }
  }, 120_000);
});

describe("a paragraph's soft line breaks keep a hedge with the span wrapped after it", () => {
  let result: ScenarioResult;
  beforeAll(async () => {
    result = await runScenario("checks/stale-wrapped");
  }, 120_000);

  it("fires on wrapped claims and a wrapped lapsed guard, and stays quiet on wrapped hedges of removed names", () => {
    expect(result.actual).toEqual(result.expected);
    expect(result.expected).toHaveLength(3);
    const guard = result.findings.find((f) => f.mention === "RowReader.loadRows");
    expect(guard?.message).toMatch(/^the rule forbids `RowReader\.loadRows`, which is `RowReader\.loadAll` since [0-9a-f]{7}/);
  });
});
