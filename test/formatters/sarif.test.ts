import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { TOOL_VERSION } from "../../src/shared/meta.js";
import { formatSarif, type SarifLog } from "../../src/formatters/sarif.js";
import type { CheckInfo, LintResult } from "../../src/formatters/types.js";
import type { Finding } from "../../src/harness/types.js";

// ajv-formats is CommonJS with `module.exports = plugin`; the types describe the ESM default.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as unknown as FormatsPlugin;

/**
 * sarif-schema-2.1.0.json is the official OASIS SARIF 2.1.0 schema (Errata 01, OASIS Standard),
 * copied byte for byte from github.com/oasis-tcs/sarif-spec, file sarif-2.1/schema/sarif-schema-2.1.0.json
 * (commit e0583813964ec43cea53b6b531b402866095ed1f; sha256 c3b4bb2d…682e), published as
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json.
 * It declares draft-04; ajv 8 speaks draft-07, so the draft-04 markers (`$schema`, `id`) are
 * swapped in memory. Nothing else differs between the drafts for this schema: it uses no
 * boolean exclusiveMinimum/exclusiveMaximum, which the test below asserts.
 */
const SCHEMA_PATH = new URL("./sarif-schema-2.1.0.json", import.meta.url);

let validate: ValidateFunction;

beforeAll(() => {
  const text = readFileSync(SCHEMA_PATH, "utf8");
  expect(text).not.toMatch(/exclusiveM(in|ax)imum/);
  const { $schema, id, ...schema } = JSON.parse(text) as Record<string, unknown>;
  expect($schema).toBe("http://json-schema.org/draft-04/schema#");
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  validate = ajv.compile({ ...schema, $id: String(id) });
});

function expectValid(log: unknown): void {
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const SHA = "abc1234def5678abc1234def5678abc1234def56";

const CHECKS: CheckInfo[] = [
  {
    id: "stale-symbol",
    description: "Names in rules that no longer exist in the code",
    defaultSeverity: "error",
    docsUrl: "https://example.test/docs/checks/stale-symbol.md",
    help: "# stale-symbol\n\nRename the mention.",
  },
  {
    id: "unscoped-rule",
    description: "Rules that say nowhere what they govern",
    defaultSeverity: "warn",
    docsUrl: "https://example.test/docs/checks/unscoped-rule.md",
    help: "",
  },
];

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    check: "stale-symbol",
    severity: "error",
    messageId: "missing",
    message: "`UserImporter` no longer exists",
    file: "CLAUDE.md",
    line: 12,
    column: 7,
    endLine: 12,
    endColumn: 21,
    item: "CLAUDE.md#imports",
    mention: "UserImporter",
    ...overrides,
  };
}

function sarif(findings: Finding[], root = "/work/repo"): SarifLog {
  const result: LintResult = {
    root,
    findings,
    summary: { errors: 0, warnings: 0, items: 0, postmortems: 0, files: 0 },
  };
  return JSON.parse(formatSarif(result, { color: false, checks: CHECKS })) as SarifLog;
}

function run(log: SarifLog): SarifLog["runs"][number] {
  expect(log.runs).toHaveLength(1);
  return log.runs[0]!;
}

function fingerprintsOf(log: SarifLog): string[] {
  return run(log).results.map((result) => result.partialFingerprints["harnessLint/v1"]!);
}

