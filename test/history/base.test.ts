import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checks } from "../../rules/index.js";
import unlinkedRuleChange from "../../rules/unlinked-rule-change.js";
import type { Report } from "../../src/engine/check.js";
import { buildModel } from "../../src/engine/build-model.js";
import { buildModelHistory } from "../../src/engine/history-facts.js";
import { lint } from "../../src/engine/lint.js";
import type { Config } from "../../src/shared/config-types.js";
import { UserError } from "../../src/shared/errors.js";
import type { Finding } from "../../src/shared/types.js";
import { CLAUDE, config, emptyRepo, pm, Repo, runGit } from "./history-repo.js";

/** The provenance findings of `--base REF` under this configuration's severities. */
async function checkBase(dir: string, cfg: Config, baseRef: string): Promise<Finding[]> {
  const configPath = join(emptyRepo(), ".harnessrc.json");
  writeFileSync(configPath, JSON.stringify({ checks: cfg.checks }));
  const run = await lint({ cwd: dir, checks, base: baseRef, configPath, only: new Set(["unlinked-rule-change", "dangling-citation"]) });
  return run.result.findings.filter((f) => f.commit !== undefined);
}

const PM1 = "docs/postmortems/pm-1.md";

/** main has a linked root; the branch adds three commits: linked, unlinked edit, unlinked removal + dangling trailer. */
function pullRequest(): { repo: Repo; base: string; unlinkedEdit: string; removal: string } {
  const repo = new Repo();
  const base = repo.commit({ message: "root\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": CLAUDE, "src/billing/AGENTS.md": "## Cents\nInteger cents.\n", [PM1]: pm({ id: "PM-1" }) } });
  repo.git(["checkout", "-q", "-b", "feature"]);
  repo.commit({ message: "linked\n\nPost-Mortem: PM-1", write: { "CLAUDE.md": CLAUDE.replace("first", "first!") } });
  const unlinkedEdit = repo.commit({ message: "tighten money", write: { "CLAUDE.md": CLAUDE.replace("first", "first!").replace("cents", "cents only") } });
  const removal = repo.commit({ message: "drop billing rule\n\nPost-Mortem: PM-9", remove: ["src/billing/AGENTS.md"] });
  return { repo, base, unlinkedEdit, removal };
}

describe("checkBase", () => {
  it("reports each unlinked item change in REF..HEAD at the item's line at HEAD, or line 1 of the file it left", async () => {
    const { repo, unlinkedEdit, removal } = pullRequest();
    const findings = await checkBase(repo.dir, config(), "main");
    expect(findings.map((f) => [f.check, f.file, f.line, f.item ?? f.mention, f.commit])).toEqual([
      ["unlinked-rule-change", "CLAUDE.md", 6, "CLAUDE.md#money", unlinkedEdit],
      ["dangling-citation", "src/billing/AGENTS.md", 1, "PM-9", removal],
      ["unlinked-rule-change", "src/billing/AGENTS.md", 1, "src/billing/AGENTS.md#cents", removal],
    ]);
    const money = findings[0]!;
    expect(money.severity).toBe("error");
    expect(money.message).toBe(`commit ${unlinkedEdit.slice(0, 7)} "tighten money" modified CLAUDE.md#money and links no post-mortem`);
    expect(money.hint).toContain("Post-Mortem: <id>");
    expect(findings[1]!.message).toContain("`Post-Mortem: PM-9`, but no post-mortem PM-9 exists at that commit");
    expect(findings.every((f) => /^[0-9a-f]{40}$/.test(f.commit ?? ""))).toBe(true);
  });

  it("honours check severities from config", async () => {
    const { repo } = pullRequest();
    const findings = await checkBase(repo.dir, config({ checks: { "unlinked-rule-change": "warn", "dangling-citation": "off" } }), "main");
    expect(findings.map((f) => [f.check, f.severity])).toEqual([
      ["unlinked-rule-change", "warn"],
      ["unlinked-rule-change", "warn"],
    ]);
  });

  it("refuses a REF that names nothing, saying how to fetch it", async () => {
    const { repo } = pullRequest();
    await expect(checkBase(repo.dir, config(), "origin/nope")).rejects.toThrow(UserError);
    await expect(checkBase(repo.dir, config(), "origin/nope")).rejects.toThrow(/fetch-depth: 0/);
    await expect(checkBase(repo.dir, config(), "--output=x")).rejects.toThrow(/names no commit/);
  });

  it("in a shallow clone that lacks REF, says to fetch full history", async () => {
    const { repo, base } = pullRequest();
    const clone = emptyRepo();
    runGit(clone, ["fetch", "-q", "--depth=1", `file://${repo.dir}`, "feature"]);
    runGit(clone, ["checkout", "-q", "FETCH_HEAD"]);
    const error = await checkBase(clone, config(), base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/shallow clone.*fetch-depth: 0.*git fetch --unshallow/);
    expect((error as Error).message).not.toContain("\n");
  });

  it("feeds the unlinked-rule-change check through the model, which stays quiet without history", async () => {
    const { repo, unlinkedEdit } = pullRequest();
    const cfg = config();
    const model = await buildModel({ root: repo.dir, inGit: true, config: cfg, needsCodeIndex: false });
    const reports: Array<Report<string>> = [];
    const run = () => unlinkedRuleChange.run(model, { config: cfg, report: (r) => reports.push(r) });
    run();
    expect(reports).toEqual([]);
    expect(model.history).toBeUndefined();

    model.history = await buildModelHistory(repo.dir, cfg, "main", model.postmortems);
    run();
    expect(reports.map((r) => [r.file, r.span.start.line, r.item, r.commit])).toEqual([
      ["src/billing/AGENTS.md", 1, "src/billing/AGENTS.md#cents", expect.any(String)],
      ["CLAUDE.md", 6, "CLAUDE.md#money", unlinkedEdit],
    ]);
  });
});
