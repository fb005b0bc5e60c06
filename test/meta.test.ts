import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checks } from "../rules/index.js";
import { CHECK_IDS } from "../src/engine/check-ids.js";
import { REPO_ROOT } from "./helpers/cli.js";

// The registry, the files on disk, the docs and the tests must agree (commitlint's and ESLint's
// meta-tests): a check that exists without a page or a test is not done.
describe("check registry", () => {
  const ids = checks.map((check) => check.id);

  it("registers exactly the contract's checks", () => {
    expect([...ids].sort()).toEqual([...CHECK_IDS].sort());
  });

  it("has one module per check in rules/, named by its id", () => {
    const modules = readdirSync(join(REPO_ROOT, "rules"))
      .filter((name) => name.endsWith(".ts") && name !== "index.ts")
      .map((name) => name.replace(/\.ts$/, ""));
    expect(modules.sort()).toEqual([...ids].sort());
  });

  it.each(CHECK_IDS.map((id) => [id]))("%s has a docs page with what, why and how to fix", (id) => {
    const page = join(REPO_ROOT, "docs", "checks", `${id}.md`);
    expect(existsSync(page)).toBe(true);
    const text = readFileSync(page, "utf8");
    expect(text.startsWith(`# ${id}\n`)).toBe(true);
    for (const heading of ["## What it finds", "## Why", "## How to fix"]) expect(text).toContain(heading);
  });

  it.each(CHECK_IDS.map((id) => [id]))("%s has a test file", (id) => {
    const candidates = [join(REPO_ROOT, "test", "rules", `${id}.test.ts`), join(REPO_ROOT, "test", "history", `${id}.test.ts`)];
    expect(candidates.some((path) => existsSync(path))).toBe(true);
  });

  it("every message template's placeholders are plain words, and ids are camelCase", () => {
    for (const check of checks) {
      for (const [messageId, template] of Object.entries(check.messages)) {
        expect(messageId).toMatch(/^[a-z][A-Za-z]*$/);
        for (const match of template.matchAll(/\{\{\s*([^}]*)\s*\}\}/g)) expect(match[1]).toMatch(/^\w+$/);
      }
      expect(check.description.length).toBeGreaterThan(10);
      expect(["error", "warn"]).toContain(check.defaultSeverity);
    }
  });
});

describe("documentation", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");

  it("keeps the quick start the CI and the guide rely on", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm ci && npm test");
  });

  it("lists every check in the README", () => {
    for (const id of CHECK_IDS) expect(readme).toContain(`\`${id}\``);
  });

  it("documents every top-level config key in .harnessrc.example.yml", () => {
    const example = readFileSync(join(REPO_ROOT, ".harnessrc.example.yml"), "utf8");
    for (const key of ["harness:", "postmortems:", "codebase:", "checks:", "symbols:", "trailer:", "provenance:", "postmortem:", "baseline:"]) {
      expect(example).toMatch(new RegExp(`^${key}`, "m"));
    }
  });
});
