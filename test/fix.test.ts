import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { commitStep, git, initRepo, removeRepo } from "../fixtures/lib/build-repo.mjs";
import { applyEdits, applyFixes, fixDiff, hashText, unifiedDiff, type CheckedTextEdit } from "../src/engine/fix.js";
import { lint } from "../src/engine/lint.js";
import { checks } from "../rules/index.js";
import { explainStaleFindings } from "../src/history/drift.js";
import { LineIndex } from "../src/shared/text.js";
import type { Finding } from "../src/harness/types.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

const BOM = "\uFEFF";
const IMPORTER = "export class UserImporter {\n  importRows(rows: string[]): number {\n    return rows.length;\n  }\n}\n";
const CSV = "export function parseCsv(text: string): string[][] {\n  return text.split(',').map((cell) => [cell]);\n}\n";
const MAIN = "import { UserImporter } from './import/importer.js';\n// UserImporter reads rows.\nnew UserImporter().importRows([]);\n";

/** A repo whose rule names `UserImporter` and `src/lib/csv.ts`, then a refactor renames both. */
function refactoredRepo(claude: string, extra: Record<string, string> = {}): string {
  const dir: string = initRepo("harness-lint-fix-");
  dirs.push(dir);
  commitStep(dir, { write: { "src/import/importer.ts": IMPORTER, "src/lib/csv.ts": CSV, "src/main.ts": MAIN, "CLAUDE.md": claude, ...extra } }, 1);
  commitStep(
    dir,
    {
      message: "refactor: rename importer, move csv",
      rename: [["src/lib/csv.ts", "src/io/csv.ts"]],
      write: {
        "src/import/importer.ts": IMPORTER.replace("UserImporter", "AccountImporter"),
        "src/main.ts": MAIN.replaceAll("UserImporter", "AccountImporter"),
      },
    },
    2,
  );
  return dir;
}

async function driftFindings(dir: string): Promise<Finding[]> {
  const run = await lint({ cwd: dir, checks, only: new Set(["stale-symbol", "stale-path"]) });
  return explainStaleFindings(run.result.root, run.result.findings, { isHarnessPath: run.model.isHarnessPath });
}

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      const path = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else files.set(path, readFileSync(join(dir, path), "latin1"));
    }
  };
  walk("");
  return files;
}

