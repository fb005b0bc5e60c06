import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic, writeFileAtomicSync } from "../src/shared/atomic-write.js";
import { applyBaseline, createBaseline, readBaseline, writeBaseline, type Baseline } from "../src/engine/baseline.js";
import { isUserError } from "../src/shared/errors.js";
import type { Finding } from "../src/harness/types.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "harness-lint-baseline-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    check: "stale-symbol",
    severity: "error",
    messageId: "missing",
    message: "`UserImporter` no longer exists",
    file: "CLAUDE.md",
    line: 12,
    column: 7,
    item: "CLAUDE.md#imports",
    mention: "UserImporter",
    ...overrides,
  };
}

function userErrorFrom(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return error as Error;
  }
  throw new Error("expected a UserError");
}

describe("createBaseline", () => {
  it("counts findings with the same identity and keeps the message only without a mention", () => {
    const baseline = createBaseline([finding({ line: 3 }), finding({ line: 9, message: "different wording" }), finding({ check: "unscoped-rule", mention: undefined, message: "Rule has no scope" })]);
    expect(baseline).toEqual({
      version: 1,
      entries: [
        { check: "stale-symbol", file: "CLAUDE.md", item: "CLAUDE.md#imports", mention: "UserImporter", count: 2 },
        { check: "unscoped-rule", file: "CLAUDE.md", item: "CLAUDE.md#imports", message: "Rule has no scope", count: 1 },
      ],
    });
    expect(Object.keys(baseline.entries[0]!)).toEqual(["check", "file", "item", "mention", "count"]);
  });

  it("sorts entries so the same findings in any order give the same baseline", () => {
    const findings = [
      finding({ file: "b.md" }),
      finding({ file: "a.md", mention: "Z" }),
      finding({ file: "a.md", mention: "A" }),
      finding({ check: "dead-scope", item: undefined, mention: undefined, message: "m" }),
    ];
    const forward = createBaseline(findings);
    expect(createBaseline([...findings].reverse())).toEqual(forward);
    expect(forward.entries.map((entry) => [entry.check, entry.file, entry.mention])).toEqual([
      ["dead-scope", "CLAUDE.md", undefined],
      ["stale-symbol", "a.md", "A"],
      ["stale-symbol", "a.md", "Z"],
      ["stale-symbol", "b.md", "UserImporter"],
    ]);
  });
});

describe("applyBaseline", () => {
  it("suppresses recorded findings even after they move to other lines", () => {
    const baseline = createBaseline([finding({ line: 12 }), finding({ check: "unscoped-rule", mention: undefined, message: "Rule has no scope", line: 1 })]);
    const moved = [finding({ line: 40, column: 3 }), finding({ check: "unscoped-rule", mention: undefined, message: "Rule has no scope", line: 30 })];
    expect(applyBaseline(moved, baseline)).toEqual([]);
  });

  it("reports findings whose check, file, item or mention differ", () => {
    const baseline = createBaseline([finding()]);
    const fresh = [finding({ check: "stale-path" }), finding({ file: "AGENTS.md" }), finding({ item: "CLAUDE.md#other" }), finding({ mention: "OtherName" }), finding({ mention: undefined })];
    expect(applyBaseline(fresh, baseline)).toEqual(fresh);
  });

  it("matches mentionless findings by message", () => {
    const recorded = finding({ mention: undefined, message: "one" });
    const baseline = createBaseline([recorded]);
    const other = finding({ mention: undefined, message: "two" });
    expect(applyBaseline([recorded, other], baseline)).toEqual([other]);
  });

  it("reports only the excess over the recorded count, the later ones by position", () => {
    const baseline = createBaseline([finding({ line: 5 }), finding({ line: 8 })]);
    const third = finding({ line: 20 });
    const now = [third, finding({ line: 6 }), finding({ line: 10 })];
    expect(applyBaseline(now, baseline)).toEqual([third]);

    const sameLine = [finding({ line: 6, column: 9 }), finding({ line: 6, column: 2 }), finding({ line: 6, column: 4 })];
    expect(applyBaseline(sameLine, baseline)).toEqual([sameLine[0]]);
  });

  it("keeps the input order of the findings it reports", () => {
    const baseline: Baseline = { version: 1, entries: [] };
    const findings = [finding({ line: 9 }), finding({ line: 1 })];
    expect(applyBaseline(findings, baseline)).toEqual(findings);
  });
});

