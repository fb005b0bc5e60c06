// `--staged` with a searched index asks the code index only what the commit can change (the
// mentions in the files it changes, and those elsewhere whose verdict reads a name, container or
// file the commit removes). It must report exactly what judging every mention against the full
// index reports: for random repositories and random staged changes (edits, deletions, renames,
// new files, a rule file edited or not), cold, warm, and warm from a full run's cache.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { buildFixtureRepo, commitStep, git, initRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { checks } from "../../rules/index.js";
import { lint } from "../../src/engine/lint.js";
import { lintStaged } from "../../src/engine/staged.js";
import type { SearchedIndex } from "../../src/codebase/searched-index.js";
import { FIXTURES, scenarioConfigWithIndex } from "../helpers/fixtures.js";

const SCALE = Math.max(1, Number(process.env.PROPERTY_SCALE ?? 1));
const RUNS = 15 * SCALE;

const configs = mkdtempSync(join(tmpdir(), "hl-staged-strategies-"));
const CONFIG = { search: join(configs, "search.yml"), full: join(configs, "full.yml") };
writeFileSync(CONFIG.search, "codebase:\n  index: search\n");
writeFileSync(CONFIG.full, "codebase:\n  index: full\n");
afterAll(() => rmSync(configs, { recursive: true, force: true }));

// Names overlap on purpose: `Store` inside `StoreFront`, a member that is also a class name, a
// file named after a class (`ledger.ts`), bases that chain (a member inherited from a base the
// commit changes).
// Few of each, so a mention often names what a random change removes.
const TYPES = ["Store", "StoreFront", "Ledger"];
const MEMBERS = ["load", "post", "Store"];
const FUNCTIONS = ["formatCents", "parseRow"];
const WORDS = [...TYPES, ...MEMBERS, ...FUNCTIONS, "OldName"];

const type = fc.constantFrom(...TYPES);
const member = fc.constantFrom(...MEMBERS);
const word = fc.constantFrom(...WORDS);
const members = fc.uniqueArray(member, { maxLength: 3 });
const base = fc.option(type, { nil: undefined });

/** One code or prose file declaring, using or merely mentioning names. */
const fileText = fc.oneof(
  fc
    .tuple(type, members, base, word)
    .map(([name, list, parent, used]) =>
      [`export class ${name}${parent && parent !== name ? ` extends ${parent}` : ""} {`, ...list.map((m) => `  ${m}(): void {}`), "}", `export const x = ${used};`, ""].join("\n"),
    ),
  fc
    .tuple(type, members, base)
    .map(([name, list, parent]) => [`export interface ${name}${parent && parent !== name ? ` extends ${parent}` : ""} {`, ...list.map((m) => `  ${m}: string;`), "}", ""].join("\n")),
  fc.tuple(fc.constantFrom(...FUNCTIONS), word).map(([name, used]) => `export function ${name}(): void {\n  ${used}();\n}\n`),
  fc.tuple(type, members, word).map(([name, list, used]) => [`class ${name}:`, ...list.map((m) => `    def ${m}(self): return ${used}`), "    pass", ""].join("\n")),
  fc.array(word, { maxLength: 3 }).map((list) => `Renamed ${list.join(" and ")}.\n`),
);

function extensionOf(text: string): string {
  return text.startsWith("export") ? ".ts" : text.startsWith("class") ? ".py" : ".md";
}

const tree = fc.array(fc.tuple(fileText, fc.constantFrom("src", "lib"), fc.constantFrom("", "ledger", "store")), { minLength: 1, maxLength: 7 }).map((list) => {
  const out: Record<string, string> = {};
  list.forEach(([text, dir, stem], index) => {
    out[`${dir}/${stem || "f"}${index}${extensionOf(text)}`] = text;
  });
  return out;
});

/** What happens to each file of the tree, by position (cycled), and files the commit adds. */
const operation = fc.oneof(
  { arbitrary: fc.constant({ kind: "keep" as const }), weight: 2 },
  { arbitrary: fileText.map((text) => ({ kind: "edit" as const, text })), weight: 1 },
  { arbitrary: fc.constant({ kind: "delete" as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: "rename" as const }), weight: 1 },
  // A container keeps its name and loses a member, or its base: `A.b` breaks, here or in a subclass.
  { arbitrary: fc.constant({ kind: "drop-member" as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: "drop-base" as const }), weight: 2 },
);
const change = fc.record({
  operations: fc.array(operation, { minLength: 1, maxLength: 7 }),
  added: fc.array(fileText, { maxLength: 2 }),
  rules: fc.option(fc.constant(true), { nil: undefined }),
});

