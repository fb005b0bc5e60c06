import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { isUserError } from "../../src/shared/errors.js";
import { lint } from "../../src/engine/lint.js";
import { checks } from "../../rules/index.js";
import { explainStaleFindings } from "../../src/history/drift.js";
import type { Finding } from "../../src/harness/types.js";

// Every scenario is a real repository with real commits: the history is the input under test.

interface Step {
  write?: Record<string, string>;
  remove?: string[];
  rename?: Array<[string, string]>;
  message?: string;
}

const repos: string[] = [];
afterEach(() => {
  for (const dir of repos.splice(0)) removeRepo(dir);
});

let stepIndex = 0;

function repo(...steps: Step[]): string {
  const dir: string = initRepo("harness-lint-drift-");
  repos.push(dir);
  for (const step of steps) commit(dir, step);
  return dir;
}

function commit(dir: string, step: Step): string {
  commitStep(dir, step, ++stepIndex);
  return head(dir);
}

function head(dir: string, ref = "HEAD"): string {
  return (git(dir, ["rev-parse", ref]) as string).trim();
}

function dateOf(dir: string, sha: string): string {
  return (git(dir, ["log", "-1", "--date=short", "--format=%ad", sha]) as string).trim();
}

async function drift(dir: string, since?: string): Promise<Finding[]> {
  const run = await lint({ cwd: dir, checks, only: new Set(["stale-symbol", "stale-path"]) });
  return explainStaleFindings(run.result.root, run.result.findings, {
    isHarnessPath: run.model.isHarnessPath,
    ...(since !== undefined ? { since } : {}),
  });
}

function about(findings: Finding[], mention: string): Finding {
  const found = findings.find((f) => f.mention === mention);
  if (!found) throw new Error(`no finding for ${mention}; have ${findings.map((f) => f.mention).join(", ")}`);
  return found;
}

const IMPORTER = "export class UserImporter {\n  importRows(rows: string[]): number {\n    return rows.length;\n  }\n}\n";
const CSV = "export function parseCsv(text: string): string[][] {\n  return text.split('\\n').map((line) => line.split(','));\n}\n";

