// Files harness-lint expects to be regular files, given as something else (issue 13): a FIFO would
// block forever, a device or a /proc file never ends. Each is refused in one line, or read bounded
// by the bytes actually read.
import { execFileSync } from "node:child_process";
import { existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll } from "vitest";
import { cleanup, defineCases, repo, tempDir, type Case } from "./support.js";

afterAll(cleanup);

function fifo(): string {
  const path = join(tempDir("hl-fifo-"), "pipe");
  execFileSync("mkfifo", [path]);
  return path;
}

const NOT_REGULAR = /is (a FIFO|a device|a directory|not a regular file)/;

const CASES: Case[] = [
  { name: "commit-msg on a FIFO", setup: () => repo(), args: ["commit-msg", "PIPE"], expect: { kind: "exit2", stderr: NOT_REGULAR } },
  { name: "commit-msg on /dev/zero", setup: () => repo(), args: ["commit-msg", "/dev/zero"], expect: { kind: "exit2", stderr: NOT_REGULAR } },
  { name: "commit-msg on /dev/urandom", setup: () => repo(), args: ["commit-msg", "/dev/urandom"], expect: { kind: "exit2", stderr: NOT_REGULAR } },
  { name: "commit-msg on a folder", setup: () => repo(), args: ["commit-msg", "."], expect: { kind: "exit2", stderr: /directory|EISDIR/ } },
  { name: "--baseline on a FIFO", setup: () => repo(), args: ["--baseline", "PIPE"], expect: { kind: "exit2", stderr: NOT_REGULAR } },
  { name: "--baseline on /dev/zero", setup: () => repo(), args: ["--baseline", "/dev/zero"], expect: { kind: "exit2", stderr: NOT_REGULAR } },
  {
    name: "--baseline on /proc/self/pagemap (0 bytes by stat, huge when read)",
    setup: () => repo(),
    args: ["--baseline", "/proc/self/pagemap"],
    expect: { kind: "exit2", stderr: /larger than|not valid JSON|cannot read|Cannot read/i },
  },
  { name: "--config on a FIFO", setup: () => repo(), args: ["--config", "PIPE.yml"], expect: { kind: "exit2", stderr: NOT_REGULAR } },
  { name: "--config on /dev/zero", setup: () => repo(), args: ["--config", "/dev/zero"], expect: { kind: "exit2", stderr: NOT_REGULAR } },
  {
    name: "a committed .harnessrc.yml that is a symlink to a FIFO inside the repository",
    setup: () => {
      const dir = repo();
      execFileSync("mkfifo", [join(dir, "pipe")]);
      symlinkSync("pipe", join(dir, ".harnessrc.yml"));
      return dir;
    },
    expect: { kind: "exit2", stderr: NOT_REGULAR },
  },
  { name: "--cwd /proc/self (files that report 0 bytes and do not end)", setup: () => repo(), args: ["--cwd", "/proc/self"], expect: { kind: "settled" } },
  {
    name: "a CLAUDE.md symlinked to /dev/zero is not read",
    setup: () => {
      const dir = repo();
      symlinkSync("/dev/zero", join(dir, "CLAUDE.md"));
      return dir;
    },
    expect: { kind: "findings" },
  },
];

// Paths that need a FIFO made per case are written PIPE in the table.
defineCases(
  "files that are not regular files",
  CASES.filter((c) => !c.name.includes("/proc/") || existsSync("/proc/self")).map((c) => ({
    ...c,
    args: c.args?.map((arg) => (arg.startsWith("PIPE") ? fifo() : arg)),
  })),
);
