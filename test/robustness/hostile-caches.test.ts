// Caches are data and belong to the right owner (issue 13): whatever a .git holds where a cache
// file goes (a FIFO, a device, a link out, a planted V8 code cache), a run finishes, reads nothing
// through it, writes nothing through it, and reports what a run without caches reports.
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, git, repo, runBounded, tempDir, RUN_LIMIT_MS, type BoundedRun } from "./support.js";

afterAll(cleanup);

const NAMES = [
  "cache-v2.json",
  "index-worktree-v2.json",
  "parsed-v2.json",
  "run-v1.json",
  "versions-v1.json",
  "evidence-walks-v2.json",
  "evidence-removals-v2.json",
  "evidence-answers-v2.json",
  "drift-names-v2.json",
  "drift-paths-v2.json",
];

function findings(run: BoundedRun): string {
  expect(run.signal, "hung").toBeNull();
  expect([0, 1], run.stderr).toContain(run.code);
  return JSON.stringify((JSON.parse(run.stdout) as { findings: unknown[] }).findings);
}

/** The findings of a run with no cache at all, for comparison. */
function coldFindings(dir: string): string {
  rmSync(join(dir, ".git", "harness-lint"), { recursive: true, force: true });
  const cold = findings(runBounded(["--format", "json"], dir));
  rmSync(join(dir, ".git", "harness-lint"), { recursive: true, force: true });
  return cold;
}

const PLANTS: Array<[string, (cacheDir: string, outsideFile: string) => void]> = [
  ["every cache file a FIFO", (cacheDir) => NAMES.forEach((name) => execFileSync("mkfifo", [join(cacheDir, name)]))],
  ["every cache file a link to a file outside", (cacheDir, outsideFile) => NAMES.forEach((name) => symlinkSync(outsideFile, join(cacheDir, name)))],
  ["every cache file a link to /dev/zero", (cacheDir) => NAMES.forEach((name) => symlinkSync("/dev/zero", join(cacheDir, name)))],
  ["every cache file a folder", (cacheDir) => NAMES.forEach((name) => mkdirSync(join(cacheDir, name)))],
  ["every cache file garbage", (cacheDir) => NAMES.forEach((name) => writeFileSync(join(cacheDir, name), "\u0000{not json"))],
  ["a planted V8 code cache", (cacheDir) => writeFileSync(join(cacheDir, "typescript-0123456789abcdef.v8"), Buffer.alloc(4096, 7))],
];

/**
 * The cold findings of the plants' repository. Every plant's repository is built from the same
 * files on the same dates, so it has the same commits (checked by HEAD): one cold run answers for
 * all of them.
 */
let reference: { head: string; cold: string } | undefined;
function coldFindingsOnce(dir: string): string {
  const head = git(dir, ["rev-parse", "HEAD"]).trim();
  reference ??= { head, cold: coldFindings(dir) };
  expect(head, "the plants' repositories differ: compare each with its own cold run").toBe(reference.head);
  return reference.cold;
}

describe("hostile cache files in .git/harness-lint", () => {
  for (const [name, plant] of PLANTS) {
    it(
      name,
      () => {
        const dir = repo({ "src/b.ts": "export class Named {}\n", "CLAUDE.md": "## Uses\n<!-- scope: src/** -->\nCall `Named` and `Gone`.\n" });
        const cold = coldFindingsOnce(dir);
        const outsideDir = tempDir("hl-cache-outside-");
        const outsideFile = join(outsideDir, "victim.json");
        writeFileSync(outsideFile, "original\n");
        const cacheDir = join(dir, ".git", "harness-lint");
        mkdirSync(cacheDir, { recursive: true });
        plant(cacheDir, outsideFile);
        for (let i = 0; i < 2; i++) expect(findings(runBounded(["--format", "json"], dir))).toBe(cold);
        // --drift reads and writes its own caches: the same plants are data there too.
        for (let i = 0; i < 2; i++) findings(runBounded(["--drift", "--format", "json"], dir));
        expect(readFileSync(outsideFile, "utf8")).toBe("original\n");
        expect(readdirSync(outsideDir)).toEqual(["victim.json"]);
      },
      4 * RUN_LIMIT_MS,
    );
  }

  it(
    "the cache folder itself a link to a folder outside: nothing is written there",
    () => {
      const dir = repo({ "src/b.ts": "export class Named {}\n" });
      const outsideDir = tempDir("hl-cache-outside-");
      symlinkSync(outsideDir, join(dir, ".git", "harness-lint"));
      findings(runBounded(["--format", "json"], dir));
      findings(runBounded(["--drift", "--format", "json"], dir));
      expect(readdirSync(outsideDir)).toEqual([]);
    },
    4 * RUN_LIMIT_MS,
  );

  it(
    "the V8 code cache lives in the user's cache folder, keyed by a hash of the source",
    () => {
      // A rule naming `Named` makes the run parse src/b.ts (only files that can answer are parsed).
      const dir = repo({ "src/b.ts": "export class Named {}\n", "CLAUDE.md": "## N\n<!-- scope: src/** -->\nUse `Named`.\n" });
      const home = tempDir("hl-home-");
      const run = runBounded(["--format", "json"], dir, { env: { HOME: home, XDG_CACHE_HOME: "" } });
      findings(run);
      const folder = join(home, ".cache", "harness-lint");
      expect(existsSync(join(dir, ".git", "harness-lint")) ? readdirSync(join(dir, ".git", "harness-lint")).filter((n) => n.endsWith(".v8")) : []).toEqual([]);
      const [file] = readdirSync(folder).filter((n) => n.endsWith(".v8"));
      expect(file).toMatch(/^typescript-[0-9a-f]{32}\.v8$/);
      expect(lstatSync(folder).mode & 0o077).toBe(0);
      // A file of the right name whose key does not match is not used, and is replaced.
      const path = join(folder, file!);
      writeFileSync(path, Buffer.concat([Buffer.from(`${"0".repeat(64)}\n`), readFileSync(path).subarray(65)]));
      findings(
        runBounded(["--format", "json"], repo({ "src/c.ts": "export class Other {}\n", "CLAUDE.md": "## O\n<!-- scope: src/** -->\nUse `Other`.\n" }), { env: { HOME: home, XDG_CACHE_HOME: "" } }),
      );
      expect(readFileSync(path).subarray(0, 64).toString()).not.toBe("0".repeat(64));
    },
    4 * RUN_LIMIT_MS,
  );
});