describe("sarif formatter", () => {
  it("produces a log the official SARIF 2.1.0 schema accepts, with and without results", () => {
    expectValid(sarif([]));
    expectValid(
      sarif([
        finding({
          suggestion: { replacement: "AccountImporter", commit: SHA, date: "2026-11-20", subject: "rename" },
          fix: { line: 12, column: 7, endLine: 12, endColumn: 21, text: "AccountImporter" },
          hint: "Rename it",
        }),
        finding({ check: "unscoped-rule", severity: "warn", mention: undefined, endLine: undefined, endColumn: undefined }),
        finding({ check: "not-registered", file: "docs/my notes/ü#1.md", commit: SHA }),
      ]),
    );
  });

  it("is checked by a validator that rejects broken logs", () => {
    const log = sarif([finding()]);
    const broken = structuredClone(log);
    (broken.runs[0]!.results[0] as { level: string }).level = "warn";
    expect(validate(broken)).toBe(false);
  });

  it("describes the tool, the source root and the column unit", () => {
    const log = sarif([], "/work/my repo");
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    const { tool, originalUriBaseIds, columnKind } = run(log);
    expect(tool.driver).toMatchObject({
      name: "harness-lint",
      version: TOOL_VERSION,
      informationUri: "https://github.com/harness-lint/harness-lint",
    });
    expect(originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///work/my%20repo/" } });
    expect(columnKind).toBe("utf16CodeUnits");
  });

  it("lists one rule per check with docs, help and default level", () => {
    const [staleSymbol, unscoped] = run(sarif([])).tool.driver.rules;
    expect(run(sarif([])).tool.driver.rules).toHaveLength(2);
    expect(staleSymbol).toEqual({
      id: "stale-symbol",
      name: "StaleSymbol",
      shortDescription: { text: CHECKS[0]!.description },
      fullDescription: { text: CHECKS[0]!.description },
      helpUri: CHECKS[0]!.docsUrl,
      help: { text: CHECKS[0]!.help, markdown: CHECKS[0]!.help },
      defaultConfiguration: { level: "error" },
    });
    expect(unscoped!.defaultConfiguration).toEqual({ level: "warning" });
    // Empty help still gives viewers something to show: the description and the docs link.
    expect(unscoped!.help.text).toContain(CHECKS[1]!.docsUrl);
  });

  it("points every result's ruleIndex at the rule with its ruleId, adding rules for unlisted checks", () => {
    const { results, tool } = run(sarif([finding({ check: "unscoped-rule", severity: "warn" }), finding(), finding({ check: "not-registered" })]));
    for (const result of results) {
      expect(tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    }
    expect(results.map((result) => result.level)).toEqual(["warning", "error", "error"]);
    expect(tool.driver.rules.map((rule) => rule.id)).toEqual(["stale-symbol", "unscoped-rule", "not-registered"]);
  });

  it("locates results relative to %SRCROOT% with percent-encoded URIs and the finding's region", () => {
    const [result] = run(sarif([finding({ file: "docs/my notes/ü#1.md" })])).results;
    expect(result!.message).toEqual({ text: "`UserImporter` no longer exists" });
    expect(result!.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "docs/my%20notes/%C3%BC%231.md", uriBaseId: "%SRCROOT%" },
          region: { startLine: 12, startColumn: 7, endLine: 12, endColumn: 21 },
        },
      },
    ]);
  });

  it("keeps fingerprints when only the position changes", () => {
    const before = fingerprintsOf(sarif([finding(), finding({ mention: undefined, message: "no mention" })]));
    const after = fingerprintsOf(sarif([finding({ line: 40, endLine: 40, column: 2, endColumn: 16 }), finding({ mention: undefined, message: "no mention", line: 41, endLine: 41 })]));
    expect(after).toEqual(before);
    expect(before[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes fingerprints with check, file, item or mention, and with the message only without a mention", () => {
    const [base, ...others] = fingerprintsOf(
      sarif([finding(), finding({ check: "stale-path" }), finding({ file: "AGENTS.md" }), finding({ item: "CLAUDE.md#other" }), finding({ mention: "OtherName" })]),
    );
    for (const other of others) expect(other).not.toBe(base);

    // Separate logs: within one log, equal identities are numbered apart (tested below).
    const [withMention] = fingerprintsOf(sarif([finding()]));
    const [reworded] = fingerprintsOf(sarif([finding({ message: "reworded" })]));
    expect(reworded).toBe(withMention);

    const [first, second] = fingerprintsOf(sarif([finding({ mention: undefined, message: "one" }), finding({ mention: undefined, message: "two" })]));
    expect(second).not.toBe(first);
  });

  it("gives repeated findings distinct fingerprints, numbered in line order", () => {
    const prints = fingerprintsOf(sarif([finding({ line: 30 }), finding({ line: 10 })]));
    expect(new Set(prints).size).toBe(2);
    // Moving both lines keeps each fingerprint with the occurrence at the same rank.
    const moved = fingerprintsOf(sarif([finding({ line: 35 }), finding({ line: 15 })]));
    expect(moved).toEqual(prints);
  });

  it("adds fixes only for findings with a fix", () => {
    const fix = { line: 12, column: 7, endLine: 12, endColumn: 21, text: "AccountImporter" };
    const [withFix, withoutFix] = run(sarif([finding({ fix }), finding({ line: 13 })])).results;
    expect(withoutFix!.fixes).toBeUndefined();
    expect(withFix!.fixes).toHaveLength(1);
    expect(withFix!.fixes![0]!.artifactChanges).toEqual([
      {
        artifactLocation: { uri: "CLAUDE.md", uriBaseId: "%SRCROOT%" },
        replacements: [
          {
            deletedRegion: { startLine: 12, startColumn: 7, endLine: 12, endColumn: 21 },
            insertedContent: { text: "AccountImporter" },
          },
        ],
      },
    ]);
  });

  it("carries suggestion and other non-SARIF data in properties", () => {
    const suggestion = { replacement: "AccountImporter", commit: SHA, date: "2026-11-20", subject: "rename" };
    const [result] = run(sarif([finding({ suggestion, commit: SHA })])).results;
    expect(result!.properties).toEqual({ item: "CLAUDE.md#imports", mention: "UserImporter", suggestion, commit: SHA });
    const [bare] = run(sarif([finding({ item: undefined, mention: undefined })])).results;
    expect(bare!.properties).toBeUndefined();
  });
});
