import { describe, expect, it } from "vitest";
import { formatOf } from "../../src/harness/formats.js";
import { fileAnchors, ruleAnchors } from "../../src/harness/anchors.js";
import { parseHarnessFile } from "../../src/harness/harness.js";
import { normaliseRef, RefResolver, type RefResolution } from "../../src/harness/refs.js";
import type { HarnessFile, Hook, Item } from "../../src/harness/types.js";

const FILES: Record<string, string> = {
  "CLAUDE.md": "# Project\n\n## Orient before editing\nx\n### Read tests first\ny\n## Testing\n## Testing\n## Money {#cents}\nz\n",
  "src/billing/AGENTS.md": "## Money is integer cents\nx\n## Testing\n",
  ".cursor/rules/imports.mdc": "---\nglobs: src/**\n---\n# Imports\n## Parsing\n",
  ".claude/rules/api.md": "---\nid: api-rules\npaths: src/api/**\n---\nUse zod.\n",
  "GEMINI.md": "Just one rule, no headings.\n",
};
const OTHER_FILES = ["README.md", "src/app.ts", ".claude/settings.json", "broken/CLAUDE.md"];

function resolver(): RefResolver {
  const items: Item[] = [];
  const files = new Map<string, HarnessFile>();
  for (const [path, text] of Object.entries(FILES)) {
    const file: HarnessFile = { path, format: formatOf(path).format, text };
    files.set(path, file);
    items.push(...parseHarnessFile(file, { fenced: false }).rules);
  }
  const exists = new Set([...Object.keys(FILES), ...OTHER_FILES]);
  return new RefResolver(items, {
    anchorsOf: ruleAnchors,
    fileAnchors: (path) => (files.has(path) ? fileAnchors(files.get(path)!) : undefined),
    fileExists: (path) => exists.has(path),
    unreadable: new Set(["broken/CLAUDE.md"]),
  });
}

const found = (resolution: RefResolution) => (resolution.kind === "found" ? resolution.items.map((i) => i.ref) : resolution);

describe("RefResolver", () => {
  const r = resolver();

  it("resolves file#anchor, with the anchor case-insensitive", () => {
    expect(found(r.resolve("CLAUDE.md#orient-before-editing"))).toEqual(["CLAUDE.md#orient-before-editing"]);
    expect(found(r.resolve("CLAUDE.md#Orient-Before-Editing"))).toEqual(["CLAUDE.md#orient-before-editing"]);
    expect(found(r.resolve("src/billing/AGENTS.md#money-is-integer-cents"))).toEqual(["src/billing/AGENTS.md#money-is-integer-cents"]);
  });

  it("resolves duplicate headings by their -1 suffix", () => {
    expect(found(r.resolve("CLAUDE.md#testing-1"))).toEqual(["CLAUDE.md#testing-1"]);
  });

  it("resolves the anchor of an untitled subsection to the rule it is part of", () => {
    expect(found(r.resolve("CLAUDE.md#read-tests-first"))).toEqual(["CLAUDE.md#orient-before-editing"]);
  });

  it("resolves explicit ids: as file#id, and bare", () => {
    expect(found(r.resolve("CLAUDE.md#cents"))).toEqual(["CLAUDE.md#cents"]);
    expect(found(r.resolve("cents"))).toEqual(["CLAUDE.md#cents"]);
    expect(found(r.resolve("api-rules"))).toEqual(["api-rules"]);
    expect(found(r.resolve("API-RULES"))).toEqual(["api-rules"]);
  });

  it("resolves a bare anchor only when exactly one rule has it", () => {
    expect(found(r.resolve("money-is-integer-cents"))).toEqual(["src/billing/AGENTS.md#money-is-integer-cents"]);
    const ambiguous = r.resolve("testing");
    expect(ambiguous.kind).toBe("ambiguous");
    expect(ambiguous.kind === "ambiguous" && ambiguous.items.map((i) => i.ref)).toEqual(["CLAUDE.md#testing", "src/billing/AGENTS.md#testing"]);
  });

  it("resolves per-file rules by path, and by a heading inside them", () => {
    expect(found(r.resolve(".cursor/rules/imports.mdc"))).toEqual([".cursor/rules/imports.mdc"]);
    expect(found(r.resolve("./.cursor/rules/imports.mdc"))).toEqual([".cursor/rules/imports.mdc"]);
    expect(found(r.resolve(".cursor/rules/imports.mdc#parsing"))).toEqual([".cursor/rules/imports.mdc"]);
    expect(found(r.resolve(".claude/rules/api.md"))).toEqual(["api-rules"]);
    expect(found(r.resolve("GEMINI.md"))).toEqual(["GEMINI.md"]);
  });

  it("matches file paths case-sensitively, as git does", () => {
    expect(r.resolve("claude.md#testing-1")).toMatchObject({ kind: "missing", reason: "no-file" });
  });

  it("says why a ref names nothing", () => {
    expect(r.resolve("CLAUDE.md#money")).toEqual({ kind: "missing", reason: "no-anchor", file: "CLAUDE.md", anchor: "money" });
    expect(r.resolve("CLAUDE.md#project")).toMatchObject({ kind: "missing", reason: "not-a-rule" });
    expect(r.resolve("OLD.md#x")).toMatchObject({ kind: "missing", reason: "no-file", file: "OLD.md" });
    expect(r.resolve("docs/gone.mdc")).toMatchObject({ kind: "missing", reason: "no-file" });
    expect(r.resolve("README.md#usage")).toMatchObject({ kind: "missing", reason: "no-item", file: "README.md" });
    expect(r.resolve("orient-first")).toEqual({ kind: "missing", reason: "no-id" });
    expect(r.resolve("  ")).toMatchObject({ kind: "missing" });
  });

  it("does not judge refs into unreadable harness files or into hook files it does not model", () => {
    expect(r.resolve("broken/CLAUDE.md#x")).toEqual({ kind: "unchecked" });
    expect(r.resolve(".claude/settings.json#PreToolUse:Bash")).toEqual({ kind: "unchecked" });
    expect(r.resolve(".husky/pre-commit")).toMatchObject({ kind: "missing", reason: "no-file" });
  });

  it("in a link, a whole sectioned file or a preamble heading is neither a citation nor dangling", () => {
    expect(r.resolve("CLAUDE.md", { link: true })).toEqual({ kind: "unchecked" });
    expect(r.resolve("CLAUDE.md#project", { link: true })).toEqual({ kind: "unchecked" });
    expect(found(r.resolve(".cursor/rules/imports.mdc", { link: true }))).toEqual([".cursor/rules/imports.mdc"]);
    expect(r.resolve("CLAUDE.md#nope", { link: true })).toMatchObject({ kind: "missing", reason: "no-anchor" });
  });

  it("in changes, a sectioned file's path cites every rule in it", () => {
    expect(found(r.resolve("src/billing/AGENTS.md"))).toEqual(["src/billing/AGENTS.md#money-is-integer-cents", "src/billing/AGENTS.md#testing"]);
  });
});

