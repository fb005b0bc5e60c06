// A real editor as the client: headless Neovim from the OS packages attaches `harness-lint lsp`
// to CLAUDE.md in a test repository, shows its diagnostics, hovers, jumps to a definition and
// applies a quick fix (test/servers/nvim/init.lua drives it and writes what it saw).
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintJson } from "../helpers/cli.js";
import { CLI, makeRepo, type Repo } from "./fixture.js";

const INIT = join(dirname(fileURLToPath(import.meta.url)), "nvim/init.lua");
let repo: Repo;
let report: Record<string, any>;
let before: string;
let cliFindings: ReturnType<typeof lintJson>["report"]["findings"];

beforeAll(async () => {
  repo = makeRepo();
  before = readFileSync(join(repo.root, "CLAUDE.md"), "utf8");
  cliFindings = lintJson(repo.root).report.findings;
  const out = join(repo.root, ".git", "nvim-report.json");
  const env = { ...process.env, HL_ROOT: repo.root, HL_OUT: out, HL_CMD: JSON.stringify([process.execPath, CLI, "lsp", "--stdio"]) };
  const nvim = spawn("nvim", ["--headless", "--clean", "-u", INIT], { cwd: repo.root, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  nvim.stderr.on("data", (d) => (stderr += d));
  // A missing nvim emits 'error' (ENOENT) and never 'exit': fail at once, saying so.
  const code = await new Promise((resolve, reject) => {
    nvim.on("exit", resolve);
    nvim.on("error", (error) => reject(new Error(`cannot start nvim (Neovim 0.7 or later must be on PATH): ${error.message}`)));
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  report = JSON.parse(readFileSync(out, "utf8"));
}, 180_000);
afterAll(() => repo?.cleanup());

describe("Neovim headless as the LSP client", () => {
  it("runs without error on Neovim 0.7 or later", () => {
    expect(report.error).toBeUndefined();
    expect(execFileSync("nvim", ["--version"], { encoding: "utf8" })).toMatch(/^NVIM v0\.([7-9]|\d\d)|^NVIM v[1-9]/);
  });

  it("shows the CLI's findings as its diagnostics", () => {
    const sorted = (xs: any[]) => [...xs].sort((a, b) => a.lnum - b.lnum || a.col - b.col || String(a.code).localeCompare(String(b.code)));
    // ASCII text: Neovim's byte columns equal the UTF-16 characters the server sent.
    expect(sorted(report.diagnostics)).toEqual(
      sorted(
        cliFindings
          .filter((f) => f.file === "CLAUDE.md")
          .map((f) => ({
            lnum: f.line - 1,
            col: f.column - 1,
            end_lnum: f.endLine - 1,
            end_col: f.endColumn - 1,
            severity: f.severity === "error" ? 1 : 2,
            code: f.check,
            message: f.message,
            source: "harness-lint",
          })),
      ),
    );
  });

  it("hover explains the rename from history", () => {
    expect(report.hover).toMatch(/^`UserImporter` was renamed to `AccountImporter` in [0-9a-f]{7}, 2026-11-20/);
  });

  it("go to definition jumps to the declaration", () => {
    expect(report.definition).toEqual({ file: join(repo.root, "src/importer.ts"), line: 3 });
  });

  it("the quick fix rewrites the stale name, and its diagnostic goes away", () => {
    expect(report.actions[0]).toMatch(/^Replace `UserImporter` with `AccountImporter`/);
    expect(readFileSync(join(repo.root, "CLAUDE.md"), "utf8")).toBe(before.replace("`UserImporter`", "`AccountImporter`"));
    expect(report.after.map((d: any) => d.code)).not.toContain("stale-symbol");
    expect(report.after.length).toBe(report.diagnostics.length - 1);
  });
});
