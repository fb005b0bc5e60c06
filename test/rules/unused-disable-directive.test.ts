import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { buildFixtureRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { FIXTURES, lintScenario, type ScenarioResult } from "../helpers/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { parseDirectives, suppressionRanges } from "../../src/harness/directives.js";

const SCENARIO = "checks/unused-disable-directive";

/**
 * The scenario built once and linted once: JSON on standard output for the markers, and SARIF
 * written outside the repository by the same run (`--format sarif:FILE`).
 */
let built: Promise<{ dir: string; out: string; result: ScenarioResult }> | undefined;
function scenario(): Promise<{ dir: string; out: string; result: ScenarioResult }> {
  built ??= (async () => {
    const dir: string = await buildFixtureRepo(join(FIXTURES, SCENARIO));
    const out = mkdtempSync(join(tmpdir(), "hl-sarif-"));
    return { dir, out, result: lintScenario(SCENARIO, dir, ["--format", `sarif:${join(out, "report.sarif")}`]) };
  })();
  return built;
}
afterAll(async () => {
  if (built === undefined) return;
  const { dir, out } = await built;
  removeRepo(dir);
  rmSync(out, { recursive: true, force: true });
});

describe("inline directives", () => {
  it("parse as markdownlint writes them, with a reason after --", () => {
    const [a, b, c] = parseDirectives("<!-- harness-lint-disable-next-line stale-symbol, stale-path -- vendor names -->\nx\n<!-- harness-lint-disable -->\n<!-- harness-lint-enable stale-path -->\n");
    expect(a).toMatchObject({ kind: "disable-next-line", checks: ["stale-symbol", "stale-path"], reason: "vendor names" });
    expect(b).toMatchObject({ kind: "disable", checks: null });
    expect(c).toMatchObject({ kind: "enable", checks: ["stale-path"] });
    // A disable of two checks, then an enable of one: the other stays off.
    const ranges = suppressionRanges(parseDirectives("<!-- harness-lint-disable a b -->\n1\n<!-- harness-lint-enable a -->\n2\n"));
    expect(ranges.map((r) => [r.checks, r.from, r.to])).toEqual([
      [["a", "b"], 1, 3],
      [["b"], 3, Number.MAX_SAFE_INTEGER],
    ]);
  });
});

describe("unused-disable-directive", () => {
  it("suppresses what the directives name and reports the ones that suppress nothing (checks/unused-disable-directive)", async () => {
    const { expected, actual, findings } = (await scenario()).result;
    expect(actual).toEqual(expected);
    expect(findings.find((f) => f.message.includes("no-such-check"))?.message).toContain("does not have");
    expect(findings.filter((f) => f.check === "unused-disable-directive").every((f) => f.severity === "warn")).toBe(true);
  }, 60_000);

  it("carries suppressed findings into SARIF as suppressions, and follows the severity flags", async () => {
    const { dir, out } = await scenario();
    const sarif = JSON.parse(readFileSync(join(out, "report.sarif"), "utf8")) as {
      runs: Array<{ results: Array<{ ruleId: string; suppressions?: Array<{ kind: string; justification?: string }> }> }>;
    };
    const suppressed = sarif.runs[0]!.results.filter((r) => r.suppressions !== undefined);
    // Legacy, Alpha and Beta are uncited on purpose; every rule of CLAUDE.md is unscoped on purpose.
    expect(suppressed.filter((r) => r.ruleId === "uncited-rule")).toHaveLength(3);
    expect(suppressed.filter((r) => r.ruleId === "unscoped-rule")).toHaveLength(7);
    expect(suppressed.some((r) => r.suppressions![0]!.justification === "written before post-mortems")).toBe(true);
    const strict = runCli(["--format", "json", "--report-unused-disable-directives"], dir);
    expect(strict.code).toBe(1);
    const off = JSON.parse(runCli(["--format", "json", "--report-unused-disable-directives-severity", "off"], dir).stdout) as { findings: Array<{ check: string }> };
    expect(off.findings.filter((f) => f.check === "unused-disable-directive")).toEqual([]);
    const bad = runCli(["--report-unused-disable-directives-severity", "loud"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  }, 60_000);
});