const mention = fc.oneof(
  { arbitrary: word, weight: 2 },
  { arbitrary: fc.tuple(type, member).map(([a, b]) => `${a}.${b}`), weight: 3 },
  { arbitrary: fc.constantFrom("Gone", "Ledger", "Store", "src/f0.ts", "lib/", "src/store1.ts"), weight: 1 },
);
const rules = fc
  .array(fc.uniqueArray(mention, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 })
  .map((sections) => sections.map((list, index) => `## Rule ${index}\n<!-- scope: src/** -->\n${list.map((name) => `- Use \`${name}\`.`).join("\n")}\n`).join("\n"));

type Strategy = "search" | "full";

async function stagedFindings(dir: string, strategy: Strategy, configPath = CONFIG[strategy]): Promise<string[]> {
  const run = await lintStaged({ cwd: dir, checks, configPath });
  return run.result.findings.map((finding) => JSON.stringify(finding));
}

function wipeCache(dir: string): void {
  rmSync(join(dir, ".git", "harness-lint"), { recursive: true, force: true });
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** Every way of running `--staged` against the full index judging every mention, cold; returns what they all report. */
async function expectSameEveryWay(dir: string, config: Record<Strategy, string> = CONFIG): Promise<string[]> {
  wipeCache(dir);
  const full = await stagedFindings(dir, "full", config.full);
  wipeCache(dir);
  expect(await stagedFindings(dir, "search", config.search), "cold").toEqual(full);
  expect(await stagedFindings(dir, "search", config.search), "warm").toEqual(full);
  // Warm from what a full run over the work tree left (the commit hook after an editor's run).
  wipeCache(dir);
  await lint({ cwd: dir, checks, configPath: config.search });
  expect(await stagedFindings(dir, "search", config.search), "warm from a full run").toEqual(full);
  return full;
}

describe("--staged: what the commit can change, asked of a searched index, and the full index", () => {
  it(
    "report the same findings for random repositories and staged changes",
    async () => {
      await fc.assert(
        fc.asyncProperty(tree, rules, change, rules, async (files, claude, staged, newClaude) => {
          const dir: string = initRepo("hl-staged-strategies-");
          try {
            // Every name was in the code once (the first commit), so a name the commit removes,
            // or one gone since, is stale by history.
            commitStep(dir, { message: "initial", write: { ...files, "CLAUDE.md": claude, "src/former.ts": `export const former = [${WORDS.join(", ")}];\n` } });
            commitStep(dir, { message: "remove old code", remove: ["src/former.ts"] }, 1);
            const paths = Object.keys(files);
            paths.forEach((path, index) => {
              const operation = staged.operations[index % staged.operations.length]!;
              if (operation.kind === "edit") write(dir, path, operation.text);
              else if (operation.kind === "drop-member") write(dir, path, files[path]!.replace(/\n {2}\w+(\(\): void \{\}|: string;|\(self\): return \w+)/, ""));
              else if (operation.kind === "drop-base") write(dir, path, files[path]!.replace(/ extends \w+/, ""));
              else if (operation.kind === "delete") git(dir, ["rm", "-q", "--", path]);
              else if (operation.kind === "rename") {
                const target = path.replace(/^(src|lib)\//, (_, folder: string) => `${folder === "src" ? "lib" : "src"}/moved-`);
                mkdirSync(dirname(join(dir, target)), { recursive: true });
                git(dir, ["mv", "--", path, target]);
              }
            });
            staged.added.forEach((text, index) => write(dir, `src/new${index}${extensionOf(text)}`, text));
            if (staged.rules) write(dir, "CLAUDE.md", newClaude);
            git(dir, ["add", "-A"]);
            await expectSameEveryWay(dir);
          } finally {
            removeRepo(dir);
          }
        }),
        { numRuns: RUNS },
      );
    },
    600_000 * SCALE,
  );
});

describe("--staged: what the commit breaks through containers and file names", () => {
  const STORE = "export class Store {\n  load(): void {}\n  post(): void {}\n}\n";
  const FRONT = 'import { Store } from "./store";\nexport class StoreFront extends Store {\n  record(): void {}\n}\n';
  const CLAUDE = "## Rule\n<!-- scope: src/** -->\nUse `Store.load`, `StoreFront.load`, `Store.post` and `Ledger`.\n";
  const cases: Array<[string, Record<string, string | null>, string[]]> = [
    ["a member the class loses, and its subclass inherits", { "src/store.ts": "export class Store {\n  post(): void {}\n}\n" }, ["Store.load", "StoreFront.load"]],
    ["a base the subclass loses", { "src/front.ts": FRONT.replace(" extends Store", "") }, ["StoreFront.load"]],
    ["a file named after the mention", { "src/ledger.ts": null }, ["Ledger"]],
    ["a member moved to the subclass breaks only the base's", { "src/store.ts": "export class Store {\n  post(): void {}\n}\n", "src/front.ts": FRONT.replace("record()", "load()") }, ["Store.load"]],
  ];
  it.each(cases)(
    "%s",
    async (_, edits, broken) => {
      const dir: string = initRepo("hl-staged-containers-");
      try {
        commitStep(dir, { message: "initial", write: { "src/store.ts": STORE, "src/front.ts": FRONT, "src/ledger.ts": "export const rate = 1;\n", "CLAUDE.md": CLAUDE } });
        for (const [path, text] of Object.entries(edits)) {
          if (text === null) git(dir, ["rm", "-q", "--", path]);
          else write(dir, path, text);
        }
        git(dir, ["add", "-A"]);
        // What every way reports, the searched index cold among them.
        const findings = (await expectSameEveryWay(dir)).map((finding) => JSON.parse(finding) as { mention?: string });
        expect(findings.map((finding) => finding.mention).sort()).toEqual([...broken].sort());
      } finally {
        removeRepo(dir);
      }
    },
    600_000,
  );
});

describe("--staged, cold: the work grows with the change, not with the mentions", () => {
  it("a commit that renames one of 150 mentioned functions parses none of the other files", async () => {
    const dir: string = initRepo("hl-staged-work-");
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i < 150; i++) files[`src/m${i}.ts`] = `export function name${i}(): void {}\n`;
      const rules = Array.from({ length: 150 }, (_, i) => `- Call \`name${i}()\`.`).join("\n");
      commitStep(dir, { message: "initial", write: { ...files, "CLAUDE.md": `## Calls\n<!-- scope: src/** -->\n${rules}\n` } });
      write(dir, "src/m7.ts", "export function other7(): void {}\n");
      git(dir, ["add", "-A"]);
      wipeCache(dir);
      const staged = await lintStaged({ cwd: dir, checks, configPath: CONFIG.search });
      expect(staged.result.findings.map((finding) => finding.mention)).toEqual(["name7"]);
      // Counted, not timed: the search found no file that still holds `name7`, so none was parsed.
      expect((staged.model.codeIndex as SearchedIndex).stats.filesParsed).toBe(0);
      // A full lint asks about every mention, and parses every file one names.
      wipeCache(dir);
      const full = await lint({ cwd: dir, checks, configPath: CONFIG.search });
      expect((full.model.codeIndex as SearchedIndex).stats.filesParsed).toBeGreaterThanOrEqual(149);
    } finally {
      removeRepo(dir);
    }
  }, 600_000);
});