describe("applyFixes on a refactored repository", () => {
  const RULE = `${BOM}## Imports\r\n<!-- scope: src/** -->\r\nRows go through \`UserImporter\`.  \r\n\tKeep\ttabs and trailing spaces.   \r\nCSV: [the parser](src/lib/csv.ts#L1)\r\nNo newline at the end`;
  const FIXED = `${BOM}## Imports\r\n<!-- scope: src/** -->\r\nRows go through \`AccountImporter\`.  \r\n\tKeep\ttabs and trailing spaces.   \r\nCSV: [the parser](src/io/csv.ts#L1)\r\nNo newline at the end`;

  it("rewrites only the names, keeping BOM, CRLF and every other byte; a second lint is clean", async () => {
    const dir = refactoredRepo(RULE);
    const findings = await driftFindings(dir);
    expect(findings.filter((f) => f.fix !== undefined)).toHaveLength(2);
    const result = await applyFixes(dir, findings);
    expect(result).toEqual({ files: ["CLAUDE.md"], applied: 2, changed: [] });
    expect(readFileSync(join(dir, "CLAUDE.md"), "utf8")).toBe(FIXED);
    const again = await lint({ cwd: dir, checks, only: new Set(["stale-symbol", "stale-path"]) });
    expect(again.result.findings).toEqual([]);
  });

  it("fix twice = fix once: a second run has nothing to do and changes no byte", async () => {
    const dir = refactoredRepo(RULE);
    const findings = await driftFindings(dir);
    await applyFixes(dir, findings);
    const after = snapshot(dir);
    // The same (now stale) findings again, and a fresh lint + drift: both are no-ops.
    expect(await applyFixes(dir, findings)).toEqual({ files: [], applied: 0, changed: [] });
    expect(await applyFixes(dir, await driftFindings(dir))).toEqual({ files: [], applied: 0, changed: [] });
    expect(snapshot(dir)).toEqual(after);
  });

  it("never touches code files, even those that still say the old name in a comment", async () => {
    const dir = refactoredRepo(RULE, { "src/notes.ts": "// Formerly UserImporter, see src/lib/csv.ts\nexport const notes = 1;\n" });
    const before = snapshot(dir);
    await applyFixes(dir, await driftFindings(dir));
    const after = snapshot(dir);
    for (const [path, content] of before) if (path !== "CLAUDE.md") expect(after.get(path)).toBe(content);
  });

  it("leaves ambiguous and deleted names alone", async () => {
    const dir: string = initRepo("harness-lint-fix-");
    dirs.push(dir);
    const rule = "## Imports\nUse `UserImporter` and `src/lib/csv.ts`.\n";
    commitStep(dir, { write: { "src/import/importer.ts": IMPORTER, "src/lib/csv.ts": CSV, "src/keep.ts": "export const keep = 1;\n", "CLAUDE.md": rule } }, 1);
    commitStep(dir, { remove: ["src/lib/csv.ts"], write: { "src/import/importer.ts": "export class MemberImporter {}\n\nexport class GuestImporter {}\n" } }, 2);
    const findings = await driftFindings(dir);
    expect(findings.map((f) => f.suggestion?.candidates ?? f.suggestion?.replacement ?? "none")).toEqual([["GuestImporter", "MemberImporter"], "none"]);
    expect(await applyFixes(dir, findings)).toEqual({ files: [], applied: 0, changed: [] });
    expect(readFileSync(join(dir, "CLAUDE.md"), "utf8")).toBe(rule);
  });

  it("--fix-dry-run: a unified diff that `git apply` turns into exactly what --fix writes", async () => {
    const dir = refactoredRepo(RULE);
    const findings = await driftFindings(dir);
    const diff = await fixDiff(dir, findings);
    expect(readFileSync(join(dir, "CLAUDE.md"), "utf8")).toBe(RULE);
    expect(diff.startsWith("--- a/CLAUDE.md\n+++ b/CLAUDE.md\n@@ -1,6 +1,6 @@\n")).toBe(true);
    expect(diff).toContain("-Rows go through `UserImporter`.  \r\n+Rows go through `AccountImporter`.  \r\n");
    expect(diff).toContain("\\ No newline at end of file\n");
    writeFileSync(join(dir, "fix.patch"), diff);
    git(dir, ["apply", "fix.patch"]);
    expect(readFileSync(join(dir, "CLAUDE.md"), "utf8")).toBe(FIXED);
    expect(await fixDiff(dir, await driftFindings(dir))).toBe("");
  });
});