describe("paths", () => {
  it("follows a `git mv` to the new path, with the commit's full sha, date and subject", async () => {
    const dir = repo({ write: { "src/lib/csv.ts": CSV, "CLAUDE.md": "## Parsing\nCSV lives in `src/lib/csv.ts`.\n" } });
    const moved = commit(dir, { rename: [["src/lib/csv.ts", "src/import/csv.ts"]], message: "refactor: move csv" });
    const finding = about(await drift(dir), "src/lib/csv.ts");
    expect(finding.suggestion).toEqual({ commit: moved, date: dateOf(dir, moved), subject: "refactor: move csv", replacement: "src/import/csv.ts" });
    expect(moved).toMatch(/^[0-9a-f]{40}$/);
    expect(finding.fix).toMatchObject({ line: 2, column: 15, endLine: 2, endColumn: 29, text: "src/import/csv.ts" });
  });

  it("detects a rename made by deleting and re-adding a similar file", async () => {
    const dir = repo({ write: { "src/lib/csv.ts": CSV, "CLAUDE.md": "## Parsing\nSee `src/lib/csv.ts`.\n" } });
    const moved = commit(dir, { remove: ["src/lib/csv.ts"], write: { "src/parsing/csv-reader.ts": `${CSV}// moved\n` } });
    const finding = about(await drift(dir), "src/lib/csv.ts");
    expect(finding.suggestion).toMatchObject({ commit: moved, replacement: "src/parsing/csv-reader.ts" });
  });

  it("a file moved twice resolves to where it is now, reporting the commit that moved it away", async () => {
    const dir = repo({ write: { "src/lib/csv.ts": CSV, "CLAUDE.md": "## Parsing\nSee `src/lib/csv.ts`.\n" } });
    const first = commit(dir, { rename: [["src/lib/csv.ts", "src/import/csv.ts"]] });
    commit(dir, { write: { "src/other.ts": "export const other = 1;\n" } });
    commit(dir, { rename: [["src/import/csv.ts", "src/io/csv.ts"]] });
    const finding = about(await drift(dir), "src/lib/csv.ts");
    expect(finding.suggestion).toMatchObject({ commit: first, replacement: "src/io/csv.ts" });
    expect(finding.fix?.text).toBe("src/io/csv.ts");
  });

  it("a deleted file says deleted: the commit, no replacement, no fix", async () => {
    const dir = repo({ write: { "src/lib/csv.ts": CSV, "src/keep.ts": "export const keep = 1;\n", "CLAUDE.md": "## Parsing\nSee `src/lib/csv.ts`.\n" } });
    const deleted = commit(dir, { remove: ["src/lib/csv.ts"], message: "chore: drop csv" });
    const finding = about(await drift(dir), "src/lib/csv.ts");
    expect(finding.suggestion).toEqual({ commit: deleted, date: dateOf(dir, deleted), subject: "chore: drop csv" });
    expect(finding.fix).toBeUndefined();
  });

  it("moved and then deleted reports the deletion", async () => {
    const dir = repo({ write: { "src/lib/csv.ts": CSV, "src/keep.ts": "export const keep = 1;\n", "CLAUDE.md": "## Parsing\nSee `src/lib/csv.ts`.\n" } });
    commit(dir, { rename: [["src/lib/csv.ts", "src/import/csv.ts"]] });
    const deleted = commit(dir, { remove: ["src/import/csv.ts"] });
    const finding = about(await drift(dir), "src/lib/csv.ts");
    expect(finding.suggestion).toMatchObject({ commit: deleted });
    expect(finding.suggestion?.replacement).toBeUndefined();
  });

  it("writes the new path in the mention's own form: file-relative link, leading slash, no extension", async () => {
    const dir = repo({
      write: {
        "src/lib/csv.ts": CSV,
        "src/AGENTS.md": "## Parsing\nRead [the parser](lib/csv.ts) and `/src/lib/csv.ts`; import from `src/lib/csv`.\n",
      },
    });
    commit(dir, { rename: [["src/lib/csv.ts", "src/io/csv.ts"]] });
    const findings = await drift(dir);
    expect(about(findings, "lib/csv.ts").suggestion?.replacement).toBe("io/csv.ts");
    expect(about(findings, "/src/lib/csv.ts").suggestion?.replacement).toBe("/src/io/csv.ts");
    expect(about(findings, "src/lib/csv").suggestion?.replacement).toBe("src/io/csv");
    expect(about(findings, "lib/csv.ts").fix).toMatchObject({ text: "io/csv.ts" });
  });

  it("an `@import` keeps its `@` and points at the renamed file", async () => {
    const dir = repo({ write: { "docs/guide.md": "# Guide\n\nHow we work.\n", "CLAUDE.md": "# Project\n\nSee @docs/guide.md before editing.\n" } });
    const moved = commit(dir, { rename: [["docs/guide.md", "docs/handbook.md"]] });
    const finding = about(await drift(dir), "docs/guide.md");
    expect(finding.suggestion).toMatchObject({ commit: moved, replacement: "docs/handbook.md" });
    expect(finding.fix).toMatchObject({ line: 3, column: 6, endLine: 3, endColumn: 19, text: "docs/handbook.md" });
  });

  it("a moved folder resolves to its new folder", async () => {
    const dir = repo({ write: { "src/lib/csv.ts": CSV, "src/lib/json.ts": "export const json = 1;\n", "CLAUDE.md": "## Layout\nHelpers live in `src/lib/`.\n" } });
    const moved = commit(dir, {
      rename: [
        ["src/lib/csv.ts", "src/core/csv.ts"],
        ["src/lib/json.ts", "src/core/json.ts"],
      ],
    });
    const finding = about(await drift(dir), "src/lib/");
    expect(finding.suggestion).toMatchObject({ commit: moved, replacement: "src/core/" });
    expect(finding.fix?.text).toBe("src/core");
  });

  it("a folder split in two is ambiguous: candidates, never a fix", async () => {
    const dir = repo({ write: { "src/lib/csv.ts": CSV, "src/lib/json.ts": "export const json = 1;\n", "CLAUDE.md": "## Layout\nHelpers live in `src/lib/`.\n" } });
    commit(dir, {
      rename: [
        ["src/lib/csv.ts", "src/io/csv.ts"],
        ["src/lib/json.ts", "src/data/json.ts"],
      ],
    });
    const finding = about(await drift(dir), "src/lib/");
    expect(finding.suggestion?.candidates).toEqual(["src/data/", "src/io/"]);
    expect(finding.suggestion?.replacement).toBeUndefined();
    expect(finding.fix).toBeUndefined();
  });
});

