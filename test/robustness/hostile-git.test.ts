// Code a `.git` or a commit can name for git to run (issue 13): each plant below is a program that
// only leaves a marker file. Every command that reads git runs on a repository holding all of them,
// and no marker may appear. Each plant also has a control, plain git doing what it does to a user,
// which must leave its marker: a plant that never fires would prove nothing.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, commitStep, git, repo, runBounded, tempDir, writeFiles, RUN_LIMIT_MS } from "./support.js";

afterAll(cleanup);

interface Plant {
  name: string;
  /** Config lines (`key`, `value`) for .git/config, or for a file it includes. */
  config: Array<[string, string]>;
  /** The script reads stdin and passes it on (a clean filter), or takes its file argument (textconv). */
  kind: "plain" | "filter" | "textconv";
  /** Plain git that runs the plant for a user; null when it needs a terminal (a pager). */
  control: string[] | null;
}

const markers = tempDir("hl-markers-");
const scripts = tempDir("hl-scripts-");

function script(name: string, kind: Plant["kind"]): string {
  const path = join(scripts, name);
  const pass = kind === "filter" ? "exec cat\n" : kind === "textconv" ? 'exec cat "$1"\n' : "exit 0\n";
  writeFileSync(path, `#!/bin/sh\n: > '${join(markers, name)}'\n${pass}`);
  chmodSync(path, 0o755);
  return path;
}

const PLANTS: Plant[] = [
  { name: "fsmonitor", config: [["core.fsmonitor", "SCRIPT"]], kind: "plain", control: ["status", "--porcelain"] },
  {
    name: "pager",
    config: [
      ["core.pager", "SCRIPT"],
      ["pager.log", "SCRIPT"],
      ["pager.diff", "SCRIPT"],
    ],
    kind: "plain",
    control: null,
  },
  { name: "external-diff", config: [["diff.external", "SCRIPT"]], kind: "plain", control: ["diff", "HEAD~1", "HEAD"] },
  { name: "diff-driver", config: [["diff.evil.command", "SCRIPT"]], kind: "plain", control: ["-c", "filter.evil.required=false", "diff", "HEAD~1", "HEAD", "--", "src/a.ts"] },
  { name: "textconv", config: [["diff.conv.textconv", "SCRIPT"]], kind: "textconv", control: ["log", "-p", "-2"] },
  {
    name: "clean-filter",
    config: [
      ["filter.evil.clean", "SCRIPT"],
      ["filter.evil.required", "true"],
    ],
    kind: "filter",
    control: ["diff", "--stat"],
  },
  { name: "process-filter", config: [["filter.proc.process", "SCRIPT"]], kind: "plain", control: ["diff", "--stat"] },
  {
    name: "gpg",
    config: [
      ["log.showSignature", "true"],
      ["gpg.program", "SCRIPT"],
    ],
    kind: "plain",
    control: ["log", "-1"],
  },
];

/** Every hook git knows: written in the hooks folder .git/config names, and in .git/hooks. */
const HOOKS = [
  "pre-commit",
  "commit-msg",
  "post-commit",
  "post-checkout",
  "post-index-change",
  "reference-transaction",
  "pre-auto-gc",
  "post-rewrite",
  "fsmonitor-watchman",
  "push-to-checkout",
  "sendemail-validate",
];

let dir = "";
let messageFile = "";

/** The code files are the ones .gitattributes routes through the filters and drivers. */
function makeStatDirty(): void {
  // An mtime that differs from the index makes git compare content, which runs the clean filter.
  for (const file of ["src/a.ts", "src/b.ts", "src/c.ts", "AGENTS.md"]) utimesSync(join(dir, file), new Date(2001, 0, 1), new Date(2001, 0, 1));
}

function fired(): string[] {
  return readdirSync(markers).sort();
}

