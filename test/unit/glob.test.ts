// The glob matcher: what harness formats write matches as picomatch matched it, and no pattern can
// make matching backtrack (issue 13).
import { describe, expect, it } from "vitest";
import { globProblem, pathMatcher } from "../../src/codebase/glob.js";

const CASES: Array<[pattern: string, matches: string[], misses: string[]]> = [
  ["*.ts", ["a.ts", ".ts"], ["src/a.ts", "a.tsx"]],
  ["src/**/*.ts", ["src/a.ts", "src/x/y/a.ts"], ["lib/a.ts", "src/a.tsx"]],
  ["src/**", ["src", "src/a", "src/a/b"], ["srcs/a", "lib/src/a"]],
  ["**/CLAUDE.md", ["CLAUDE.md", "a/b/CLAUDE.md"], ["CLAUDE.mdx"]],
  ["a/**/b", ["a/b", "a/x/y/b"], ["a/x/c"]],
  ["src/{a,b/{c,d}}.ts", ["src/a.ts", "src/b/c.ts", "src/b/d.ts"], ["src/b.ts"]],
  ["*.{ts,tsx}", ["x.ts", "x.tsx"], ["x.js"]],
  ["src/[ab].ts", ["src/a.ts", "src/b.ts"], ["src/c.ts"]],
  ["src/[!a].ts", ["src/b.ts"], ["src/a.ts"]],
  ["src/[[:digit:]].ts", ["src/1.ts"], ["src/a.ts"]],
  ["src/?.ts", ["src/a.ts"], ["src/ab.ts"]],
  ["src/a\\*b.ts", ["src/a*b.ts"], ["src/aXb.ts"]],
  ["@(src|lib)/*.ts", ["src/a.ts", "lib/a.ts"], ["app/a.ts"]],
  ["app/(auth)/page.tsx", ["app/(auth)/page.tsx"], ["app/auth/page.tsx"]],
  ["!src/**", ["lib/a.ts"], ["src/a.ts"]],
  ["./src/*.ts", ["src/a.ts"], ["a.ts"]],
  ["src/x*y*z.ts", ["src/xqyqz.ts", "src/xyz.ts"], ["src/xzy.ts"]],
  ["*", [".env", "a"], ["a/b"]],
  // The literal end of the last segment is checked first: each alternative has its own.
  ["src/{a.ts,b/*.md}", ["src/a.ts", "src/b/x.md"], ["src/b/a.ts", "src/x.md", "src/a.md"]],
  ["**/*.[jt]s", ["a/b.js", "b.ts"], ["b.cs", "b.tsx"]],
  ["src/a?", ["src/ab"], ["src/a", "src/abc"]],
  ["**/CLAUDE.md", ["x/CLAUDE.md"], ["x/NOTCLAUDE.md", "CLAUDE.md/x"]],
  ["docs/**", ["docs/a.md", "docs"], ["doc/a.md"]],
  // And its literal start.
  ["lib/mod*.ts", ["lib/mod.ts", "lib/module.ts"], ["lib/mo.ts", "libs/mod.ts", "x/lib/mod.ts"]],
  ["packages/a/**/*.ts", ["packages/a/x.ts", "packages/a/b/c.ts"], ["packages/ab/x.ts", "packages/b/a/x.ts"]],
];

describe("pathMatcher", () => {
  for (const [pattern, matches, misses] of CASES) {
    it(pattern, () => {
      const test = pathMatcher(pattern);
      for (const path of matches) expect(test(path), path).toBe(true);
      for (const path of misses) expect(test(path), path).toBe(false);
    });
  }

  it("basename: a pattern without a slash matches the last segment", () => {
    expect(pathMatcher("*.md", { basename: true })("a/b/c.md")).toBe(true);
    expect(pathMatcher("*.md", { basename: true })("a/b/c.ts")).toBe(false);
  });

  it("ignore", () => {
    const test = pathMatcher("**/*.md", { ignore: "**/node_modules/**" });
    expect(test("a.md")).toBe(true);
    expect(test("node_modules/x/a.md")).toBe(false);
  });
});

describe("bounded work", () => {
  // Hostile shapes a commit can carry; each runs against long names. Counted, not timed: the
  // matcher is linear per star, so these finish at once; a backtracking matcher never does.
  const SHAPES = [`src/x/${"*a".repeat(30)}b`, `${"**/".repeat(50)}x`, `${"*".repeat(4_000)}b`, `src/${"?*".repeat(200)}z`, `{${"a,".repeat(100)}b}/${"*a".repeat(20)}c`];
  for (const shape of SHAPES) {
    it(`${shape.slice(0, 40)}… against 255-character names`, () => {
      const test = pathMatcher(shape);
      for (const name of ["a".repeat(255), `src/x/${"a".repeat(4000)}`, Array.from({ length: 200 }, () => "a").join("/")]) expect(test(name)).toBe(false);
    });
  }

  it("refuses what it will not expand or match, with a reason", () => {
    expect(globProblem("x".repeat(5_000))).toMatch(/longer than/);
    expect(globProblem("{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}")).toMatch(/more than 256/);
    expect(globProblem("src/+(a|aa)*")).toMatch(/not supported/);
    expect(globProblem("src/*(a)")).toMatch(/not supported/);
    expect(globProblem("src/**/*.ts")).toBeNull();
  });
});

describe("globTester", () => {
  it("answers as its globs do, with the literal endings checked first", async () => {
    const { globTester } = await import("../../src/codebase/codebase.js");
    const { DEFAULT_HARNESS_INCLUDE } = await import("../../src/shared/config-types.js");
    const lists = [[...DEFAULT_HARNESS_INCLUDE], ["docs/**/*.md", "[id].md"], ["src/*", "*.ts"], ["!src/**"], ["a/{b,c}.md", "x.{ts,tsx}"]];
    const paths = [
      "CLAUDE.md",
      "a/CLAUDE.md",
      "a/NOTCLAUDE.md",
      ".cursor/rules/x.mdc",
      ".cursor/rules/x.ts",
      "[id].md",
      "docs/a/b.md",
      "docs/a/b.mdx",
      "src/a",
      "src/a/b",
      "x.tsx",
      "a/c.md",
      "a/d.md",
      ".clinerules",
      "lib/x.ts",
    ];
    for (const globs of lists) {
      const test = globTester(globs, false);
      for (const path of paths) expect(test(path), `${globs.join(",")} ${path}`).toBe(globs.includes(path) || pathMatcher(globs)(path));
    }
  });
});