describe("symbols", () => {
  it("finds the commit that renamed a class and the class that replaced it", async () => {
    const dir = repo({
      write: {
        "src/import/importer.ts": IMPORTER,
        "src/main.ts": "import { UserImporter } from './import/importer.js';\nnew UserImporter().importRows([]);\n",
        "CLAUDE.md": "## Imports\nRows go through `UserImporter`.\n",
      },
    });
    const renamed = commit(dir, {
      message: "refactor: rename importer",
      write: {
        "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter"),
        "src/main.ts": "import { AccountImporter } from './import/importer.js';\nnew AccountImporter().importRows([]);\n",
      },
    });
    commit(dir, { write: { "src/unrelated.ts": "export const unrelated = 1;\n" } });
    const finding = about(await drift(dir), "UserImporter");
    expect(finding.suggestion).toEqual({ commit: renamed, date: dateOf(dir, renamed), subject: "refactor: rename importer", replacement: "AccountImporter" });
    expect(finding.fix).toMatchObject({ line: 2, column: 18, endLine: 2, endColumn: 30, text: "AccountImporter" });
  });

  it("a rename spread over several commits reports where the declaration changed", async () => {
    const dir = repo({
      write: {
        "src/import/importer.ts": IMPORTER,
        "src/a.ts": "import { UserImporter } from './import/importer.js';\nexport const a = new UserImporter();\n",
        "src/b.ts": "import { UserImporter } from './import/importer.js';\nexport const b = new UserImporter();\n",
        "CLAUDE.md": "## Imports\nUse `UserImporter`.\n",
      },
    });
    // The declaration first, keeping an alias for the callers; the callers and the alias later.
    const declared = commit(dir, { write: { "src/import/importer.ts": `${IMPORTER.replace("UserImporter", "AccountImporter")}export { AccountImporter as UserImporter };\n` } });
    commit(dir, { write: { "src/a.ts": "import { AccountImporter } from './import/importer.js';\nexport const a = new AccountImporter();\n" } });
    commit(dir, {
      write: {
        "src/b.ts": "import { AccountImporter } from './import/importer.js';\nexport const b = new AccountImporter();\n",
        "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter"),
      },
    });
    const finding = about(await drift(dir), "UserImporter");
    expect(finding.suggestion).toMatchObject({ commit: declared, replacement: "AccountImporter" });
  });

  it("a rename by usage alone (no declaration in the diff) is read from the paired lines", async () => {
    const dir = repo({
      write: {
        "config/settings.yml": "importer: UserImporter\nretries: 3\n",
        "CLAUDE.md": "## Imports\nThe importer is `UserImporter`.\n",
      },
    });
    const renamed = commit(dir, { write: { "config/settings.yml": "importer: AccountImporter\nretries: 3\n" } });
    const finding = about(await drift(dir), "UserImporter");
    expect(finding.suggestion).toMatchObject({ commit: renamed, replacement: "AccountImporter" });
  });

  it("a rename then a second rename resolves to the latest name", async () => {
    const dir = repo({ write: { "src/import/importer.ts": IMPORTER, "CLAUDE.md": "## Imports\nUse `UserImporter`.\n" } });
    const first = commit(dir, { write: { "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter") } });
    commit(dir, { write: { "src/other.ts": "export const other = 1;\n" } });
    commit(dir, { write: { "src/import/importer.ts": IMPORTER.replace("UserImporter", "CustomerImporter") } });
    const finding = about(await drift(dir), "UserImporter");
    expect(finding.suggestion).toMatchObject({ commit: first, replacement: "CustomerImporter" });
    expect(finding.fix?.text).toBe("CustomerImporter");
  });

  it("a deleted function says removed, with no replacement and no fix", async () => {
    const dir = repo({
      write: {
        "src/lib/csv.ts": `${CSV}export function legacySplit(text: string): string[] {\n  return text.split(',');\n}\n`,
        "CLAUDE.md": "## Parsing\nSplit cells with `legacySplit()`.\n",
      },
    });
    const removed = commit(dir, { write: { "src/lib/csv.ts": CSV }, message: "chore: remove legacySplit" });
    const finding = about(await drift(dir), "legacySplit");
    expect(finding.suggestion).toEqual({ commit: removed, date: dateOf(dir, removed), subject: "chore: remove legacySplit" });
    expect(finding.fix).toBeUndefined();
  });

  it("a name renamed in one file while it lives on elsewhere is not stale at all", async () => {
    const dir = repo({
      write: {
        "src/a.ts": "export function normalizeRow(row: string): string {\n  return row.trim();\n}\n",
        "src/b.ts": "export function normalizeRow(row: string[]): string[] {\n  return row;\n}\n",
        "CLAUDE.md": "## Rows\nAlways call `normalizeRow()`.\n",
      },
    });
    commit(dir, { write: { "src/a.ts": "export function cleanRow(row: string): string {\n  return row.trim();\n}\n" } });
    const findings = await drift(dir);
    expect(findings.filter((f) => f.mention === "normalizeRow")).toEqual([]);
  });

  it("a class whose callers moved to two different classes is ambiguous: candidates, never a fix", async () => {
    const dir = repo({
      write: {
        "src/import/importer.ts": IMPORTER,
        "src/a.ts": "import { UserImporter } from './import/importer.js';\nexport const a = new UserImporter();\n",
        "src/b.ts": "import { UserImporter } from './import/importer.js';\nexport const b = new UserImporter();\n",
        "CLAUDE.md": "## Imports\nUse `UserImporter`.\n",
      },
    });
    commit(dir, {
      remove: ["src/import/importer.ts"],
      write: {
        "src/accounts.ts": "export class AccountImporter {\n  constructor(private readonly strict = true) {}\n}\n",
        "src/guests.ts": "export class GuestImporter {\n  run(): void {}\n}\n",
        "src/a.ts": "import { AccountImporter } from './accounts.js';\nexport const a = new AccountImporter();\n",
        "src/b.ts": "import { GuestImporter } from './guests.js';\nexport const b = new GuestImporter();\n",
      },
    });
    const finding = about(await drift(dir), "UserImporter");
    expect(finding.suggestion?.candidates).toEqual(["AccountImporter", "GuestImporter"]);
    expect(finding.suggestion?.replacement).toBeUndefined();
    expect(finding.fix).toBeUndefined();
  });

  it("a class split in place into two new classes is ambiguous too", async () => {
    const dir = repo({ write: { "src/import/importer.ts": IMPORTER, "CLAUDE.md": "## Imports\nUse `UserImporter`.\n" } });
    commit(dir, {
      write: {
        "src/import/importer.ts": "// Importers, one per kind of account.\n\nexport class MemberImporter {\n  load(): void {}\n}\n\nexport class GuestImporter {\n  load(): void {}\n}\n",
      },
    });
    const finding = about(await drift(dir), "UserImporter");
    expect(finding.suggestion?.candidates).toEqual(["GuestImporter", "MemberImporter"]);
    expect(finding.fix).toBeUndefined();
  });

  it("ignores edits to harness files: a rule rewording is not a rename", async () => {
    const dir = repo({ write: { "src/import/importer.ts": IMPORTER, "CLAUDE.md": "## Imports\nUse `UserImporter`.\n", "AGENTS.md": "## Imports\nUse `UserImporter` here.\n" } });
    const renamed = commit(dir, { write: { "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter") } });
    commit(dir, { write: { "AGENTS.md": "## Imports\nUse `WrongGuess` here.\n" } });
    const finding = about(await drift(dir), "UserImporter");
    expect(finding.suggestion).toMatchObject({ commit: renamed, replacement: "AccountImporter" });
  });
});