beforeAll(() => {
  dir = repo({
    ".gitattributes": "src/a.ts filter=evil diff=evil\nsrc/b.ts diff=conv\nsrc/c.ts filter=proc\n",
    "src/b.ts": "export class OldName {}\n",
    "src/c.ts": "export const other = 1;\n",
    "docs/postmortems/pm-1.md": "---\nid: PM-1\ndate: 2026-10-01\nchanges:\n  - AGENTS.md#healthy\n---\n# One\n",
  });
  commitStep(
    dir,
    {
      message: "rename\n\nPost-Mortem: PM-1",
      write: {
        "src/b.ts": "export class NewName {}\n",
        "src/a.ts": "export class AccountImporter { x = 1 }\n",
        "AGENTS.md": "## Healthy\n<!-- scope: src/** -->\nUse `HealthyButGoneName` and `OldName` here.\n",
      },
    },
    1,
  );
  // A signed commit (a gpgsig header is all `log.showSignature` needs to call gpg.program).
  const body = git(dir, ["cat-file", "commit", "HEAD"]);
  const signed = body.replace(/\ncommitter [^\n]*\n/, (line) => `${line}gpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n`);
  const signedSha = execFileSync("git", ["hash-object", "-t", "commit", "-w", "--stdin"], { cwd: dir, input: signed, encoding: "utf8" }).trim();
  git(dir, ["update-ref", "HEAD", signedSha]);
  // A staged rule change for --staged and commit-msg.
  writeFiles(dir, { "AGENTS.md": "## Healthy\n<!-- scope: src/** -->\nUse `HealthyButGoneName` and `NewName` here.\n" });
  git(dir, ["add", "AGENTS.md"]);
  messageFile = join(dir, ".git", "COMMIT_EDITMSG");
  writeFileSync(messageFile, "Reword the rule\n");

  // The plants: hooks in both folders, every setting through an included file (includeIf is how
  // a shared config reaches many repositories), and the driver names in a committed .gitattributes.
  const hooksDir = join(dir, ".git", "evil-hooks");
  mkdirSync(hooksDir, { recursive: true });
  for (const hook of HOOKS) {
    for (const folder of [hooksDir, join(dir, ".git", "hooks")]) {
      writeFileSync(join(folder, hook), `#!/bin/sh\n: > '${join(markers, `hook-${hook}`)}'\n`);
      chmodSync(join(folder, hook), 0o755);
    }
  }
  const lines = ["[core]", `\thooksPath = ${hooksDir}`];
  for (const plant of PLANTS) {
    const path = script(plant.name, plant.kind);
    for (const [key, value] of plant.config) {
      const [section, ...rest] = key.split(".");
      const name = rest.pop()!;
      lines.push(rest.length ? `[${section} "${rest.join(".")}"]` : `[${section}]`, `\t${name} = ${value === "SCRIPT" ? path : value}`);
    }
  }
  writeFileSync(join(dir, ".git", "evil.cfg"), `${lines.join("\n")}\n`);
  git(dir, ["config", "includeIf.gitdir:/.path", join(dir, ".git", "evil.cfg")]);
  rmSync(markers, { recursive: true, force: true });
  mkdirSync(markers);
});

const COMMANDS: string[][] = [[], ["--staged"], ["--drift"], ["--drift", "--since", "HEAD~1"], ["--base", "HEAD~1"], ["commit-msg", "MESSAGE"], ["trace"], ["review"], ["--format", "github"]];

describe("hostile git configuration runs nothing", () => {
  for (const args of COMMANDS) {
    it(
      `harness-lint ${args.join(" ") || "(lint)"}`,
      () => {
        makeStatDirty();
        const run = runBounded(
          args.map((arg) => (arg === "MESSAGE" ? messageFile : arg)),
          dir,
        );
        expect(run.signal, "hung").toBeNull();
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /i);
        expect([0, 1], `exit ${run.code}: ${run.stderr}`).toContain(run.code);
        expect(fired(), "programs the repository named were run").toEqual([]);
      },
      RUN_LIMIT_MS + 10_000,
    );
  }

  it(
    "a partial clone never fetches from its promisor remote (no transport, no upload-pack)",
    () => {
      const origin = repo({ "src/b.ts": "export class OldName {}\n" });
      commitStep(origin, { message: "rename", write: { "src/b.ts": "export class NewName {}\n", "AGENTS.md": "## Healthy\n<!-- scope: src/** -->\nUse `OldName`.\n" } }, 1);
      git(origin, ["config", "uploadpack.allowFilter", "true"]);
      const clone = join(tempDir("hl-partial-"), "clone");
      git(origin, ["clone", "-q", "--no-local", "--filter=blob:none", `file://${origin}`, clone]);
      git(clone, ["config", "remote.origin.uploadpack", script("upload-pack", "plain")]);
      for (const args of [["--drift"], ["trace"], ["review"], ["--base", "HEAD~1"]]) {
        const run = runBounded(args, clone);
        expect(run.signal, "hung").toBeNull();
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /i);
        expect([0, 1, 2], run.stderr).toContain(run.code);
        if (run.code === 2) expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
        expect(existsSync(join(markers, "upload-pack")), `${args.join(" ")} fetched`).toBe(false);
      }
      // Control: a plain history read fetches, through the planted upload-pack.
      try {
        git(clone, ["-c", "protocol.file.allow=always", "log", "-p", "--all"]);
      } catch {
        // the planted upload-pack makes the fetch fail; it ran all the same
      }
      expect(existsSync(join(markers, "upload-pack")), "control: the plant never ran").toBe(true);
    },
    4 * RUN_LIMIT_MS,
  );

  // Last: the controls refresh what they touch.
  it("controls: each plant runs under plain git", () => {
    for (const plant of PLANTS) {
      if (plant.control === null) continue;
      makeStatDirty();
      try {
        git(dir, plant.control, { GIT_OPTIONAL_LOCKS: "0" });
      } catch {
        // a failing plant (the process filter speaks no protocol) has run all the same
      }
      expect(existsSync(join(markers, plant.name)), `control for ${plant.name} left no marker`).toBe(true);
    }
    // The hooks alone: the other plants (a filter that speaks no protocol, the fsmonitor) would
    // fail the commit before git reaches its hooks.
    const only = ["-c", "core.fsmonitor=false", "-c", "filter.proc.process=", "-c", "filter.evil.clean=", "-c", "filter.evil.required=false"];
    git(dir, [...only, "commit", "-q", "--allow-empty", "-m", "control"]);
    expect(existsSync(join(markers, "hook-pre-commit")), "control: hooks never ran").toBe(true);
  });
});
