import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { JsonFinding } from "../helpers/cli.js";
import { FIXTURES, runScenario, type ScenarioResult } from "../helpers/fixtures.js";

const SCENARIO = "checks/stale-symbol";
const CLAUDE = readFileSync(join(FIXTURES, SCENARIO, "tree", "CLAUDE.md"), "utf8").split("\n");

/** The one finding on a line, with the 1-based line and column where `text` starts there. */
function at(findings: JsonFinding[], text: string): { finding: JsonFinding; line: number; column: number } {
  const index = CLAUDE.findIndex((line) => line.includes(text) && line.includes("expect: stale-symbol"));
  expect(index, `no marked line contains ${text}`).toBeGreaterThanOrEqual(0);
  const onLine = findings.filter((f) => f.file === "CLAUDE.md" && f.line === index + 1);
  expect(onLine, `findings on line ${index + 1}`).toHaveLength(1);
  return { finding: onLine[0]!, line: index + 1, column: CLAUDE[index]!.indexOf(text) + 1 };
}

describe("stale-symbol", () => {
  let result: ScenarioResult;
  beforeAll(async () => {
    result = await runScenario(SCENARIO);
  }, 60_000);

  it("fires exactly on the marked lines, and nowhere else", () => {
    expect(result.actual).toEqual(result.expected);
    expect(result.expected.length).toBeGreaterThanOrEqual(15);
  });

  it("names a class renamed in history, at its code span, with the rule's ref", () => {
    const { finding, line, column } = at(result.findings, "`UserImporter`");
    expect(finding).toMatchObject({
      severity: "error",
      mention: "UserImporter",
      message: expect.stringMatching(
        /^`UserImporter` no longer exists in the codebase: it was in `src\/import\/user-importer\.ts` at [0-9a-f]{7}, when this rule was written; [0-9a-f]{7} (?:removed|deleted) it$/,
      ),
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      item: "CLAUDE.md#importing",
      line,
      column,
      endLine: line,
      endColumn: column + "`UserImporter`".length,
    });
    // The finding's commit is the one that removed the name, not the one that wrote the rule.
    const [, written, removed] = /at ([0-9a-f]{7}), when this rule was written; ([0-9a-f]{7}) removed it$/.exec(finding.message)!;
    expect(removed).not.toBe(written);
    expect(finding.commit!.startsWith(removed!)).toBe(true);
  });

  it("says which member a declared class lacks", () => {
    const { finding } = at(result.findings, "`AccountImporter.loadRows`");
    expect(finding.mention).toBe("AccountImporter.loadRows");
    expect(finding.message).toMatch(
      /^`AccountImporter.loadRows` no longer exists: `AccountImporter` has no member `loadRows`: it was in `src\/legacy\/account\.ts` at [0-9a-f]{7}, when this rule was written; [0-9a-f]{7} (?:removed|deleted) it$/,
    );
  });

  it("reads a leading-dot member as a member of the class named before it", () => {
    const { finding, column } = at(result.findings, "`.flushAll()`");
    expect(finding.mention).toBe("AccountImporter.flushAll");
    expect(finding.column).toBe(column);
    expect(finding.message).toContain("`AccountImporter` has no member `flushAll`");
  });

  it("checks members of an enum and of a class with a local base class", () => {
    expect(at(result.findings, "`Status.Archived`").finding.mention).toBe("Status.Archived");
    expect(at(result.findings, "`OrderStore.purge()`").finding.mention).toBe("OrderStore.purge");
  });

  it("checks members of a repository class that shares a platform name", () => {
    expect(at(result.findings, "`Task.cancel()`").finding.message).toContain("`Task` has no member `cancel`");
  });

  it("counts names that occur only in TS comments or strings as gone", () => {
    expect(at(result.findings, "`LegacyMailer`").finding.mention).toBe("LegacyMailer");
    expect(at(result.findings, "`OldFormatter`").finding.mention).toBe("OldFormatter");
  });

  it("checks decorators and generic type names by their bare name", () => {
    expect(at(result.findings, "`@Cacheable`").finding.mention).toBe("Cacheable");
    expect(at(result.findings, "`LegacyResult<T>`").finding.mention).toBe("LegacyResult");
  });

  it("reports a stale name in the preamble without an item", () => {
    const { finding } = at(result.findings, "`ShopBootstrap.start()`");
    expect(finding.mention).toBe("ShopBootstrap.start");
    expect(finding.message).toMatch(/^`ShopBootstrap.start` no longer exists in the codebase: it was in `src\/legacy\/shop\.ts` at [0-9a-f]{7}/);
    expect(finding.item).toBeUndefined();
  });

  it("never reports names offered as examples, placeholders, old names or external APIs", () => {
    const mentions = new Set(result.findings.map((f) => f.mention));
    for (const name of [
      "FooService",
      "OrderRepo",
      "SettingsPanel",
      "CheckoutFlow",
      "fooBar",
      "MyComponent",
      "useEffect",
      "dangerouslySetInnerHTML",
      "createExecutionContext",
      "introspectWorkflow",
      "BillingEngineV2",
      "VendoredParser",
      "GoneImporter",
      "Widget.on",
      "Request.body",
      "React.FC",
      "SHOP_API_TOKEN",
      "comment_on_shop_issue",
      "CLOUDFLARE_CLIENT_ID",
      "appendFetchMetadata",
      "AcountImporter",
    ]) {
      expect(mentions.has(name), name).toBe(false);
    }
  });
});