describe("members", () => {
  it("keeps the member when only the class was renamed", async () => {
    const dir = repo({ write: { "src/import/importer.ts": IMPORTER, "CLAUDE.md": "## Imports\nCall `UserImporter.importRows()` once.\n" } });
    commit(dir, { write: { "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter") } });
    const finding = about(await drift(dir), "UserImporter.importRows");
    expect(finding.suggestion?.replacement).toBe("AccountImporter.importRows");
    // Only the name inside the backticks changes; `()` stays.
    expect(finding.fix).toMatchObject({ line: 2, column: 7, endColumn: 30, text: "AccountImporter.importRows" });
  });

  it("renames both when the class and the member were renamed together", async () => {
    const dir = repo({ write: { "src/import/importer.ts": IMPORTER, "CLAUDE.md": "## Imports\nCall `UserImporter.importRows()` once.\n" } });
    commit(dir, { write: { "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter").replace("importRows", "loadRows") } });
    const finding = about(await drift(dir), "UserImporter.importRows");
    expect(finding.suggestion?.replacement).toBe("AccountImporter.loadRows");
  });

  it("renames the member of a class that still exists", async () => {
    const dir = repo({ write: { "src/import/importer.ts": IMPORTER, "CLAUDE.md": "## Imports\nCall `UserImporter.importRows()` once.\n" } });
    const renamed = commit(dir, { write: { "src/import/importer.ts": IMPORTER.replace("importRows", "loadRows") } });
    const finding = about(await drift(dir), "UserImporter.importRows");
    expect(finding.messageId).toBe("missingMember");
    expect(finding.suggestion).toMatchObject({ commit: renamed, replacement: "UserImporter.loadRows" });
    expect(finding.fix?.text).toBe("UserImporter.loadRows");
  });

  it("a member written after its class (`.importRows()`) gets only its own part rewritten", async () => {
    const dir = repo({ write: { "src/import/importer.ts": IMPORTER, "CLAUDE.md": "## Imports\nUse `UserImporter` and call `.importRows()` once.\n" } });
    commit(dir, { write: { "src/import/importer.ts": IMPORTER.replace("importRows", "loadRows") } });
    const finding = about(await drift(dir), "UserImporter.importRows");
    expect(finding.suggestion?.replacement).toBe("UserImporter.loadRows");
    expect(finding.fix).toMatchObject({ text: "loadRows", before: "importRows" });
  });
});

