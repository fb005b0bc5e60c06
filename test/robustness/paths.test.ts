// Paths that try to leave the repository (`..`, absolute paths, symlinks out of the root, config
// values pointing elsewhere) and file names that break naive code (spaces, quotes, newlines,
// non-ASCII, leading dashes). The rule: harness-lint never reads outside the root, so the text of
// a file outside it never appears in any output; and every name round-trips into findings intact.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { cleanup, commitStep, defineCases, outsideSecret, repo, tempDir, type Case } from "./support.js";

afterAll(cleanup);

/** The secret of the case being run: set by its setup, read by its `never`. */
let outside = { dir: "", file: "", secret: "" };
const secretNeverShown = () => [outside.secret];
function freshOutside(): typeof outside {
  outside = outsideSecret();
  return outside;
}

function mention(report: { findings: Array<{ file: string; mention?: string; check: string }> } | null, file: string, name: string) {
  return report?.findings.find((f) => f.file === file && f.mention === name);
}

const escapeCases: Case[] = [
  {
    name: "a rule naming ../../etc/passwd, /etc/passwd and a path to a real file outside: nothing outside is read",
    setup: () => {
      const o = freshOutside();
      return repo({
        "CLAUDE.md": `## Paths\n<!-- scope: src/** -->\nSee \`../../etc/passwd\`, \`/etc/passwd\`, \`${o.file}\`, [x](../../../../../../..${o.file}) and @../${o.dir.split("/").pop()}/secret.md.\n`,
      });
    },
    expect: { kind: "findings" },
    never: () => [...secretNeverShown(), "root:x:0:0"],
  },
  {
    name: "a post-mortem linking and citing files outside the root: nothing outside is read",
    setup: () => {
      const o = freshOutside();
      return repo({
        "docs/postmortems/escape.md": `---\ndate: 2026-01-01\nchanges:\n  - ../../../../..${o.file}#leaked\n  - /etc/passwd\n---\n# PM\n[a](../../../../../../../../..${o.file}#leaked) [b](/etc/passwd)\n`,
      });
    },
    expect: { kind: "findings" },
    never: () => [...secretNeverShown(), "root:x:0:0"],
  },
  {
    name: "a committed CLAUDE.md symlinked to a file outside the root is not read",
    setup: () => {
      const o = freshOutside();
      const dir = repo();
      symlinkSync(o.file, join(dir, "CLAUDE.md"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    expect: { kind: "findings" },
    never: secretNeverShown,
  },
  {
    name: "a relative symlink (../) from a .cursor rule to a file outside is not read, with --drift either",
    setup: () => {
      const o = freshOutside();
      const dir = repo();
      mkdirSync(join(dir, ".cursor", "rules"), { recursive: true });
      symlinkSync(join("..", "..", "..", o.dir.split("/").pop()!, "secret.md"), join(dir, ".cursor", "rules", "leak.mdc"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    args: ["--drift"],
    expect: { kind: "findings" },
    never: secretNeverShown,
  },
  {
    name: "a symlinked post-mortem pointing outside the root is not read",
    setup: () => {
      const o = freshOutside();
      writeFileSync(o.file, `---\ndate: 2026-01-01\nchanges: [${o.secret}]\n---\n# ${o.secret}\n`);
      const dir = repo();
      mkdirSync(join(dir, "docs", "postmortems"), { recursive: true });
      symlinkSync(o.file, join(dir, "docs", "postmortems", "leak.md"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    expect: { kind: "findings" },
    never: secretNeverShown,
  },
  {
    name: "a symlinked .claude/settings.json pointing outside the root is not read",
    setup: () => {
      const o = freshOutside();
      writeFileSync(o.file, `{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "./${o.secret}/run.sh"}]}]}}`);
      const dir = repo();
      mkdirSync(join(dir, ".claude"), { recursive: true });
      symlinkSync(o.file, join(dir, ".claude", "settings.json"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    expect: { kind: "findings" },
    never: secretNeverShown,
  },
  {
    name: "a CLAUDE.md symlinked to /dev/zero does not hang the run",
    setup: () => {
      const dir = repo();
      symlinkSync("/dev/zero", join(dir, "CLAUDE.md"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    expect: { kind: "findings" },
  },
  {
    name: "a symlinked rules folder (.claude/rules -> outside) is not followed",
    setup: () => {
      const o = freshOutside();
      const dir = repo();
      mkdirSync(join(dir, ".claude"), { recursive: true });
      symlinkSync(o.dir, join(dir, ".claude", "rules"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    expect: { kind: "findings" },
    never: secretNeverShown,
  },
  {
    name: "a symlinked code folder pointing outside: its code is not indexed (the name stays stale)",
    setup: () => {
      const o = freshOutside();
      const dir = repo({ "CLAUDE.md": `## Code\n<!-- scope: src/** -->\nUse \`${o.secret}Code\`.\n` });
      symlinkSync(o.dir, join(dir, "src", "linked"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    expect: { kind: "findings" },
    check: (_run, report) => expect(mention(report, "CLAUDE.md", `${outside.secret}Code`)?.check).toBe("stale-symbol"),
  },
  {
    name: "a symlinked code file pointing outside is not indexed",
    setup: () => {
      const o = freshOutside();
      const dir = repo({ "CLAUDE.md": `## Code\n<!-- scope: src/** -->\nUse \`${o.secret}Code\`.\n` });
      symlinkSync(join(o.dir, "secret.ts"), join(dir, "src", "linked.ts"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    expect: { kind: "findings" },
    check: (_run, report) => expect(mention(report, "CLAUDE.md", `${outside.secret}Code`)?.check).toBe("stale-symbol"),
  },
  {
    name: "a symlink inside the repository (CLAUDE.md -> AGENTS.md) is read as the file it names",
    setup: () => {
      const dir = repo();
      symlinkSync("AGENTS.md", join(dir, "CLAUDE.md"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    expect: { kind: "findings" },
  },
  {
    name: "a .harnessrc.yml symlinked outside the root is refused in one line, its content not quoted",
    setup: () => {
      const o = freshOutside();
      writeFileSync(o.file, `checks: ${o.secret}\n`);
      const dir = repo();
      symlinkSync(o.file, join(dir, ".harnessrc.yml"));
      commitStep(dir, { message: "symlink" });
      return dir;
    },
    expect: { kind: "exit2", stderr: /\.harnessrc\.yml.*outside the repository/ },
    never: secretNeverShown,
  },
  {
    name: "config globs that climb out (harness.include ../**, postmortems /**) match nothing outside",
    setup: () => {
      freshOutside();
      return repo({
        ".harnessrc.yml": `harness:\n  include: ["**/AGENTS.md", "../**/*.md", "${outside.dir}/**", "/**/*.md"]\npostmortems: ["../**", "/tmp/**"]\ncodebase:\n  include: ["**", "../**", "/**"]\n`,
      });
    },
    expect: { kind: "findings" },
    never: secretNeverShown,
  },
  {
    name: "a config `baseline` pointing outside the root is refused without quoting the file",
    setup: () => {
      const o = freshOutside();
      // V8's JSON errors quote about ten characters around the error: a short token is enough.
      writeFileSync(o.file, `QZX9 ${o.secret} is not JSON\n`);
      return repo({ ".harnessrc.yml": `baseline: ${o.file}\n` });
    },
    expect: { kind: "exit2", stderr: /baseline/i },
    never: () => ["QZX9", outside.secret],
  },
  {
    name: "a config `baseline: /dev/zero` does not hang the run",
    setup: () => repo({ ".harnessrc.yml": "baseline: /dev/zero\n" }),
    expect: { kind: "exit2", stderr: /baseline/i },
  },
  {
    name: "a FIFO named .harnessrc.yml is refused, not waited on",
    setup: () => {
      const dir = repo();
      mkfifo(join(dir, ".harnessrc.yml"));
      return dir;
    },
    expect: { kind: "exit2", stderr: /\.harnessrc\.yml/ },
  },
  {
    name: "outside git, a FIFO named CLAUDE.md is skipped, not waited on",
    setup: () => {
      const dir = repo();
      rmGit(dir);
      mkfifo(join(dir, "CLAUDE.md"));
      return dir;
    },
    expect: { kind: "findings" },
  },
  {
    name: "outside git, a symlinked CLAUDE.md pointing outside is not read",
    setup: () => {
      const o = freshOutside();
      const dir = repo();
      rmGit(dir);
      symlinkSync(o.file, join(dir, "CLAUDE.md"));
      symlinkSync(o.dir, join(dir, "linked"));
      return dir;
    },
    expect: { kind: "findings" },
    never: secretNeverShown,
  },
];

function mkfifo(path: string): void {
  const made = spawnSync("mkfifo", [path]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
}

function rmGit(dir: string): void {
  // A plain folder: the same files, no repository around them (tmpdir is not inside one).
  rmSync(join(dir, ".git"), { recursive: true, force: true });
}

const NAMES = [
  "with space",
  'it\'s "quoted"',
  "new\nline",
  "tab\there",
  "back\\slash",
  "日本語のルール",
  "café", // NFC
  "cafe\u0301", // NFD
  "emoji-🚀-astral",
  "-rf --force",
  "--output=pwned",
  "$(touch PWNED)",
  "`touch PWNED`",
  "semi;colon|pipe&amp",
  "#hash?query",
  "%2e%2e",
];

const nameCases: Case[] = NAMES.map(
  (name): Case => ({
    ...(name.includes("\n") ? {} : {}),
    name: `file and folder names ${JSON.stringify(name)} round-trip into findings`,
    setup: () =>
      repo({
        [`.claude/rules/${name}.md`]: "---\npaths: src/**\n---\nUse `GoneInOddName`.\n",
        [`pkg/${name}/CLAUDE.md`]: "## Nested\nUse `GoneInOddFolder`.\n",
        [`src/${name}.ts`]: `export const presentInOddFile = 1;\n`,
        [`docs/postmortems/${name}.md`]: `---\ndate: 2026-01-01\nchanges: [".claude/rules/${name.replace(/["\\]/g, "\\$&").replace(/\n/g, "\\n").replace(/\t/g, "\\t")}.md"]\n---\n# PM\n`,
        "CLAUDE.md": "## Present\n<!-- scope: src/** -->\nUse `presentInOddFile`.\n",
      }),
    expect: { kind: "findings" },
    check: (_run, report) => {
      expect(mention(report, `.claude/rules/${name}.md`, "GoneInOddName")?.check).toBe("stale-symbol");
      expect(mention(report, `pkg/${name}/CLAUDE.md`, "GoneInOddFolder")?.check).toBe("stale-symbol");
      expect(mention(report, "CLAUDE.md", "presentInOddFile")).toBeUndefined();
      // A `#` in a ref starts its anchor (SPEC section 3), so that name cannot be cited by path.
      if (!name.includes("#")) expect(report!.findings.filter((f) => f.check === "dangling-citation")).toEqual([]);
    },
  }),
);

const INJECTED = "x\n::error file=README.md,line=1::forged annotation\n::stop-commands::endtoken\n";

/** The other formats of the injection case's one run, written outside the repository. */
const FORMATS = ["stylish", "github", "sarif"];
const FORMATS_OUT = tempDir("hl-formats-");

const outputInjectionCases: Case[] = [
  {
    name: "a file name carrying GitHub workflow commands cannot start a line of its own in any output format",
    setup: () =>
      repo({
        [`.claude/rules/${INJECTED}.md`]: "---\npaths: src/**\n---\nUse `GoneInjected`.\n",
        [`docs/postmortems/${INJECTED}.md`]: "---\ndate: 2026-01-01\n---\n# PM\n",
      }),
    // One run prints JSON and writes each other format to a file (`--format NAME:FILE`): the same
    // formatter text as on standard output.
    args: FORMATS.flatMap((format) => ["--format", `${format}:${join(FORMATS_OUT, format)}`]),
    expect: { kind: "findings" },
    check: (_run, report) => {
      expect(report!.findings.some((f) => f.file === `.claude/rules/${INJECTED}.md` && f.mention === "GoneInjected")).toBe(true);
      for (const format of FORMATS) {
        const lines = readFileSync(join(FORMATS_OUT, format), "utf8").split("\n");
        if (format === "github") {
          // One annotation per finding, and nothing else.
          expect(lines.filter((l) => l !== "").every((l) => /^::(error|warning) file=/.test(l))).toBe(true);
          expect(lines.filter((l) => l !== "")).toHaveLength(report!.findings.length);
        } else {
          expect(lines.filter((l) => l.startsWith("::"))).toEqual([]);
        }
      }
    },
  },
];

defineCases("bad inputs: paths that leave the root", escapeCases);
defineCases("bad inputs: output injection through names", outputInjectionCases);
defineCases("bad inputs: file names", nameCases);
