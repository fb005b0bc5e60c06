import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Repo } from "./history-repo.js";
import { runCli } from "../helpers/cli.js";

// What `--drift` asks git, read from git's own trace (GIT_TRACE): the work grows with the names and
// paths asked, not with the history. No clock: the commands are counted.

const traces: string[] = [];
afterEach(() => {
  for (const dir of traces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function gitCommands(repo: Repo, args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "harness-trace-"));
  traces.push(dir);
  const file = join(dir, "trace.txt");
  const run = runCli(args, repo.dir, { HARNESS_LINT_NO_RUN_CACHE: "1", GIT_TRACE: file });
  expect(run.code).toBe(1);
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.includes("trace: built-in: git"))
    .map((line) => line.slice(line.indexOf("built-in: git") + "built-in: ".length));
}

function history(unrelated: number): Repo {
  const repo = new Repo();
  repo.commit({ write: { "src/importer.ts": "export class UserImporter {}\n", "src/old.ts": "export const a = 1;\n", "CLAUDE.md": "# Rules\n\n- Use `UserImporter` from `src/old.ts`.\n" } });
  repo.commit({ write: { "src/importer.ts": "export class AccountImporter {}\n" }, rename: [["src/old.ts", "src/new.ts"]] });
  for (let i = 0; i < unrelated; i++) repo.commit({ write: { [`src/f${i}.ts`]: `export const f${i} = ${i};\n` }, ...(i > 0 ? { rename: [[`src/f${i - 1}.ts`, `src/g${i - 1}.ts`]] } : {}) });
  return repo;
}

/** A log over the whole tree (no pathspec after `--`): what grows with the repository. */
function wholeTree(command: string): boolean {
  return command.endsWith(" --");
}

describe("--drift reads what the names need", () => {
  it("asks for patches only of the asked names, and for renames only where a mentioned path left", () => {
    const commands = gitCommands(history(4), ["--drift", "--format", "json"]);
    const logs = commands.filter((command) => command.startsWith("git log"));
    // No whole-history patch of the whole tree: such a log is limited by -G to the stale names.
    // (A patch log limited to a rule file, which the lint itself reads, is not drift's concern.)
    const patchLogs = logs.filter((command) => wholeTree(command) && / -p /.test(` ${command} `));
    expect(patchLogs.length).toBeGreaterThan(0);
    for (const log of patchLogs) expect(log).toMatch(/'?-GUserImporter'?/);
    // Rename detection over the whole tree runs on a list of commits (the one that moved
    // src/old.ts), never on the walk.
    for (const log of logs.filter((command) => wholeTree(command) && / -M /.test(` ${command} `) && !command.includes("-G"))) expect(log).toContain("--stdin");
    expect(logs.some((command) => command.includes("--stdin") && command.includes("-M"))).toBe(true);
    // The same questions however long the history.
    const longer = gitCommands(history(24), ["--drift", "--format", "json"]).filter((command) => command.startsWith("git log"));
    expect(longer.length).toBe(logs.length);
  });
});