describe("RefResolver with clashing ids", () => {
  it("calls an id two per-file rules share ambiguous", () => {
    const rules = [".claude/rules/a.md", ".claude/rules/b.md"].flatMap((path) => parseHarnessFile({ path, format: "claude-rules", text: "---\nid: same\n---\nx\n" }, { fenced: false }).rules);
    const resolution = new RefResolver(rules).resolve("same");
    expect(resolution.kind).toBe("ambiguous");
    expect(found(new RefResolver(rules).resolve(".claude/rules/b.md"))).toEqual(["same"]);
  });

  it("works without a context, as history replays use it: unknown paths are missing", () => {
    const rules = parseHarnessFile({ path: "CLAUDE.md", format: "claude", text: "## A\n### B\n" }, { fenced: false }).rules;
    const resolver = new RefResolver(rules);
    expect(found(resolver.resolve("CLAUDE.md#b"))).toEqual(["CLAUDE.md#a"]);
    expect(resolver.resolve("OTHER.md#a")).toMatchObject({ kind: "missing", reason: "no-file" });
  });
});

describe("RefResolver with hooks", () => {
  const hook = (ref: string, event: string, format: Hook["format"] = "claude-settings"): Hook => ({
    kind: "hook",
    ref,
    file: ref.split("#")[0]!,
    format,
    title: event,
    event,
    span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
    text: "",
    commands: [],
    mentions: [],
  });
  const hooks = [
    hook(".claude/settings.json#PreToolUse:Bash", "PreToolUse"),
    hook(".claude/settings.json#PreToolUse:Bash[1]", "PreToolUse"),
    hook(".claude/settings.json#PreToolUse:Edit", "PreToolUse"),
    hook(".claude/settings.json#Stop", "Stop"),
    hook(".husky/pre-commit", "pre-commit", "git-hook"),
    hook("lefthook.yml#lint", "pre-commit", "lefthook"),
  ];
  const r = new RefResolver(hooks, { fileExists: (path) => hooks.some((h) => h.file === path) });

  it("resolves <file>#<Event>:<matcher>, a repeated entry's [n], and a git hook's path", () => {
    expect(found(r.resolve(".claude/settings.json#PreToolUse:Edit"))).toEqual([".claude/settings.json#PreToolUse:Edit"]);
    expect(found(r.resolve(".claude/settings.json#PreToolUse:Bash[1]"))).toEqual([".claude/settings.json#PreToolUse:Bash[1]"]);
    expect(found(r.resolve(".husky/pre-commit"))).toEqual([".husky/pre-commit"]);
    expect(found(r.resolve("lefthook.yml#lint"))).toEqual(["lefthook.yml#lint"]);
  });

  it("reads <file>#<Event> as every hook of that event", () => {
    expect(found(r.resolve(".claude/settings.json#pretooluse"))).toEqual([
      ".claude/settings.json#PreToolUse:Bash",
      ".claude/settings.json#PreToolUse:Bash[1]",
      ".claude/settings.json#PreToolUse:Edit",
    ]);
  });

  it("calls a missing event or hook file missing, and a link to the whole settings file no citation", () => {
    expect(r.resolve(".claude/settings.json#PostToolUse")).toMatchObject({ kind: "missing", reason: "no-anchor" });
    expect(r.resolve(".husky/pre-push")).toMatchObject({ kind: "missing", reason: "no-file" });
    expect(r.resolve(".claude/settings.json", { link: true })).toEqual({ kind: "unchecked" });
  });
});

describe("normaliseRef", () => {
  it("reads ./ and / as the root, and ../ from the post-mortem's folder", () => {
    expect(normaliseRef("./CLAUDE.md#a")).toBe("CLAUDE.md#a");
    expect(normaliseRef("/CLAUDE.md")).toBe("CLAUDE.md");
    expect(normaliseRef("../../CLAUDE.md#a", "docs/postmortems/pm.md")).toBe("CLAUDE.md#a");
    expect(normaliseRef("../../../CLAUDE.md", "docs/postmortems/pm.md")).toBe("../../../CLAUDE.md");
  });
});
