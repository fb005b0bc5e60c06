#!/usr/bin/env node
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { isUserError, UserError } from "./shared/errors.js";
import { startProgress } from "./shared/progress.js";
import { TOOL_NAME, TOOL_VERSION } from "./shared/meta.js";
import type { CheckInfo, LintResult } from "./formatters/types.js";
import type { LintOptions, LintRun } from "./engine/lint.js";
import type { Finding } from "./harness/types.js";

// Only what `--help` and `--version` need is imported up front; the engine (zod, yaml, the
// markdown parser, git clients) loads when a command runs, so a hook that asks the version
// does not pay for it.

const HELP = `Usage: harness-lint [options]            lint the harness of the repository around the current directory
       harness-lint --drift [--since REF] [--fix | --fix-dry-run]
                                            stale names, each explained from history: the commit that
                                            removed it and what replaced it; --since REF keeps what broke
                                            since REF; --fix rewrites unambiguous renames in harness files
       harness-lint --staged                pre-commit: lint the index (what the commit records), reporting
                                            findings in staged harness files and mentions the change breaks
       harness-lint --base REF              CI: lint HEAD and check every commit in REF..HEAD for provenance
       harness-lint commit-msg FILE         commit-msg hook: staged rule/hook changes need a post-mortem link
       harness-lint trace [--since DATE|REF] [--unlinked] [--item REF]
                                            every commit that changed an item, and the post-mortem behind it
       harness-lint review [--since 90d]    the quarterly review, as Markdown (or --format json)
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

const CLI_OPTIONS = {
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
  unlinked: { type: "boolean" },
  item: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

function parseCli(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, strict: true, options: CLI_OPTIONS });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command === "explain") return await explain(rest);
  if (command === "init") return init(values.cwd, values.hooks === true);
  if (command === "postmortem") return postmortem(values.cwd, rest);
  const commandOptions = {
    cwd: resolve(values.cwd ?? process.cwd()),
    ...(values.config !== undefined ? { configPath: resolve(values.config) } : {}),
    ...(values.since !== undefined ? { since: values.since } : {}),
    ...(values.format !== undefined ? { format: values.format } : {}),
  };
  if (command === "trace") {
    const { runTrace } = await import("./commands/trace.js");
    const traced = await runTrace({ ...commandOptions, ...(values.unlinked ? { unlinked: true } : {}), ...(values.item !== undefined ? { item: values.item } : {}) });
    await emit(traced.output, values["output-file"]);
    return traced.code;
  }
  if (command === "review") {
    const { runReview } = await import("./commands/review.js");
    const reviewed = await runReview(commandOptions);
    await emit(reviewed.output, values["output-file"]);
    return reviewed.code;
  }
  if (command === "commit-msg") {
    const [file] = rest;
    if (file === undefined) throw new UserError('commit-msg needs the message file: harness-lint commit-msg "$1"');
    const { runCommitMsg } = await import("./commands/commit-msg.js");
    const checked = await runCommitMsg({ cwd: commandOptions.cwd, ...(values.config !== undefined ? { configPath: resolve(values.config) } : {}), file: resolve(file) });
    // git shows a commit-msg hook's stderr; stdout is the commit's business.
    process.stderr.write(checked.output);
    return checked.code;
  }
  if (command !== undefined) {
    throw new UserError(`Unknown command "${command}": expected explain, trace, review, commit-msg, init or postmortem (see --help)`);
  }
  if (values.since !== undefined && !values.drift) throw new UserError("--since goes with --drift");
  if (values.fix && values["fix-dry-run"]) throw new UserError("use --fix or --fix-dry-run, not both");

  const maxWarnings = parseMaxWarnings(values["max-warnings"]);
  const { getFormatter } = await import("./formatters/index.js");
  const formatter = getFormatter(values.format ?? "stylish");
  const cwd = resolve(values.cwd ?? process.cwd());
  const lintOptions = {
    cwd,
    ...(values.config !== undefined ? { configPath: resolve(values.config) } : {}),
    ...(values.baseline !== undefined ? { baselinePath: resolve(values.baseline) } : {}),
    ...(values.drift ? { only: new Set(["stale-symbol", "stale-path"]) } : {}),
    ...(values.base !== undefined ? { base: values.base } : {}),
  };
  // A plain full lint whose inputs did not change is answered from the last run's result.
  const cacheable = !values.staged && !values.drift && !values.fix && !values["fix-dry-run"] && values.base === undefined && !noCache();
  const runCache = cacheable ? await (await import("./engine/run-cache.js")).openRunCache(lintOptions) : null;
  let outcome: { result: LintResult; checks: CheckInfo[] };
  if (runCache?.hit !== undefined) {
    outcome = runCache.hit;
  } else {
    // The registry loads only when a run checks: a stored result needs no check module.
    const [{ checkInfos }, { checks }] = await Promise.all([import("./engine/lint.js"), import("../rules/index.js")]);
    const options = { ...lintOptions, checks };
    const run = await lintRun(values, runCache ? { ...options, listed: { root: runCache.root, listing: runCache.listing } } : options);
    if (run.dryRunDiff !== undefined) {
      stopProgress();
      process.stdout.write(run.dryRunDiff);
      return run.result.summary.errors > 0 ? 1 : 0;
    }
    outcome = { result: run.result, checks: checkInfos(checks) };
    await runCache?.store(outcome, run.baselinePath);
  }
  if (values["write-baseline"] !== undefined) {
    const { createBaseline, writeBaseline } = await import("./engine/baseline.js");
    writeBaseline(resolve(values["write-baseline"]), createBaseline(outcome.result.findings));
  }
  const result: LintResult = values.quiet
    ? { ...outcome.result, findings: outcome.result.findings.filter((f) => f.severity === "error") }
    : outcome.result;
  const toFile = values["output-file"] !== undefined;
  const color = useColor(values["no-color"] === true, values.color === true, toFile);
  const output = formatter(result, { color, checks: outcome.checks });
  if (toFile) await writeOutput(resolve(values["output-file"]!), output, (await import("./shared/atomic-write.js")).writeFileAtomic);
  else {
    stopProgress();
    process.stdout.write(output);
  }

  const { errors, warnings } = outcome.result.summary;
  if (errors > 0) return 1;
  if (!values.quiet && maxWarnings !== null && warnings > maxWarnings) {
    process.stderr.write(`${TOOL_NAME}: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