describe("--staged: searched and full index on every fixture scenario, with a staged change", () => {
  const scenarios = readdirSync(join(FIXTURES, "checks"));
  it.each(scenarios)(
    "%s: the same findings",
    async (scenario) => {
      const dir: string = await buildFixtureRepo(join(FIXTURES, "checks", scenario));
      try {
        const config: Record<Strategy, string> = { search: scenarioConfigWithIndex(dir, scenario, "search", configs), full: scenarioConfigWithIndex(dir, scenario, "full", configs) };
        // The commit deletes every other tracked code file and strips the first declaration of the rest.
        const tracked = (git(dir, ["ls-files", "-z"]) as string).split("\0").filter((path) => /\.(ts|tsx|js|py|go|rs|sh)$/.test(path));
        tracked.forEach((path, index) => {
          if (index % 2 === 0) git(dir, ["rm", "-q", "--", path]);
          else write(dir, path, readFileSync(join(dir, path), "utf8").replace(/(export\s+)?(function|class|interface|const|def|func|fn)\s+\w+/, "$1$2 renamedByTheCommit"));
        });
        git(dir, ["add", "-A"]);
        await expectSameEveryWay(dir, config);
        // And the same commit editing every Markdown file (rule files, post-mortems): their own findings are the commit's.
        for (const path of (git(dir, ["ls-files", "-z", "--", "*.md", "*.mdc"]) as string).split("\0").filter(Boolean)) write(dir, path, `${readFileSync(join(dir, path), "utf8")}\nEdited.\n`);
        git(dir, ["add", "-A"]);
        await expectSameEveryWay(dir, config);
      } finally {
        removeRepo(dir);
      }
    },
    120_000,
  );
});