describe("stale-symbol with symbols.fenced", () => {
  it("checks the classes and constants a code snippet uses but does not declare", async () => {
    const { expected, actual, findings } = await runScenario("checks/stale-symbol-fenced");
    expect(actual).toEqual(expected);
    const source = readFileSync(join(FIXTURES, "checks/stale-symbol-fenced/tree/CLAUDE.md"), "utf8").split("\n");
    const legacy = findings.find((f) => f.mention === "LegacyClient");
    expect(legacy, "LegacyClient in the indented block").toBeDefined();
    // The block sits in a list item: the column counts the indent the block's value drops.
    expect(legacy!.column).toBe(source[legacy!.line - 1]!.indexOf("LegacyClient") + 1);
    expect(findings.find((f) => f.mention === "AccountImporter.loadRows")?.message).toContain("has no member `loadRows`");
  }, 60_000);
});

describe("stale-symbol in Python, Go and Rust", () => {
  let result: ScenarioResult;
  beforeAll(async () => {
    result = await runScenario("checks/stale-symbol-languages");
  }, 60_000);

  it("fires exactly on the marked lines, and nowhere else", () => {
    expect(result.actual).toEqual(result.expected);
  });

  it("reports member renames in each language against the container's members", () => {
    const messages = new Map(result.findings.map((f) => [f.mention, f.message]));
    expect(messages.get("ReportBuilder.import_rows")).toContain("`ReportBuilder.import_rows` no longer exists: `ReportBuilder` has no member `import_rows`");
    expect(messages.get("FeedFetcher.FetchAll")).toContain("`FeedFetcher` has no member `FetchAll`");
    expect(messages.get("LineParser::parse_line")).toContain("`LineParser` has no member `parse_line`");
    expect(messages.get("Shade.PURPLE")).toContain("`Shade` has no member `PURPLE`");
    expect(messages.get("Token::Symbol")).toContain("`Token` has no member `Symbol`");
  });

  it("lets no changelog, docstring, comment, text file or baseline keep an old name alive", () => {
    const mentions = new Set(result.findings.map((f) => f.mention));
    for (const name of ["UserImporter", "LegacyReport", "OldSettings"]) expect(mentions.has(name), name).toBe(true);
  });

  it("is explained by --drift: the renamed member in each language, and the commit that removed the rest", async () => {
    const { findings } = await runScenario("checks/stale-symbol-languages", ["--drift"]);
    const replacement = (mention: string) => (findings.find((f) => f.mention === mention) as { suggestion?: { replacement?: string } } | undefined)?.suggestion?.replacement;
    expect(replacement("ReportBuilder.import_rows")).toBe("ReportBuilder.load_rows");
    expect(replacement("FeedFetcher.FetchAll")).toBe("FeedFetcher.FetchEvery");
    expect(replacement("LineParser::parse_line")).toBe("LineParser::read_line");
    // A changelog line adding the enum member's name back does not hide its removal.
    const purple = findings.find((f) => f.mention === "Shade.PURPLE") as { suggestion?: { subject?: string } } | undefined;
    expect(purple?.suggestion?.subject).toBe("refactor: rename members in every language");
  }, 60_000);
});