describe("merges", () => {
  it("a rename made on a branch and merged is credited to the branch commit", async () => {
    const dir = repo({ write: { "src/import/importer.ts": IMPORTER, "CLAUDE.md": "## Imports\nUse `UserImporter`.\n" } });
    git(dir, ["checkout", "-q", "-b", "refactor"]);
    const renamed = commit(dir, { write: { "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter") }, message: "refactor: rename on branch" });
    git(dir, ["checkout", "-q", "main"]);
    commit(dir, { write: { "src/other.ts": "export const other = 1;\n" } });
    git(dir, ["merge", "-q", "--no-ff", "--no-edit", "refactor"]);
    const finding = about(await drift(dir), "UserImporter");
    expect(finding.suggestion).toMatchObject({ commit: renamed, replacement: "AccountImporter", subject: "refactor: rename on branch" });
  });

  it("a rename made in the merge commit itself is found in its first-parent diff", async () => {
    const dir = repo({ write: { "src/import/importer.ts": IMPORTER, "src/lib/csv.ts": CSV, "CLAUDE.md": "## Imports\nUse `UserImporter` and `src/lib/csv.ts`.\n" } });
    git(dir, ["checkout", "-q", "-b", "feature"]);
    commit(dir, { write: { "src/feature.ts": "export const feature = 1;\n" } });
    git(dir, ["checkout", "-q", "main"]);
    commit(dir, { write: { "src/other.ts": "export const other = 1;\n" } });
    git(dir, ["merge", "-q", "--no-ff", "--no-commit", "feature"]);
    commitStep(
      dir,
      { write: { "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter") }, rename: [["src/lib/csv.ts", "src/io/csv.ts"]], message: "Merge feature, renaming the importer" },
      ++stepIndex,
    );
    const merge = head(dir);
    expect((git(dir, ["rev-list", "--parents", "-1", "HEAD"]) as string).trim().split(" ")).toHaveLength(3);
    const findings = await drift(dir);
    expect(about(findings, "UserImporter").suggestion).toMatchObject({ commit: merge, replacement: "AccountImporter" });
    expect(about(findings, "src/lib/csv.ts").suggestion).toMatchObject({ commit: merge, replacement: "src/io/csv.ts" });
  });
});