describe("applyFixes guards", () => {
  function scratch(): string {
    const dir = mkdtempSync(join(tmpdir(), "harness-lint-fix-guard-"));
    dirs.push(dir);
    return dir;
  }

  function fixing(file: string, edit: CheckedTextEdit): Finding {
    return { check: "stale-symbol", severity: "error", messageId: "missing", message: "m", file, line: edit.line, column: edit.column, fix: edit };
  }

  it("refuses paths outside the root, through `..` or a symlink", async () => {
    const parent = scratch();
    const root = join(parent, "repo");
    mkdirSync(root);
    writeFileSync(join(parent, "outside.md"), "Use `Old`.\n");
    symlinkSync(join(parent, "outside.md"), join(root, "LINKED.md"));
    const edit = { line: 1, column: 6, endLine: 1, endColumn: 9, text: "New" };
    const result = await applyFixes(root, [fixing("../outside.md", edit), fixing("LINKED.md", edit), fixing(join(parent, "outside.md"), edit)]);
    expect(result).toEqual({ files: [], applied: 0, changed: [] });
    expect(readFileSync(join(parent, "outside.md"), "utf8")).toBe("Use `Old`.\n");
  });

  it("refuses code files", async () => {
    const root = scratch();
    writeFileSync(join(root, "a.ts"), "const Old = 1;\n");
    const result = await applyFixes(root, [fixing("a.ts", { line: 1, column: 7, endLine: 1, endColumn: 10, text: "New" })]);
    expect(result.applied).toBe(0);
    expect(readFileSync(join(root, "a.ts"), "utf8")).toBe("const Old = 1;\n");
  });

  it("skips an edit that overlaps one before it, and one whose range no longer holds what was linted", async () => {
    const root = scratch();
    writeFileSync(join(root, "CLAUDE.md"), "abcdef\n");
    const result = await applyFixes(root, [
      fixing("CLAUDE.md", { line: 1, column: 1, endLine: 1, endColumn: 4, text: "X" }),
      fixing("CLAUDE.md", { line: 1, column: 3, endLine: 1, endColumn: 5, text: "Y" }),
      fixing("CLAUDE.md", { line: 1, column: 5, endLine: 1, endColumn: 7, text: "Z", before: "zz" } as CheckedTextEdit),
    ]);
    expect(result).toEqual({ files: ["CLAUDE.md"], applied: 1, changed: [] });
    expect(readFileSync(join(root, "CLAUDE.md"), "utf8")).toBe("Xdef\n");
  });

  it("skips edits computed on a different version of the file", async () => {
    const root = scratch();
    writeFileSync(join(root, "CLAUDE.md"), "Use `Old`.\n");
    const edit = { line: 1, column: 6, endLine: 1, endColumn: 9, text: "New", before: "Old", sourceHash: hashText("Use `Old`. (linted text)\n") };
    expect((await applyFixes(root, [fixing("CLAUDE.md", edit)])).applied).toBe(0);
  });

  it("rejects positions outside the line instead of spilling into the next one", () => {
    expect(applyEdits("ab\ncd\n", [{ line: 1, column: 4, endLine: 1, endColumn: 4, text: "X" }]).applied).toEqual([]);
    expect(applyEdits("ab\r\ncd\n", [{ line: 1, column: 3, endLine: 1, endColumn: 3, text: "X" }]).text).toBe("abX\r\ncd\n");
    expect(applyEdits("ab\ncd", [{ line: 3, column: 1, endLine: 3, endColumn: 1, text: "X" }]).applied).toEqual([]);
  });
});

// ---- properties --------------------------------------------------------------------------------

/** Texts from pieces, so CRLF pairs and surrogate pairs are never split by a cut. */
const PIECES = ["a", "b", "Z", " ", "\t", "`", "é", "😀", "\n", "\r\n", "\r", "#", "/"];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 });
const replacementArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((pieces) => pieces.join(""));

interface Case {
  text: string;
  edits: CheckedTextEdit[];
  expected: string;
}

/** Random non-overlapping edits over a random text, and the text they must produce. */
const caseArb: fc.Arbitrary<Case> = textArb.chain((pieces) => {
  // Cut points between pieces, except inside a `\r` + `\n` pair: that is one line break.
  const boundaries: number[] = [0];
  let offset = 0;
  pieces.forEach((piece, i) => {
    offset += piece.length;
    if (!(piece === "\r" && pieces[i + 1] === "\n")) boundaries.push(offset);
  });
  const text = pieces.join("");
  return fc
    .uniqueArray(fc.integer({ min: 0, max: boundaries.length - 1 }), { maxLength: 8 })
    .chain((cuts) => {
      const sorted = [...cuts].sort((a, b) => a - b);
      const ranges: Array<[number, number]> = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push([boundaries[sorted[i]!]!, boundaries[sorted[i + 1]!]!]);
      return fc.tuple(fc.constant(ranges), fc.array(replacementArb, { minLength: ranges.length, maxLength: ranges.length }));
    })
    .map(([ranges, replacements]) => {
      const lines = new LineIndex(text);
      const hash = hashText(text);
      const edits = ranges.map(([start, end], i) => {
        const from = lines.position(start);
        const to = lines.position(end);
        return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column, text: replacements[i]!, before: text.slice(start, end), sourceHash: hash };
      });
      let expected = "";
      let cursor = 0;
      ranges.forEach(([start, end], i) => {
        expected += text.slice(cursor, start) + replacements[i]!;
        cursor = end;
      });
      expected += text.slice(cursor);
      return { text, edits, expected };
    });
});

