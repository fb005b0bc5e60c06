import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { citedTrailerValues, parseTrailers, stripComments, trailerValues } from "../../src/history/trailers.js";

/** What `git interpret-trailers --parse` prints for a message, as key/value pairs. */
function gitParse(message: string): Array<{ key: string; value: string }> {
  const out = execFileSync("git", ["interpret-trailers", "--parse"], {
    input: message,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  });
  return out
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const colon = line.indexOf(":");
      return { key: line.slice(0, colon), value: line.slice(colon + 1).trim() };
    });
}

describe("parseTrailers", () => {
  it("reads the last paragraph's Key: value lines", () => {
    expect(parseTrailers("Fix the rule\n\nBody text.\n\nPost-Mortem: PM-0007\nSigned-off-by: A <a@b>\n")).toEqual([
      { key: "Post-Mortem", value: "PM-0007" },
      { key: "Signed-off-by", value: "A <a@b>" },
    ]);
  });

  it("never reads the subject paragraph, nor a paragraph that is not the last", () => {
    expect(parseTrailers("Post-Mortem: PM-1\n")).toEqual([]);
    expect(parseTrailers("Subject\n\nPost-Mortem: PM-1\n\nJust prose at the end.\n")).toEqual([]);
  });

  it("folds continuation lines into one value", () => {
    expect(parseTrailers("Subject\n\nPost-Mortem: docs/postmortems/\n  2026-10-02-import.md\nReviewed-by: B\n")).toEqual([
      { key: "Post-Mortem", value: "docs/postmortems/ 2026-10-02-import.md" },
      { key: "Reviewed-by", value: "B" },
    ]);
  });

  it("reads CRLF messages as LF ones", () => {
    expect(trailerValues("Subject\r\n\r\nBody.\r\n\r\nPost-Mortem: PM-0003\r\nPost-Mortem: PM-0004\r\n", "Post-Mortem")).toEqual(["PM-0003", "PM-0004"]);
  });

  it("matches keys case-insensitively and allows blanks before the colon", () => {
    expect(trailerValues("S\n\npost-mortem : PM-1\nPOST-MORTEM: PM-2\n", "Post-Mortem")).toEqual(["PM-1", "PM-2"]);
  });

  it("accepts a mixed last paragraph only with a recognised trailer and 25% trailer lines", () => {
    const mixed = "S\n\nSome prose line\nPost-Mortem: PM-1\n";
    expect(parseTrailers(mixed)).toEqual([]);
    expect(trailerValues(mixed, "Post-Mortem")).toEqual(["PM-1"]);
    expect(parseTrailers("S\n\nprose\nSigned-off-by: A\n").map((t) => t.key)).toEqual(["Signed-off-by"]);
  });

  it("stops at a --- divider and ignores comment lines", () => {
    expect(trailerValues("S\n\nPost-Mortem: PM-1\n---\nnotes: x\n", "Post-Mortem")).toEqual(["PM-1"]);
    expect(trailerValues("S\n\nPost-Mortem: PM-1\n# Post-Mortem: PM-2\n", "Post-Mortem")).toEqual(["PM-1"]);
  });

  it("agrees with git interpret-trailers --parse", () => {
    const line = fc.oneof(
      fc.constantFrom("Post-Mortem: PM-0001", "Signed-off-by: A <a@b.c>", "Key : spaced", "(cherry picked from commit abc)", "  folded more", "\tfolded tab"),
      fc.constantFrom("", "plain prose", "another: line with colon", "# comment", "---", "x:y", "-: odd", "Fixes: 123"),
    );
    const message = fc.tuple(fc.constantFrom("Subject", "Subject line\ncontinued"), fc.array(line, { maxLength: 8 }), fc.constantFrom("\n", "\r\n"));
    fc.assert(
      fc.property(message, ([subject, lines, eol]) => {
        const text = [subject, "", ...lines].join("\n").replace(/\n/g, eol) + eol;
        // git keeps a CR inside a folded value; we read CRLF as LF, which is what a user means.
        const expected = gitParse(text.replace(/\r\n/g, "\n"));
        expect(parseTrailers(text)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe("citedTrailerValues", () => {
  it("reads every trailer of a squash-merge message, one paragraph per squashed commit", () => {
    const squash = [
      "Tighten the import rules (#42)",
      "",
      "* Orient before editing",
      "",
      "Post-Mortem: PM-0001",
      "",
      "* Add the money rule",
      "",
      "Post-Mortem: PM-0002",
      "Post-Mortem: docs/postmortems/2026-10-03-x.md",
      "Co-authored-by: B <b@c.d>",
      "",
    ].join("\n");
    expect(trailerValues(squash, "Post-Mortem")).toEqual(["PM-0002", "docs/postmortems/2026-10-03-x.md"]);
    expect(citedTrailerValues(squash, "Post-Mortem")).toEqual(["PM-0002", "docs/postmortems/2026-10-03-x.md", "PM-0001"]);
  });

  it("does not read trailer-like lines inside prose paragraphs or the subject", () => {
    expect(citedTrailerValues("Post-Mortem: PM-9\n\nWe discussed it.\nPost-Mortem: PM-8 was wrong\n\nDone.\n", "Post-Mortem")).toEqual([]);
  });
});

describe("stripComments", () => {
  it("drops comment lines and everything from the scissors line on, as git commit does", () => {
    const file = "Subject\n\nPost-Mortem: PM-1\n# Please enter the commit message\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n";
    expect(stripComments(file)).toBe("Subject\n\nPost-Mortem: PM-1");
    expect(stripComments("S\n; note\n", ";")).toBe("S\n");
  });
});
