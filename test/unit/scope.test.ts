import { describe, expect, it } from "vitest";
import { parseMarkdown } from "../../src/harness/markdown.js";
import { frontmatterScope, globSyntaxError, parseInlineScope, splitGlobList } from "../../src/harness/scope.js";
import type { HarnessFormat } from "../../src/harness/types.js";

/** Reads the scope from a frontmatter block written as YAML lines. */
function scopeOf(format: HarnessFormat, ...yaml: string[]) {
  const parsed = parseMarkdown(["---", ...yaml, "---", "# Rule", ""].join("\n"));
  expect(parsed.frontmatterError).toBeUndefined();
  return frontmatterScope(format, parsed.frontmatter);
}

const patterns = (reading: ReturnType<typeof scopeOf>) => reading.scope?.globs.map((g) => g.pattern);

describe("Claude Code rules (.claude/rules)", () => {
  it("reads paths as a list or a string", () => {
    expect(patterns(scopeOf("claude-rules", "paths:", '  - "src/api/**"', "  - lib/*.ts"))).toEqual(["src/api/**", "lib/*.ts"]);
    expect(patterns(scopeOf("claude-rules", "paths: src/**/*.{ts,tsx}, test/**"))).toEqual(["src/**/*.{ts,tsx}", "test/**"]);
  });

  it("flags globs: as a field Claude Code does not read, at the key", () => {
    const reading = scopeOf("claude-rules", "globs: src/**");
    expect(reading.scope).toBeUndefined();
    expect(reading.problems).toEqual([expect.objectContaining({ kind: "ignored-field", expected: "paths", span: expect.objectContaining({ start: { line: 2, column: 1 } }) })]);
    expect(reading.problems[0]!.detail).toContain("`globs:` is not read by Claude Code");
  });

  it("does not flag globs: next to a paths: that works", () => {
    expect(scopeOf("claude-rules", "paths: src/**", "globs: src/**").problems).toEqual([]);
  });

  it("flags paths that are not strings", () => {
    const reading = scopeOf("claude-rules", "paths:", "  - 1", "  - true");
    expect(reading.problems[0]).toMatchObject({ kind: "ignored-field", expected: "paths" });
    expect(reading.problems[0]!.detail).toContain("a list that is not all strings");
  });

  it("says nothing when there is no scope field at all (unscoped-rule decides)", () => {
    expect(scopeOf("claude-rules", "description: x")).toEqual({ problems: [] });
  });
});

describe("Cursor (.mdc)", () => {
  it("reads comma-separated globs", () => {
    expect(patterns(scopeOf("cursor", "globs: src/**/*.ts, lib/**"))).toEqual(["src/**/*.ts", "lib/**"]);
  });

  it("reads unquoted globs that are not valid YAML, as Cursor does", () => {
    expect(patterns(scopeOf("cursor", "globs: **/*.ts", "alwaysApply: false"))).toEqual(["**/*.ts"]);
  });

  it("treats alwaysApply: true as explicitly global, even next to globs", () => {
    expect(scopeOf("cursor", "alwaysApply: true", "globs: src/**").scope).toMatchObject({ kind: "global", field: "alwaysApply" });
  });

  it("flags a block YAML list as ignored (unscoped)", () => {
    const reading = scopeOf("cursor", "globs:", "  - src/**");
    expect(reading.scope).toBeUndefined();
    expect(reading.problems).toEqual([expect.objectContaining({ kind: "ignored-field" })]);
  });

  it.each([['globs: "src/**/*.ts"'], ["globs: ['src/**']"], ["globs: [src/**/*.ts]"], ["globs: src/**, 'lib/**'"]])("flags %s as a glob Cursor reads with its quotes or brackets (dead)", (line) => {
    const reading = scopeOf("cursor", line);
    expect(reading.scope).toBeUndefined();
    expect(reading.problems).toEqual([expect.objectContaining({ kind: "invalid-glob", span: expect.objectContaining({ start: { line: 2, column: 8 } }) })]);
  });

  it("leaves an empty globs with no alwaysApply unscoped", () => {
    expect(scopeOf("cursor", "globs:", "alwaysApply: false")).toEqual({ problems: [] });
  });
});

