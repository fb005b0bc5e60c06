import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Repo } from "./history/history-repo.js";
import { CLI, runCli } from "./helpers/cli.js";

// Progress is for a person at a terminal: shown on a real pseudo-terminal (`script` from
// util-linux), never in a pipe, never beside JSON. HARNESS_LINT_PROGRESS_DELAY_MS=0 shows it at
// once, so no test waits for a slow run.

function onTerminal(args: string[], cwd: string): string {
  const command = [process.execPath, CLI, ...args].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(" ");
  const run = spawnSync("script", ["-qec", command, "/dev/null"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, HARNESS_LINT_PROGRESS_DELAY_MS: "0", HARNESS_LINT_NO_RUN_CACHE: "1", NO_COLOR: "1" },
    timeout: 120_000,
  });
  return run.stdout;
}

function sample(): Repo {
  const repo = new Repo();
  repo.commit({ write: { "src/a.ts": "export const a = 1;\n", "CLAUDE.md": "# Rules\n\n- Use `a` from `src/a.ts`.\n" } });
  repo.commit({ write: { "CLAUDE.md": "# Rules\n\n- Use `a` from `src/a.ts`.\n- Test.\n" } });
  return repo;
}

describe("progress", () => {
  it("shows what the run does on a terminal, and clears its line", () => {
    const repo = sample();
    const screen = onTerminal(["--cwd", repo.dir], repo.dir);
    expect(screen).toMatch(/harness-lint: [^\n]*(files read|starting)/);
    expect(screen).toContain("\r\x1b[K");
    const traced = onTerminal(["trace", "--cwd", repo.dir], repo.dir);
    expect(traced).toMatch(/harness-lint: [^\n]*(commits walked|starting)/);
  });

  it("says nothing with --format json, nor when stderr is not a terminal", () => {
    const repo = sample();
    expect(onTerminal(["--format", "json", "--cwd", repo.dir], repo.dir)).not.toMatch(/files read|starting…/);
    const piped = runCli(["--cwd", repo.dir], repo.dir, { HARNESS_LINT_PROGRESS_DELAY_MS: "0" });
    expect(piped.stderr).not.toMatch(/files read|starting…/);
  });
});