describe("writeBaseline and readBaseline", () => {
  it("round-trips a baseline through a file, creating missing folders", () => {
    const path = join(dir, "nested", "folder", "baseline.json");
    const baseline = createBaseline([finding(), finding({ line: 30 }), finding({ mention: undefined, message: "m" })]);
    writeBaseline(path, baseline);
    expect(readBaseline(path)).toEqual(baseline);
    const text = readFileSync(path, "utf8");
    expect(text).toBe(`${JSON.stringify(baseline, null, 2)}\n`);
    expect(readdirSync(join(dir, "nested", "folder"))).toEqual(["baseline.json"]);
  });

  it("overwrites an existing baseline", () => {
    const path = join(dir, "baseline.json");
    writeBaseline(path, createBaseline([finding()]));
    writeBaseline(path, createBaseline([]));
    expect(readBaseline(path)).toEqual({ version: 1, entries: [] });
  });

  it("names the file in a one-line UserError when the file is missing", () => {
    const path = join(dir, "missing.json");
    const error = userErrorFrom(() => readBaseline(path));
    expect(error.message).toContain(path);
    expect(error.message).toContain("does not exist");
    expect(error.message).not.toContain("\n");
  });

  it("names the file in a one-line UserError when the file is not JSON", () => {
    const path = join(dir, "broken.json");
    writeFileSync(path, "{ not json\n\n");
    const error = userErrorFrom(() => readBaseline(path));
    expect(error.message).toContain(path);
    expect(error.message).toContain("not valid JSON");
    expect(error.message).not.toContain("\n");
  });

  it.each([
    ["an array", []],
    ["another version", { version: 2, entries: [] }],
    ["entries missing", { version: 1 }],
    ["a count of zero", { version: 1, entries: [{ check: "c", file: "f", count: 0 }] }],
    ["a non-string file", { version: 1, entries: [{ check: "c", file: 3, count: 1 }] }],
  ])("names the file and the problem in a one-line UserError for %s", (_, content) => {
    const path = join(dir, "shape.json");
    writeFileSync(path, JSON.stringify(content));
    const error = userErrorFrom(() => readBaseline(path));
    expect(error.message).toContain(path);
    expect(error.message).toContain("is not a harness-lint baseline");
    expect(error.message).not.toContain("\n");
  });

  it("reports the location of a shape problem", () => {
    const path = join(dir, "shape.json");
    writeFileSync(path, JSON.stringify({ version: 1, entries: [{ check: "c", file: "f", count: 1 }, { check: "c" }] }));
    expect(userErrorFrom(() => readBaseline(path)).message).toContain("entries.1.file");
  });

  it("turns a write failure into a UserError naming the file", () => {
    const path = join(dir, "taken");
    mkdirSync(path);
    const error = userErrorFrom(() => writeBaseline(path, createBaseline([])));
    expect(error.message).toContain(path);
    expect(error.message).not.toContain("\n");
  });
});

describe("writeFileAtomic", () => {
  it("writes text and bytes, leaving no temporary files", async () => {
    const path = join(dir, "out.txt");
    writeFileAtomicSync(path, "sync");
    expect(readFileSync(path, "utf8")).toBe("sync");
    await writeFileAtomic(path, new TextEncoder().encode("async"));
    expect(readFileSync(path, "utf8")).toBe("async");
    expect(readdirSync(dir)).toEqual(["out.txt"]);
  });

  it("removes the temporary file and rethrows when the rename fails", async () => {
    const path = join(dir, "a-directory");
    mkdirSync(path);
    expect(() => writeFileAtomicSync(path, "x")).toThrow();
    await expect(writeFileAtomic(path, "x")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["a-directory"]);
  });

  it.skipIf(process.platform === "win32")("keeps the permissions of the file it replaces", async () => {
    const path = join(dir, "script.sh");
    writeFileSync(path, "old");
    chmodSync(path, 0o750);
    writeFileAtomicSync(path, "new");
    expect(statSync(path).mode & 0o777).toBe(0o750);
    chmodSync(path, 0o640);
    await writeFileAtomic(path, "newer");
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});
