// Writes go only where they should (issue 13): a link a commit holds, or a setting a .git holds,
// never carries a write out of the repository; a FIFO or device the user names is written
// through, never replaced by a regular file.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, git, repo, runBounded, tempDir, RUN_LIMIT_MS } from "./support.js";

afterAll(cleanup);

/** A folder outside the repository with one file in it; returns a check that nothing changed there. */
function outside(): { dir: string; file: string; untouched: () => void } {
  const dir = tempDir("hl-outside-");
  const file = join(dir, "victim.txt");
  writeFileSync(file, "original\n");
  return {
    dir,
    file,
    untouched: () => {
      expect(readdirSync(dir)).toEqual(["victim.txt"]);
      expect(readFileSync(file, "utf8")).toBe("original\n");
    },
  };
}

function expectOneLine(run: ReturnType<typeof runBounded>, pattern: RegExp): void {
  expect(run.signal, "hung").toBeNull();
  expect(run.code, run.stdout + run.stderr).toBe(2);
  expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
}

interface WriteCase {
  name: string;
  run: () => void;
}

const LINK = /symbolic link|outside/;

const CASES: WriteCase[] = [
  {
    name: "(commit) docs/postmortems is a link to a folder outside: postmortem new refuses",
    run: () => {
      const away = outside();
      const dir = repo();
      mkdirSync(join(dir, "docs"));
      symlinkSync(away.dir, join(dir, "docs", "postmortems"));
      git(dir, ["add", "-A"]);
      expectOneLine(runBounded(["postmortem", "new", "Broke the build"], dir), LINK);
      away.untouched();
    },
  },
  {
    name: "(commit) docs is a link to a folder outside: init refuses the template",
    run: () => {
      const away = outside();
      const dir = repo();
      symlinkSync(away.dir, join(dir, "docs"));
      expectOneLine(runBounded(["init"], dir), LINK);
      away.untouched();
    },
  },
  {
    name: "(commit) .husky is a link to a folder outside: init --hooks writes no hook there",
    run: () => {
      const away = outside();
      const dir = repo();
      symlinkSync(away.dir, join(dir, ".husky"));
      git(dir, ["config", "core.hooksPath", ".husky"]);
      expectOneLine(runBounded(["init", "--hooks"], dir), LINK);
      away.untouched();
    },
  },
  {
    name: "(.git) core.hooksPath in .git/config points outside: init --hooks refuses",
    run: () => {
      const away = outside();
      const dir = repo();
      git(dir, ["config", "core.hooksPath", away.dir]);
      expectOneLine(runBounded(["init", "--hooks"], dir), /core\.hooksPath/);
      away.untouched();
    },
  },
  {
    name: "(.git) .git/hooks is a link to a folder outside: init --hooks refuses",
    run: () => {
      const away = outside();
      const dir = repo();
      execFileSync("rm", ["-rf", join(dir, ".git", "hooks")]);
      symlinkSync(away.dir, join(dir, ".git", "hooks"));
      expectOneLine(runBounded(["init", "--hooks"], dir), LINK);
      away.untouched();
    },
  },
  {
    name: "(.git) core.worktree points outside: every command refuses, nothing is written there",
    run: () => {
      const away = outside();
      const dir = repo();
      git(dir, ["config", "core.worktree", away.dir]);
      for (const args of [[], ["init"], ["postmortem", "new", "x"], ["trace"]]) expectOneLine(runBounded(args, dir), /core\.worktree/);
      away.untouched();
    },
  },
  {
    name: "(commit) --output-file names a committed link to a file outside: refused",
    run: () => {
      const away = outside();
      const dir = repo();
      symlinkSync(away.file, join(dir, "report.sarif"));
      git(dir, ["add", "-A"]);
      git(dir, ["commit", "-q", "-m", "link"]);
      expectOneLine(runBounded(["--format", "sarif", "--output-file", "report.sarif"], dir), LINK);
      expectOneLine(runBounded(["trace", "--output-file", "report.sarif"], dir), LINK);
      away.untouched();
    },
  },
  {
    name: "(commit) --output-file under a committed link to a folder outside: refused",
    run: () => {
      const away = outside();
      const dir = repo();
      symlinkSync(away.dir, join(dir, "out"));
      expectOneLine(runBounded(["--output-file", "out/report.txt"], dir), LINK);
      expectOneLine(runBounded(["--write-baseline", "out/baseline.json"], dir), LINK);
      away.untouched();
    },
  },
  {
    name: "(commit) --write-baseline names a committed link: refused",
    run: () => {
      const away = outside();
      const dir = repo();
      symlinkSync(away.file, join(dir, "baseline.json"));
      expectOneLine(runBounded(["--write-baseline", "baseline.json"], dir), LINK);
      away.untouched();
    },
  },
  {
    name: "(user) --output-file through the user's own link outside the repository is followed",
    run: () => {
      const away = outside();
      const dir = repo();
      const link = join(tempDir("hl-userlink-"), "report.txt");
      writeFileSync(join(away.dir, "report.txt"), "old\n");
      symlinkSync(join(away.dir, "report.txt"), link);
      const run = runBounded(["--output-file", link], dir);
      expect([0, 1]).toContain(run.code);
      expect(readFileSync(join(away.dir, "report.txt"), "utf8")).toContain("HealthyButGoneName");
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
    },
  },
  {
    name: "(user) --output-file and --write-baseline on a character device are written through, not replaced",
    run: () => {
      // As root a device can be made in a temp folder; otherwise /dev/null is the device at hand.
      const device = process.getuid?.() === 0 ? join(tempDir("hl-dev-"), "null") : "/dev/null";
      if (device !== "/dev/null") execFileSync("mknod", [device, "c", "1", "3"]);
      const dir = repo();
      for (const args of [
        ["--output-file", device],
        ["--write-baseline", device],
        ["trace", "--output-file", device],
      ]) {
        const run = runBounded(args, dir);
        expect([0, 1], run.stderr).toContain(run.code);
        expect(lstatSync(device).isCharacterDevice()).toBe(true);
      }
    },
  },
  {
    name: "(user) --output-file on a FIFO with a reader: the reader gets the report, the FIFO stays",
    run: () => {
      const fifo = join(tempDir("hl-fifo-"), "pipe");
      execFileSync("mkfifo", [fifo]);
      const received = join(tempDir("hl-fifo-out-"), "got.txt");
      const reader = spawn("sh", ["-c", `cat "$1" > "$2"`, "sh", fifo, received], { stdio: "ignore" });
      const dir = repo();
      const run = runBounded(["--output-file", fifo], dir);
      expect([0, 1], run.stderr).toContain(run.code);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      reader.kill();
      expect(existsSync(received)).toBe(true);
    },
  },
  {
    name: "post-mortems titled in other scripts on one day get distinct files",
    run: () => {
      const dir = repo();
      const made = ["Ошибка рефакторинга", "Сбой сборки", "ビルドが壊れた", "🔥🔥", "🔥🔥"].map((title) => {
        const run = runBounded(["postmortem", "new", title], dir);
        expect(run.code, run.stderr).toBe(0);
        return run.stdout.trim();
      });
      expect(new Set(made).size).toBe(made.length);
      expect(made[0]).toContain("ошибка-рефакторинга");
    },
  },
];

describe("writes stay where they should", () => {
  for (const c of CASES) it(c.name, c.run, 4 * RUN_LIMIT_MS);
});