describe("applyEdits properties", () => {
  it("changes exactly the edited spans, in any order the edits arrive", () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), ({ text, edits, expected }, reverse) => {
        const ordered = reverse ? [...edits].reverse() : edits;
        expect(applyEdits(text, ordered).text).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("is idempotent: applying the same edits to the result changes nothing", () => {
    fc.assert(
      fc.property(caseArb, ({ text, edits }) => {
        const once = applyEdits(text, edits).text;
        expect(applyEdits(once, edits).text).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it("on disk: keeps the BOM, writes the expected bytes, and a second run applies nothing", async () => {
    const root = mkdtempSync(join(tmpdir(), "harness-lint-fix-prop-"));
    dirs.push(root);
    await fc.assert(
      fc.asyncProperty(caseArb, fc.boolean(), async ({ text, edits, expected }, bom) => {
        const file = join(root, "AGENTS.md");
        writeFileSync(file, (bom ? BOM : "") + text);
        const findings = edits.map((fix): Finding => ({ check: "stale-path", severity: "error", messageId: "missingFile", message: "m", file: "AGENTS.md", line: fix.line, column: fix.column, fix }));
        await applyFixes(root, findings);
        expect(readFileSync(file, "utf8")).toBe((bom ? BOM : "") + expected);
        const second = await applyFixes(root, findings);
        expect(readFileSync(file, "utf8")).toBe((bom ? BOM : "") + expected);
        if (expected !== text) expect(second.applied).toBe(0);
        rmSync(file);
      }),
      { numRuns: 100 },
    );
  });

  it("the dry-run diff, applied as a patch, turns the old text into the new one", () => {
    fc.assert(
      fc.property(caseArb, ({ text, expected }) => {
        const diff = unifiedDiff("AGENTS.md", text, expected);
        if (text === expected) expect(diff).toBe("");
        else expect(applyPatch(text, diff)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

/** A strict little `patch`: every context and removed line must match where the hunk says. */
function applyPatch(text: string, diff: string): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const patch = diff.split(/(?<=\n)/);
  expect(patch[0]).toBe("--- a/AGENTS.md\n");
  expect(patch[1]).toBe("+++ b/AGENTS.md\n");
  const out: string[] = [];
  let cursor = 0;
  let k = 2;
  while (k < patch.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$/.exec(patch[k]!);
    if (!header) throw new Error(`bad hunk header ${JSON.stringify(patch[k])}`);
    const oldStart = Number(header[1]) - (header[2] === "0" ? 0 : 1);
    out.push(...lines.slice(cursor, oldStart));
    cursor = oldStart;
    k++;
    while (k < patch.length && !patch[k]!.startsWith("@@")) {
      let body = patch[k]!.slice(1);
      const marker = patch[k]![0];
      if (patch[k + 1] === "\\ No newline at end of file\n") {
        body = body.slice(0, -1);
        k++;
      }
      if (marker === " " || marker === "-") {
        expect(lines[cursor]).toBe(body);
        cursor++;
      }
      if (marker === " " || marker === "+") out.push(body);
      k++;
    }
  }
  out.push(...lines.slice(cursor));
  return out.join("");
}