type CliValues = ReturnType<typeof parseCli>["values"];

/** The lint itself: the work tree or the index, with stale names explained and fixed when asked. */
async function lintRun(values: CliValues, lintOptions: LintOptions): Promise<LintRun & { dryRunDiff?: string }> {
  const { lint } = await import("./engine/lint.js");
  let run = values.staged ? await (await import("./engine/staged.js")).lintStaged(lintOptions) : await lint(lintOptions);
  if (!values.drift && !values.fix && !values["fix-dry-run"]) return run;
  // Stale names explained from history: the commit that removed each and what replaced it.
  const [{ explainStaleFindings }, { applyFixes, fixDiff }] = await Promise.all([import("./history/drift.js"), import("./engine/fix.js")]);
  const driftOptions = { isHarnessPath: run.model.isHarnessPath, ...(values.since !== undefined ? { since: values.since } : {}) };
  const explained = async (current: LintRun) =>
    withFindings(current, await explainOrKeep(() => explainStaleFindings(current.result.root, current.result.findings, driftOptions), current.result.findings));
  run = await explained(run);
  if (values["fix-dry-run"]) return { ...run, dryRunDiff: await fixDiff(run.result.root, run.result.findings) };
  if (values.fix) {
    const fixed = await applyFixes(run.result.root, run.result.findings);
    if (fixed.applied > 0) {
      process.stderr.write(`${TOOL_NAME}: fixed ${fixed.applied} mention${fixed.applied === 1 ? "" : "s"} in ${fixed.files.join(", ")}\n`);
      // Report what is left, as ESLint does after --fix.
      run = await explained(await lint(lintOptions));
    }
  }
  return run;
}

/** HARNESS_LINT_NO_RUN_CACHE=1 lints without the stored result of an earlier run (the index and parse caches still apply). */
function noCache(): boolean {
  const value = process.env.HARNESS_LINT_NO_RUN_CACHE;
  return value !== undefined && value !== "" && value !== "0";
}

async function emit(output: string, outputFile: string | undefined): Promise<void> {
  stopProgress();
  if (outputFile === undefined) {
    process.stdout.write(output);
    return;
  }
  const { writeFileAtomic } = await import("./shared/atomic-write.js");
  await writeOutput(resolve(outputFile), output, writeFileAtomic);
}

