import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/shared/errors.js";
import { findRepoRoot, refusedRepository } from "../../src/git/git.js";

describe("refusedRepository", () => {
  it("reads git's refusal of a repository another user owns", () => {
    const stderr = "fatal: detected dubious ownership in repository at '/srv/repo'\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory /srv/repo\n";
    expect(refusedRepository(stderr)).toBe("/srv/repo");
    expect(
      refusedRepository("fatal: unsafe repository ('/srv/old' is owned by someone else)\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory /srv/old\n"),
    ).toBe("/srv/old");
    expect(refusedRepository("something about safe.directory")).toBe("");
  });

  it("is null for every other failure", () => {
    expect(refusedRepository("fatal: not a git repository (or any of the parent directories): .git\n")).toBeNull();
    expect(refusedRepository("fatal: this operation must be run in a work tree\n")).toBeNull();
    expect(refusedRepository("")).toBeNull();
  });
});

const IS_ROOT = process.getuid?.() === 0;

describe("findRepoRoot", () => {
  it.runIf(IS_ROOT)("stops with one line naming safe.directory when git refuses the repository (as root, owned by nobody)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hl-dubious-"));
    try {
      spawnSync("git", ["init", "-q", dir]);
      spawnSync("chown", ["-R", "65534:65534", dir]);
      const error = await findRepoRoot(join(dir)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(/^git refuses to read the repository at .*hl-dubious-.*safe\.directory/);
      expect((error as Error).message).not.toContain("\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is null outside any repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hl-plain-"));
    try {
      expect(await findRepoRoot(dir)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
