#!/usr/bin/env node
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { createBaseline, writeBaseline } from "./engine/baseline.js";
import { writeFileAtomic } from "./engine/atomic-write.js";
import { isUserError, UserError } from "./engine/errors.js";
import { readCheckDoc } from "./engine/explain.js";
import { checkInfos, findCheck, lint } from "./engine/lint.js";
import { TOOL_NAME, TOOL_VERSION } from "./engine/meta.js";
import { getFormatter } from "./formatters/index.js";
import { newPostmortem, runInit } from "./commands/init.js";
import { findRepoRoot } from "./model/git.js";
import type { LintResult } from "./formatters/types.js";

const HELP = `Usage: harness-lint [options]            lint the harness of the repository around the current directory
       harness-lint --drift [--since REF]   only stale names (history explanations: coming in a later release)
       harness-lint explain CHECK           what a check looks for, why, and how to fix it
       harness-lint init [--hooks]          write .harnessrc.yml and docs/postmortems/TEMPLATE.md;
                                            --hooks installs pre-commit and commit-msg hooks
       harness-lint postmortem new "title"  a dated post-mortem from the template, with the next id

Options:
  --format stylish|json|sarif|github   output format (default: stylish)
  --output-file F                      write the report to F instead of stdout
  --max-warnings N                     exit 1 when there are more than N warnings
  --quiet                              report errors only
  --config F                           use this configuration file (JSON or YAML)
  --no-color                           no colours (NO_COLOR and FORCE_COLOR are honoured too)
  --cwd DIR                            lint the repository around DIR
  --baseline F                         report only findings that are not in baseline F
  --write-baseline F                   record the current findings in F
  --debug                              print stack traces of internal errors
  -h, --help                           this help
  -v, --version                        the version

Exit codes: 0 clean, 1 errors found (or too many warnings), 2 usage, configuration, git or internal error.
`;

const NOT_YET = new Set(["trace", "review", "commit-msg"]);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: "string" },
      "output-file": { type: "string" },
      "max-warnings": { type: "string" },
      quiet: { type: "boolean" },
      config: { type: "string" },
      color: { type: "boolean" },
      "no-color": { type: "boolean" },
      cwd: { type: "string" },
      baseline: { type: "string" },
      "write-baseline": { type: "string" },
      debug: { type: "boolean" },
      drift: { type: "boolean" },
      since: { type: "string" },
      fix: { type: "boolean" },
      "fix-dry-run": { type: "boolean" },
      staged: { type: "boolean" },
      base: { type: "string" },
      hooks: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command === "explain") return explain(rest);
  if (command === "init") return init(values.cwd, values.hooks === true);
  if (command === "postmortem") return postmortem(values.cwd, rest);
  if (command !== undefined) {
    if (NOT_YET.has(command)) throw new UserError(`"${command}" is not available in ${TOOL_NAME} ${TOOL_VERSION} yet`);
    throw new UserError(`Unknown command "${command}": expected explain, or options only (see --help)`);
  }
  for (const flag of ["staged", "base", "fix", "fix-dry-run"] as const) {
    if (values[flag] !== undefined) throw new UserError(`--${flag} is not available in ${TOOL_NAME} ${TOOL_VERSION} yet`);
  }
  if (values.since !== undefined && !values.drift) throw new UserError("--since goes with --drift");
  if (values.since !== undefined) throw new UserError(`--since is not available in ${TOOL_NAME} ${TOOL_VERSION} yet`);

  const maxWarnings = parseMaxWarnings(values["max-warnings"]);
  const format = values.format ?? "stylish";
  const formatter = getFormatter(format);
  const cwd = resolve(values.cwd ?? process.cwd());
  const run = await lint({
    cwd,
    ...(values.config !== undefined ? { configPath: resolve(values.config) } : {}),
    ...(values.baseline !== undefined ? { baselinePath: resolve(values.baseline) } : {}),
    ...(values.drift ? { only: new Set(["stale-symbol", "stale-path"]) } : {}),
  });
  if (values["write-baseline"] !== undefined) {
    writeBaseline(resolve(values["write-baseline"]), createBaseline(run.result.findings));
  }
  const result: LintResult = values.quiet
    ? { ...run.result, findings: run.result.findings.filter((f) => f.severity === "error") }
    : run.result;
  const toFile = values["output-file"] !== undefined;
  const color = useColor(values["no-color"] === true, values.color === true, toFile);
  const output = formatter(result, { color, checks: checkInfos() });
  if (toFile) await writeFileAtomic(resolve(values["output-file"]!), output);
  else process.stdout.write(output);

  const { errors, warnings } = run.result.summary;
  if (errors > 0) return 1;
  if (!values.quiet && maxWarnings !== null && warnings > maxWarnings) {
    process.stderr.write(`${TOOL_NAME}: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

function explain(args: string[]): number {
  const [id] = args;
  if (id === undefined) throw new UserError("explain needs a check id, e.g. `harness-lint explain stale-symbol`");
  const check = findCheck(id);
  const doc = readCheckDoc(check.id);
  process.stdout.write(doc ?? `${check.id}: ${check.description}\n`);
  return 0;
}

async function repoRoot(cwdOption: string | undefined): Promise<{ root: string; inGit: boolean }> {
  const cwd = resolve(cwdOption ?? process.cwd());
  const gitRoot = await findRepoRoot(cwd);
  return { root: gitRoot ?? cwd, inGit: gitRoot !== null };
}

async function init(cwdOption: string | undefined, hooks: boolean): Promise<number> {
  const { root, inGit } = await repoRoot(cwdOption);
  const { lines } = await runInit(root, { hooks, inGit });
  process.stdout.write(lines.map((line) => `${line}\n`).join(""));
  return 0;
}

async function postmortem(cwdOption: string | undefined, args: string[]): Promise<number> {
  const [action, ...words] = args;
  if (action !== "new") throw new UserError('postmortem takes "new": harness-lint postmortem new "title"');
  const { root } = await repoRoot(cwdOption);
  process.stdout.write(`created ${newPostmortem(root, words.join(" "))}\n`);
  return 0;
}

function parseMaxWarnings(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^-?\d+$/.test(value)) throw new UserError(`--max-warnings expects a whole number, received "${value}"`);
  const n = Number(value);
  return n < 0 ? null : n;
}

function useColor(noColor: boolean, forceColor: boolean, toFile: boolean): boolean {
  if (noColor || toFile) return false;
  if (forceColor) return true;
  if ("NO_COLOR" in process.env && process.env.NO_COLOR !== "") return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  return process.stdout.isTTY === true;
}

const debug = process.argv.includes("--debug");
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isUserError(error) || isArgumentError(error)) {
      process.stderr.write(`${TOOL_NAME}: ${oneLine((error as Error).message)}\n`);
    } else {
      process.stderr.write(`${TOOL_NAME}: internal error: ${oneLine(String((error as Error)?.message ?? error))}${debug ? "" : " (run with --debug for the stack trace)"}\n`);
      if (debug) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    }
    process.exitCode = 2;
  },
);

function isArgumentError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