describe("--since", () => {
  it("keeps only names that existed at the ref and are gone now", async () => {
    const dir = repo({
      write: {
        "src/import/importer.ts": IMPORTER,
        "src/lib/csv.ts": CSV,
        "src/old.ts": "export const legacyFlag = true;\n",
        "CLAUDE.md": "## Imports\nUse `UserImporter`, `parseCsv()`, `legacyFlag`, `src/lib/csv.ts` and `src/old.ts`.\n",
      },
    });
    // Broken before the branch point: not this branch's doing.
    commit(dir, { remove: ["src/old.ts"], write: { "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter") } });
    const base = head(dir);
    const renamed = commit(dir, { rename: [["src/lib/csv.ts", "src/io/csv.ts"]], write: { "src/io/csv.ts": CSV.replace("parseCsv", "readCsv") } });
    const findings = await drift(dir, base);
    expect(findings.map((f) => f.mention).sort()).toEqual(["parseCsv", "src/lib/csv.ts"]);
    expect(about(findings, "parseCsv").suggestion).toMatchObject({ commit: renamed, replacement: "readCsv" });
    expect(about(findings, "src/lib/csv.ts").suggestion).toMatchObject({ commit: renamed, replacement: "src/io/csv.ts" });
    // Without --since, all five are reported.
    expect((await drift(dir)).length).toBe(5);
  });

  it("a glob counts when it matched files at the ref", async () => {
    const dir = repo({
      write: {
        "src/legacy/a.ts": "export const a = 1;\n",
        "src/old/b.ts": "export const b = 1;\n",
        "src/keep.ts": "export const keep = 1;\n",
        "CLAUDE.md": "## Layout\nLegacy code: `src/legacy/*.ts`; older still: `src/old/*.ts`.\n",
      },
    });
    commit(dir, { remove: ["src/old/b.ts"] });
    const base = head(dir);
    commit(dir, { remove: ["src/legacy/a.ts"] });
    expect((await drift(dir)).map((f) => f.mention).sort()).toEqual(["src/legacy/*.ts", "src/old/*.ts"]);
    expect((await drift(dir, base)).map((f) => f.mention)).toEqual(["src/legacy/*.ts"]);
  });

  it("an unknown ref is a user error", async () => {
    const dir = repo({ write: { "src/a.ts": "export const a = 1;\n", "CLAUDE.md": "## A\nUse `Gone`.\n" } });
    const error = await drift(dir, "no-such-branch").catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(String((error as Error).message)).toContain("no-such-branch");
  });
});

describe("findings it does not touch", () => {
  it("passes other checks' findings through unchanged, and leaves a name history never saw alone", async () => {
    const dir = repo({ write: { "src/a.ts": "export const a = 1;\n", "CLAUDE.md": "## A\nUse `NeverExisted`.\n" } });
    const run = await lint({ cwd: dir, checks });
    const out = await explainStaleFindings(run.result.root, run.result.findings, {});
    expect(out.length).toBe(run.result.findings.length);
    for (const finding of out) expect(finding.suggestion).toBeUndefined();
  });
});
