import { describe, expect, it } from "vitest";
import { scriptsInCommand } from "../../src/harness/hook-commands.js";
import { hookFormatOf, parseHookFile } from "../../src/harness/hooks.js";
import { parseJsonc } from "../../src/harness/jsonc.js";

describe("scriptsInCommand", () => {
  it.each([
    ["$CLAUDE_PROJECT_DIR/.claude/hooks/check.sh", ".claude/hooks/check.sh", true],
    ['"$CLAUDE_PROJECT_DIR"/.claude/hooks/check.sh --strict', ".claude/hooks/check.sh", true],
    ["${CLAUDE_PROJECT_DIR}/scripts/guard.py", "scripts/guard.py", true],
    ["./scripts/x.sh", "scripts/x.sh", true],
    ["node scripts/x.js", "scripts/x.js", false],
    ["python3 -u tools/lint.py --fast", "tools/lint.py", false],
    ["npx tsx scripts/check.ts", "scripts/check.ts", false],
    ["uv run hooks/format.py", "hooks/format.py", false],
    ["FOO=1 bash .claude/hooks/a.sh", ".claude/hooks/a.sh", false],
  ])("%s runs %s", (command, path, runDirectly) => {
    expect(scriptsInCommand(command)).toEqual([expect.objectContaining({ path, runDirectly })]);
  });

  it.each([
    ["npm test"],
    ["npx prettier --check ."],
    ["jq -r '.tool_input.command' | grep -q rm"],
    ["bash -c 'echo ./not/a/script.sh'"],
    ["$HOME/bin/tool.sh"],
    ["/usr/local/bin/formatter.sh"],
    ["echo done"],
  ])("%s names no repository script", (command) => {
    expect(scriptsInCommand(command)).toEqual([]);
  });

  it("reads every segment of a compound command", () => {
    expect(scriptsInCommand("./a.sh && node b.js; ./c.sh | tee out").map((s) => s.path)).toEqual(["a.sh", "b.js", "c.sh"]);
  });
});

describe("parseJsonc", () => {
  it("accepts comments and trailing commas, as Claude Code does", () => {
    const value = parseJsonc('{\n  // a comment\n  "a": [1, 2,], /* more */\n  "b": {"c": true,},\n}');
    expect(value.type).toBe("object");
  });

  it.each([['{"a": 1'], ['{"a" 1}'], ["[1, 2"], ['{"a": "x\n"}'], ["{} extra"], ["/* open"]])("rejects %j with an offset", (text) => {
    expect(() => parseJsonc(text)).toThrow();
  });
});

describe("Claude Code settings", () => {
  const settings = `{
  // project hooks
  "hooks": {
    "PreToolUse": [
      { "matcher": "Bash", "hooks": [{ "type": "command", "command": "$CLAUDE_PROJECT_DIR/.claude/hooks/guard.sh" }] },
      { "matcher": "Edit|Write", "hooks": [{ "type": "command", "command": "node scripts/format.js" }] },
      { "matcher": "Bash", "hooks": [{ "type": "command", "command": "npm test" }] },
    ],
    "Stop": [{ "hooks": [{ "type": "command", "command": "echo done" }] }]
  }
}`;

  it("makes one hook per entry with SPEC refs", () => {
    const { hooks, invalid } = parseHookFile(".claude/settings.json", "claude-settings", settings);
    expect(invalid).toBeUndefined();
    expect(hooks.map((h) => h.ref)).toEqual([
      ".claude/settings.json#PreToolUse:Bash",
      ".claude/settings.json#PreToolUse:Edit|Write",
      ".claude/settings.json#PreToolUse:Bash[1]",
      ".claude/settings.json#Stop",
    ]);
    expect(hooks[0]!.span.start.line).toBe(5);
  });

  it("locates the script a command runs", () => {
    const { hooks } = parseHookFile(".claude/settings.json", "claude-settings", settings);
    const [mention] = hooks[0]!.mentions;
    expect(mention).toMatchObject({ value: ".claude/hooks/guard.sh", runDirectly: true, source: "hook" });
    expect(mention!.span.start.line).toBe(5);
    const line = settings.split("\n")[4]!;
    expect(line.slice(mention!.span.start.column - 1, mention!.span.end.column - 1)).toBe("$CLAUDE_PROJECT_DIR/.claude/hooks/guard.sh");
    expect(hooks[1]!.mentions[0]).toMatchObject({ value: "scripts/format.js", runDirectly: false });
  });

  it("reports a broken file at the line and column of the error", () => {
    const { hooks, invalid } = parseHookFile(".claude/settings.json", "claude-settings", '{\n  "hooks": {\n    "Stop": [\n  }\n}');
    expect(hooks).toEqual([]);
    expect(invalid?.span.start).toEqual({ line: 4, column: 3 });
  });
});

describe("git hooks", () => {
  it("recognises hook files, but not husky's own folder", () => {
    expect(hookFormatOf(".husky/pre-commit")).toBe("git-hook");
    expect(hookFormatOf(".husky/_/husky.sh")).toBeNull();
    expect(hookFormatOf(".githooks/commit-msg")).toBe("git-hook");
    expect(hookFormatOf("tools/hooks/pre-push", "tools/hooks")).toBe("git-hook");
    expect(hookFormatOf("src/hooks/useThing.ts")).toBeNull();
  });

  it("reads a husky hook file as one hook with its scripts", () => {
    const { hooks } = parseHookFile(".husky/pre-commit", "git-hook", "#!/bin/sh\n# comment\nnpx lint-staged\n./scripts/check.sh\n");
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ ref: ".husky/pre-commit", commands: ["npx lint-staged", "./scripts/check.sh"] });
    expect(hooks[0]!.mentions.map((m) => [m.value, m.span.start.line])).toEqual([["scripts/check.sh", 4]]);
  });

  it("reads lefthook commands and local pre-commit hooks", () => {
    const lefthook = parseHookFile("lefthook.yml", "lefthook", "pre-commit:\n  commands:\n    lint:\n      run: ./bin/lint.sh {staged_files}\n");
    expect(lefthook.hooks.map((h) => h.ref)).toEqual(["lefthook.yml#lint"]);
    expect(lefthook.hooks[0]!.mentions[0]).toMatchObject({ value: "bin/lint.sh", span: { start: { line: 4 } } });
    const preCommit = parseHookFile(
      ".pre-commit-config.yaml",
      "pre-commit",
      "repos:\n  - repo: https://github.com/x/y\n    hooks: [{ id: remote }]\n  - repo: local\n    hooks:\n      - id: guard\n        entry: scripts/guard.sh\n        language: script\n",
    );
    expect(preCommit.hooks.map((h) => h.ref)).toEqual([".pre-commit-config.yaml#guard"]);
  });
});