describe("Copilot path instructions", () => {
  it("treats applyTo ** or **/* as explicitly global", () => {
    expect(scopeOf("copilot-instructions", 'applyTo: "**"').scope).toMatchObject({ kind: "global", field: "applyTo" });
    expect(scopeOf("copilot-instructions", "applyTo: '**/*'").scope?.kind).toBe("global");
  });

  it("reads a glob", () => {
    expect(patterns(scopeOf("copilot-instructions", 'applyTo: "src/**/*.ts,test/**"'))).toEqual(["src/**/*.ts", "test/**"]);
  });

  it("flags a non-string applyTo", () => {
    const reading = scopeOf("copilot-instructions", "applyTo: 42");
    expect(reading.problems[0]).toMatchObject({ kind: "ignored-field", expected: "applyTo" });
    expect(reading.problems[0]!.detail).toContain("a number");
  });

  it("flags paths: on a Copilot file", () => {
    expect(scopeOf("copilot-instructions", "paths: src/**").problems[0]).toMatchObject({ expected: "applyTo" });
  });
});

describe("Windsurf, Continue, Cline, Kiro", () => {
  it("Windsurf: trigger glob reads globs; always_on is global; globs without trigger: glob are ignored", () => {
    expect(patterns(scopeOf("windsurf", "trigger: glob", "globs: src/**"))).toEqual(["src/**"]);
    expect(scopeOf("windsurf", "trigger: always_on").scope?.kind).toBe("global");
    const ignored = scopeOf("windsurf", "trigger: model_decision", "globs: src/**");
    expect(ignored.scope).toBeUndefined();
    expect(ignored.problems[0]).toMatchObject({ kind: "ignored-field", expected: "trigger: glob" });
    expect(scopeOf("windsurf", "trigger: manual")).toEqual({ problems: [] });
  });

  it("Continue: globs (string or list), alwaysApply: true is global", () => {
    expect(patterns(scopeOf("continue", "globs:", "  - src/**", "  - test/**"))).toEqual(["src/**", "test/**"]);
    expect(scopeOf("continue", "alwaysApply: true").scope?.kind).toBe("global");
  });

  it("Cline: paths", () => {
    expect(patterns(scopeOf("cline", "paths:", "  - db/**"))).toEqual(["db/**"]);
    expect(scopeOf("cline", "globs: db/**").problems[0]).toMatchObject({ expected: "paths" });
  });

  it("Kiro: inclusion fileMatch reads fileMatchPattern; always is global; the pattern alone is ignored", () => {
    expect(patterns(scopeOf("kiro", "inclusion: fileMatch", 'fileMatchPattern: "components/**/*.tsx"'))).toEqual(["components/**/*.tsx"]);
    expect(scopeOf("kiro", "inclusion: always").scope?.kind).toBe("global");
    expect(scopeOf("kiro", "fileMatchPattern: src/**").problems[0]).toMatchObject({ expected: "inclusion: fileMatch" });
    expect(scopeOf("kiro", "inclusion: manual")).toEqual({ problems: [] });
  });

  it("sectioned formats take no scope from frontmatter", () => {
    expect(scopeOf("claude", "paths: src/**")).toEqual({ problems: [] });
  });
});

describe("splitGlobList", () => {
  it("splits on commas outside braces and trims", () => {
    expect(splitGlobList(" src/{a,b}/**,  lib/*.ts ,")).toEqual(["src/{a,b}/**", "lib/*.ts"]);
  });
});

describe("parseInlineScope", () => {
  const at = (start: number, end: number) => ({ start: { line: 1, column: start + 1 }, end: { line: 1, column: end + 1 } });

  it("reads globs with their columns", () => {
    const scope = parseInlineScope("<!-- scope: a/**, b.ts -->", "", at);
    expect(scope?.globs.map((g) => [g.pattern, g.span.start.column, g.span.end.column])).toEqual([
      ["a/**", 13, 17],
      ["b.ts", 19, 23],
    ]);
  });

  it.each(["global", "GLOBAL", "all", "**", "**/*"])("reads `%s` as global", (value) => {
    expect(parseInlineScope(`<!-- scope: ${value} -->`, "", at)?.kind).toBe("global");
  });

  it("rejects other comments, empty scopes and trailing prose", () => {
    expect(parseInlineScope("<!-- expect: dead-scope -->", "", at)).toBeNull();
    expect(parseInlineScope("<!-- scope: -->", "", at)).toBeNull();
    expect(parseInlineScope("<!-- scope: src/** --> and more", "", at)).toBeNull();
  });
});

describe("globSyntaxError", () => {
  it.each([
    ["src/{a,b", "`{` is never closed"],
    ["src/[x", "`[` is never closed"],
    ["src/a}", "`}` has no opening `{`"],
    ["", "it is empty"],
    ["src/***", "`***` is not a glob"],
  ])("%s: %s", (pattern, reason) => {
    expect(globSyntaxError(pattern)).toBe(reason);
  });

  it.each(["src/**/*.{ts,tsx}", "src/[abc].ts", "app/(group)/page.tsx", "src/\\[x"])("accepts %s", (pattern) => {
    expect(globSyntaxError(pattern)).toBeNull();
  });
});