/**
 * History that cannot be read (a snapshot with missing objects, a git error) costs the
 * explanations, not the lint: the findings are reported as they are, with one line saying why.
 */
async function explainOrKeep(explain: () => Promise<Finding[]>, findings: Finding[]): Promise<Finding[]> {
  try {
    return await explain();
  } catch (error) {
    if (isUserError(error)) throw error;
    process.stderr.write(`${TOOL_NAME}: could not explain stale names from history: ${oneLine(String((error as Error)?.message ?? error))}\n`);
    return findings;
  }
}

/** `--since` drops findings, so the summary's counts are redone from what is left. */
async function withFindings(run: LintRun, findings: Finding[]): Promise<LintRun> {
  const { summarise } = await import("./engine/lint.js");
  return { ...run, result: summarise(run.result.root, findings, run.model) };
}

async function explain(args: string[]): Promise<number> {
  const [id] = args;
  if (id === undefined) throw new UserError("explain needs a check id, e.g. `harness-lint explain stale-symbol`");
  const [{ findCheck }, { readCheckDoc }, { checks }] = await Promise.all([import("./engine/lint.js"), import("./engine/explain.js"), import("../rules/index.js")]);
  const check = findCheck(checks, id);
  const doc = readCheckDoc(check.id);
  process.stdout.write(doc ?? `${check.id}: ${check.description}\n`);
  return 0;
}

/** A report that cannot be written is the user's to fix: one line naming the file. */
async function writeOutput(path: string, output: string, write: (path: string, data: string) => Promise<void>): Promise<void> {
  try {
    await write(path, output);
  } catch (error) {
    if (isUserError(error)) throw error;
    const code = (error as { code?: string })?.code ?? "write failed";
    throw new UserError(`cannot write ${path} (--output-file): ${code}`);
  }
}

async function repoRoot(cwdOption: string | undefined): Promise<{ root: string; inGit: boolean }> {
  const cwd = resolve(cwdOption ?? process.cwd());
  const { statSync } = await import("node:fs");
  if (!(statSync(cwd, { throwIfNoEntry: false })?.isDirectory() ?? false)) throw new UserError(`${cwd} is not a directory (--cwd)`);
  const { findRepoRoot } = await import("./git/git.js");
  const gitRoot = await findRepoRoot(cwd);
  return { root: gitRoot ?? cwd, inGit: gitRoot !== null };
}

async function init(cwdOption: string | undefined, hooks: boolean): Promise<number> {
  const { root, inGit } = await repoRoot(cwdOption);
  const { runInit } = await import("./commands/init.js");
  const { lines } = await runInit(root, { hooks, inGit });
  process.stdout.write(lines.map((line) => `${line}\n`).join(""));
  return 0;
}

async function postmortem(cwdOption: string | undefined, args: string[]): Promise<number> {
  const [action, ...words] = args;
  if (action !== "new") throw new UserError('postmortem takes "new": harness-lint postmortem new "title"');
  const { root } = await repoRoot(cwdOption);
  const { newPostmortem } = await import("./commands/init.js");
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
// Progress on a terminal only, never beside JSON (a program reads it, or a person pipes it).
// HARNESS_LINT_PROGRESS_DELAY_MS lets a test see it without a slow run (default one second).
const progressDelay = Number(process.env.HARNESS_LINT_PROGRESS_DELAY_MS ?? "1000");
const stopProgress = startProgress(process.stderr, !wantsJson(process.argv.slice(2)), Number.isFinite(progressDelay) ? progressDelay : 1000);
process.once("exit", stopProgress);
main(process.argv.slice(2)).then(
  (code) => {
    stopProgress();
    process.exitCode = code;
  },
  (error: unknown) => {
    stopProgress();
    if (isUserError(error) || isArgumentError(error)) {
      process.stderr.write(`${TOOL_NAME}: ${oneLine((error as Error).message)}\n`);
    } else {
      process.stderr.write(`${TOOL_NAME}: internal error: ${oneLine(String((error as Error)?.message ?? error))}${debug ? "" : " (run with --debug for the stack trace)"}\n`);
      if (debug) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    }
    process.exitCode = 2;
  },
);

function wantsJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === "--format=json" || (arg === "--format" && argv[i + 1] === "json"));
}

function isArgumentError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

/** One line, and a short one: a git error can quote megabytes of its output. */
function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, " ").trim();
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
