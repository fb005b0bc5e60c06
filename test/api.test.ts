// The library API: the example in docs/api.md runs as written, and `lint` / `openProject` answer
// what the CLI's JSON says.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintJson, REPO_ROOT } from "./helpers/cli.js";
import { makeRepo, type Repo } from "./servers/fixture.js";

let repo: Repo;
const api = () => import(join(REPO_ROOT, "dist/src/index.js")) as Promise<typeof import("../src/index.js")>;

beforeAll(() => {
  repo = makeRepo();
});
afterAll(() => repo?.cleanup());

describe("library API", () => {
  it("the docs/api.md example runs as written, importing the package by name", () => {
    const doc = readFileSync(join(REPO_ROOT, "docs/api.md"), "utf8");
    const example = /## Example[\s\S]*?```js\n([\s\S]*?)```/.exec(doc)![1]!;
    const dir = mkdtempSync(join(tmpdir(), "hl-api-"));
    try {
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(REPO_ROOT, join(dir, "node_modules", "harness-lint"), "dir");
      writeFileSync(join(dir, "example.mjs"), example);
      const run = spawnSync(process.execPath, [join(dir, "example.mjs")], { cwd: repo.root, encoding: "utf8", timeout: 120_000 });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("2 errors, 7 warnings");
      expect(run.stdout).toContain("CLAUDE.md:5:17 stale-symbol `UserImporter` no longer exists in the codebase");
      expect(run.stdout).toContain("parseCsv is declared at src/importer.ts:3");
      expect(run.stdout).toContain("applies: CLAUDE.md#imports");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lint() and project.lint() equal the CLI's JSON findings", async () => {
    const { lint, openProject } = await api();
    const cli = lintJson(repo.root).report;
    const report = await lint({ cwd: repo.root });
    expect(report.findings).toEqual(cli.findings);
    expect(report.summary).toEqual(cli.summary);
    const project = await openProject(repo.root);
    expect(await project.lint()).toEqual(cli.findings);
    expect(await project.lintFile("CLAUDE.md")).toEqual(cli.findings.filter((f) => f.file === "CLAUDE.md"));
    await project.close();
  });

  it("lintFile lints unsaved text; update() sees a code file added on disk", async () => {
    const { openProject } = await api();
    const project = await openProject(join(repo.root, "src"));
    expect(project.root).toBe(repo.root);
    // A stale name typed again (history has it) is stale where it is typed too.
    const text = readFileSync(join(repo.root, "CLAUDE.md"), "utf8").replace("`toCents`", "`UserImporter`");
    const stale = async () => (await project.lintFile(join(repo.root, "CLAUDE.md"), text)).filter((f) => f.check === "stale-symbol").map((f) => `${f.mention}:${f.line}`);
    expect(await stale()).toEqual(["UserImporter:4", "UserImporter:9"]);
    repo.write("src/ghost.ts", "export class UserImporter {}\n");
    await project.update(["src/ghost.ts"]);
    expect(await stale()).toEqual([]);
    expect(await project.explainName("UserImporter")).toEqual({ name: "UserImporter", kind: "symbol", exists: true, declared: [{ file: "src/ghost.ts", line: 1 }] });
    rmSync(join(repo.root, "src/ghost.ts"));
    await project.update(["src/ghost.ts"]);
    expect(await stale()).toEqual(["UserImporter:4", "UserImporter:9"]);
    expect(await project.lintFile("src/importer.ts", "whatever")).toEqual([]);
    await project.close();
  });

  it("refresh() finds what changed on disk: an edit, an undo, a commit", async () => {
    const { openProject } = await api();
    const project = await openProject(repo.root);
    expect(await project.refresh()).toEqual([]);
    const original = readFileSync(join(repo.root, "CLAUDE.md"), "utf8");
    const stale = async () => (await project.lint()).filter((f) => f.check === "stale-symbol").map((f) => f.mention);
    repo.write("CLAUDE.md", original.replace("`toCents`", "`UserImporter`"));
    expect(await project.refresh()).toEqual(["CLAUDE.md"]);
    expect(await stale()).toEqual(["UserImporter", "UserImporter"]);
    repo.git("checkout", "--", "CLAUDE.md");
    expect(await project.refresh()).toEqual(["CLAUDE.md"]);
    expect(await stale()).toEqual(["UserImporter"]);
    repo.write("src/billing/money.ts", "export const toEuros = 1;\n");
    repo.git("commit", "-qam", "rename toCents");
    expect(await project.refresh()).toEqual(["src/billing/money.ts"]);
    expect(await stale()).toEqual(["UserImporter", "toCents"]);
    repo.git("reset", "-q", "--hard", "HEAD~1");
    expect(await project.refresh()).toEqual(["src/billing/money.ts"]);
    expect(await stale()).toEqual(["UserImporter"]);
    expect(await project.refresh()).toEqual([]);
    await project.close();
  });

  it("explainName, itemsAt, itemAt, trace, mentionsOf, complete", async () => {
    const { openProject } = await api();
    const project = await openProject(repo.root);
    const renamed = await project.explainName("UserImporter");
    expect(renamed).toMatchObject({
      exists: false,
      declared: [],
      history: { status: "renamed", replacement: "AccountImporter", date: "2026-11-20", subject: "refactor: rename UserImporter to AccountImporter" },
    });
    expect(await project.explainName("src/importer.ts")).toEqual({ name: "src/importer.ts", kind: "path", exists: true, declared: [{ file: "src/importer.ts", line: 1 }] });
    expect(await project.explainName("NeverWas")).toEqual({ name: "NeverWas", kind: "symbol", exists: false, declared: [] });
    expect(project.itemsAt("src/billing/money.ts").map((i) => [i.ref, i.scope, i.citedBy])).toEqual([
      ["CLAUDE.md#imports", null, ["docs/postmortems/PM-0001.md"]],
      ["CLAUDE.md#money", ["src/billing/**"], []],
    ]);
    expect(project.itemsAt("src/importer.ts").map((i) => i.ref)).toEqual(["CLAUDE.md#imports"]);
    expect(project.itemAt("CLAUDE.md", 7)).toMatchObject({ ref: "CLAUDE.md#money", matches: ["src/billing/money.ts"] });
    const trace = await project.trace("CLAUDE.md#imports");
    expect(trace.map((t) => [t.subject, t.change])).toEqual([
      ["feat: importer and rules", "added"],
      ["docs: tighten the import rule", "modified"],
    ]);
    expect(trace[1]!.postmortems).toEqual([{ ref: "docs/postmortems/PM-0001.md", via: "same-commit" }]);
    expect(project.mentionsOf("parseCsv").map((m) => [m.file, m.line])).toEqual([["CLAUDE.md", 4]]);
    expect((await project.complete("mention", "pars")).map((c) => c.label)).toEqual(["parseCsv"]);
    expect((await project.complete("mention", "src/b")).map((c) => c.label)).toEqual(["src/billing/money.ts"]);
    expect((await project.complete("ref", "claude.md#m")).map((c) => c.label)).toEqual(["CLAUDE.md#money"]);
    await project.close();
    expect(repo.git("status", "--porcelain")).toBe("");
  });
});
