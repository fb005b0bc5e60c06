import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = join(REPO_ROOT, "dist", "src", "cli.js");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user would: a real subprocess, in `cwd`. The kill after 5 minutes is a
 * hang guard only: one run is a second or two of CPU, and a busy 2-core machine stretches that
 * tenfold and more.
 */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 300_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export interface JsonFinding {
  check: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  item?: string;
  mention?: string;
  suggestion?: Record<string, unknown>;
  commit?: string;
}

export interface JsonReport {
  version: number;
  root: string;
  summary: { errors: number; warnings: number; items: number; postmortems: number; files: number };
  findings: JsonFinding[];
}

export function lintJson(cwd: string, args: string[] = []): { code: number; report: JsonReport; stderr: string } {
  const run = runCli(["--format", "json", ...args], cwd);
  if (run.code === 2) throw new Error(`harness-lint exited 2: ${run.stderr}`);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}
