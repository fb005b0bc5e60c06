// The searched index (parse only the files whose bytes hold a name a mention asks about) must
// report exactly what the full index reports: for random repositories (TS, Python, Go, Rust,
// prose and data files sharing a small pool of names, with classes, bases, members, comments
// and strings) and random mentions, cold, warm and warm after edits.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { buildFixtureRepo, commitStep, initRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { checks } from "../../rules/index.js";
import { lint } from "../../src/engine/lint.js";
import { FIXTURES, scenarioConfigWithIndex } from "../helpers/fixtures.js";

const SCALE = Math.max(1, Number(process.env.PROPERTY_SCALE ?? 1));
const RUNS = 20 * SCALE;

const configs = mkdtempSync(join(tmpdir(), "hl-strategies-"));
const CONFIG = {
  search: join(configs, "search.yml"),
  full: join(configs, "full.yml"),
};
writeFileSync(CONFIG.search, "codebase:\n  index: search\n");
writeFileSync(CONFIG.full, "codebase:\n  index: full\n");
afterAll(() => rmSync(configs, { recursive: true, force: true }));

// Names overlap on purpose: `Store` inside `StoreFront`, a member that is also a class name.
const TYPES = ["Store", "StoreFront", "Ledger", "Importer", "RowReader", "Shade"];
const MEMBERS = ["load", "loadRows", "post", "record", "read_line", "Store", "value"];
const WORDS = [...TYPES, ...MEMBERS, "formatCents", "sync_inventory", "OldName"];

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
      [`export class ${name}${parent && parent !== name ? ` extends ${parent}` : ""} {`, ...list.map((m) => `  ${m}(): void {}`), "}", `// ${used} in a comment`, `export const x = ${used};`, ""].join(
        "\n",
      ),
    ),
  fc
    .tuple(type, members, base, word)
    .map(([name, list, parent, used]) =>
      [`class ${name}${parent && parent !== name ? `(${parent})` : ""}:`, `    """Was ${used}."""`, ...list.map((m) => `    def ${m}(self): return "${used}"`), "    pass", ""].join("\n"),
    ),
  fc.tuple(type, members, word).map(([name, list, used]) => ["package p", `type ${name} struct{}`, ...list.map((m) => `func (s *${name}) ${m}() { _ = ${used} }`), ""].join("\n")),
  fc.tuple(type, members, word).map(([name, list, used]) => [`pub struct ${name};`, `impl ${name} {`, ...list.map((m) => `    fn ${m}(&self) { ${used}(); }`), "}", `/// ${used}`, ""].join("\n")),
  fc.array(word, { maxLength: 4 }).map((list) => `Renamed ${list.join(" and ")}.\n`),
);
const EXTENSIONS = [".ts", ".py", ".go", ".rs", ".md"];
const files = fc.array(fc.tuple(fileText, fc.constantFrom("src", "lib", "docs")), { minLength: 1, maxLength: 8 }).map((list) => {
  const out: Record<string, string> = {};
  list.forEach(([text, dir], index) => {
    // The generator's shape says which language it is: pick the extension that parses it.
    const extension = text.startsWith("export") ? ".ts" : text.startsWith("class") ? ".py" : text.startsWith("package") ? ".go" : text.startsWith("pub") ? ".rs" : EXTENSIONS[4]!;
    out[`${dir}/f${index}${extension}`] = text;
  });
  return out;
});
const mention = fc.oneof(
  word,
  fc.tuple(type, member).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom("Gone", "MissingThing.load"),
  // One edit from a type: "did you mean" (unknown-name), answered from the bytes when cold and
  // from the kept near words when warm, where an edit may bring or take the type.
  fc.tuple(fc.constantFrom("StoreFrnt", "Ledgr", "Importr", "RowReder"), member).map(([a, b]) => `${a}.${b}`),
);
const rules = fc.uniqueArray(mention, { minLength: 1, maxLength: 8 }).map((list) => `# Rules\n\n${list.map((name) => `- Use \`${name}\`.`).join("\n")}\n`);

async function findings(dir: string, strategy: "search" | "full"): Promise<string[]> {
  const run = await lint({ cwd: dir, checks, configPath: CONFIG[strategy], only: new Set(["stale-symbol", "unknown-name"]) });
  return run.result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`);
}

function wipeCache(dir: string): void {
  rmSync(join(dir, ".git", "harness-lint"), { recursive: true, force: true });
}

describe("searched index and full index", () => {
  it(
    "report the same stale names, cold, warm, and after edits",
    async () => {
      await fc.assert(
        fc.asyncProperty(files, rules, files, rules, async (tree, claude, edits, newClaude) => {
          const dir: string = initRepo("hl-strategies-");
          try {
            commitStep(dir, { message: "initial", write: { ...tree, "CLAUDE.md": claude } });
            const full = await findings(dir, "full");
            wipeCache(dir);
            expect(await findings(dir, "search")).toEqual(full);
            // Warm: the saved search answers; new mentions and edited files update it.
            expect(await findings(dir, "search")).toEqual(full);
            for (const [path, text] of Object.entries(edits)) {
              mkdirSync(dirname(join(dir, path)), { recursive: true });
              writeFileSync(join(dir, path), text);
            }
            writeFileSync(join(dir, "CLAUDE.md"), newClaude);
            const warm = await findings(dir, "search");
            wipeCache(dir);
            expect(warm).toEqual(await findings(dir, "full"));
          } finally {
            removeRepo(dir);
          }
        }),
        { numRuns: RUNS },
      );
    },
    120_000 * SCALE,
  );
});

describe("searched index and full index on every fixture scenario", () => {
  const scenarios = readdirSync(join(FIXTURES, "checks"));
  it.each(scenarios)(
    "%s: the same findings",
    async (scenario) => {
      const dir: string = await buildFixtureRepo(join(FIXTURES, "checks", scenario));
      try {
        const run = async (index: "search" | "full") => {
          const result = await lint({ cwd: dir, checks, configPath: scenarioConfigWithIndex(dir, scenario, index, configs) });
          return result.result.findings.map((f) => `${f.check} ${f.file}:${f.line}:${f.column} ${f.message}`);
        };
        const full = await run("full");
        wipeCache(dir);
        expect(await run("search")).toEqual(full);
      } finally {
        removeRepo(dir);
      }
    },
    60_000,
  );
});
