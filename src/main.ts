import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { COMMANDS, parseCli, parseFormats, singleFormat, type CliValues } from "./commands/options.js";
import { existsSync } from "node:fs";
import { closestMatch } from "./shared/closest.js";
import { isUserError, UserError } from "./shared/errors.js";
import { startProgress } from "./shared/progress.js";
import { TOOL_NAME, TOOL_VERSION } from "./shared/meta.js";
import { printable, printableLines } from "./shared/printable.js";
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
       harness-lint [options] PATH...       lint only these harness files or folders
       harness-lint --stdin --stdin-filename F
                                            lint standard input as the harness file F
       harness-lint lsp --stdio             a Language Server for editors (diagnostics as you type, hover,
                                            definition, references, quick fixes, completion)
       harness-lint mcp [--cwd DIR]         an MCP server for agents (check_rules, explain_name,
                                            rules_for_path, trace_rule); read-only

Options:
  -f, --format NAME[:FILE]             stylish|json|sarif|github (default: stylish); repeat it to
                                       write several formats from one run, e.g. -f github -f sarif:out.sarif
  -o, --output-file F                  write the report to F instead of stdout
  --max-warnings N                     exit 1 when there are more than N warnings
  --quiet                              report errors only
  -c, --config F                       use this configuration file alone (JSON or YAML)
  --print-config PATH                  print the configuration that applies to PATH, as JSON
  --no-color                           no colours (NO_COLOR and FORCE_COLOR are honoured too)
  --cwd DIR                            lint the repository around DIR
  --no-cache                           read and write no cache (--cache is accepted: caches are on by default)
  --cache-location DIR                 keep the caches in DIR (default: .git/harness-lint)
  --report-unused-disable-directives   report harness-lint-disable comments that suppress nothing as errors
  --report-unused-disable-directives-severity off|warn|error
                                       ... or with this severity (default: warn)
  --baseline F                         report only findings that are not in baseline F
  --write-baseline F                   record the current findings in F
  --debug                              print stack traces of internal errors
  -h, --help                           this help
  -v, --version                        the version

Exit codes: 0 clean, 1 errors found (or too many warnings), 2 usage, configuration, git or internal error.
`;

async function main(argv: string[]): Promise<number> {
  // The servers take their own transport flags (`--stdio`) and run until the client leaves;
  // loaded only here, so a plain lint never pays for them.
  if (argv[0] === "lsp") return serveLsp(argv.slice(1));
  if (argv[0] === "mcp") return serveMcp(argv.slice(1));
  const { values, positionals } = parseCli(argv);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  const { configureCaches } = await import("./git/cache-directory.js");
  configureCaches({ enabled: values["no-cache"] !== true, ...(values["cache-location"] !== undefined ? { location: values["cache-location"] } : {}) });
  const isCommand = positionals[0] !== undefined && (COMMANDS as readonly string[]).includes(positionals[0]);
  const command = isCommand ? positionals[0] : undefined;
  const rest = isCommand ? positionals.slice(1) : positionals;
  if (command === "explain") return await explain(rest);
  if (command === "init") return init(values.cwd, values.hooks === true);
  if (command === "postmortem") return postmortem(values.cwd, rest);
  const commandOptions = {
    cwd: resolve(values.cwd ?? process.cwd()),
    ...(values.config !== undefined ? { configPath: resolve(values.config) } : {}),
    ...(values.since !== undefined ? { since: values.since } : {}),
    ...(singleFormat(values.format) !== undefined ? { format: singleFormat(values.format)! } : {}),
  };
  if (command === "trace") {
    const { runTrace } = await import("./commands/trace.js");
    const traced = await runTrace({ ...commandOptions, ...(values.unlinked ? { unlinked: true } : {}), ...(values.item !== undefined ? { item: values.item } : {}) });
    await emit(traced.output, values["output-file"], singleFormat(values.format));
    return traced.code;
  }
  if (command === "review") {
    const { runReview } = await import("./commands/review.js");
    const reviewed = await runReview(commandOptions);
    await emit(reviewed.output, values["output-file"], singleFormat(values.format));
    return reviewed.code;
  }
  if (command === "commit-msg") {
    const [file] = rest;
    if (file === undefined) throw new UserError('commit-msg needs the message file: harness-lint commit-msg "$1"');
    const { runCommitMsg } = await import("./commands/commit-msg.js");
    const checked = await runCommitMsg({ cwd: commandOptions.cwd, ...(values.config !== undefined ? { configPath: resolve(values.config) } : {}), file: resolve(file) });
    // git shows a commit-msg hook's stderr; stdout is the commit's business.
    process.stderr.write(printableLines(checked.output));
    return checked.code;
  }
  const paths = rest;
  if (values["print-config"] !== undefined) return await printConfig(commandOptions.cwd, values["print-config"], values.config);
  if (values.since !== undefined && !values.drift) throw new UserError("--since goes with --drift");
  if (values.fix && values["fix-dry-run"]) throw new UserError("use --fix or --fix-dry-run, not both");
  const stdin = await readStdinOption(values, paths);

  const maxWarnings = parseMaxWarnings(values["max-warnings"]);
  const outputs = parseFormats(values.format, values["output-file"]);
  const { getFormatter } = await import("./formatters/index.js");
  const formatters = await Promise.all(outputs.map(async (target) => ({ target, format: await getFormatter(target.format) })));
  const cwd = resolve(values.cwd ?? process.cwd());
  const lintOptions = {
    cwd,
    ...(values.config !== undefined ? { configPath: resolve(values.config) } : {}),
    ...(values.baseline !== undefined ? { baselinePath: resolve(values.baseline) } : {}),
    ...(values.drift ? { only: new Set(["stale-symbol", "stale-path"]) } : {}),
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(paths.length > 0 ? { paths: checkedPaths(cwd, paths) } : {}),
    ...(stdin !== undefined ? { stdin } : {}),
    ...unusedDirectivesOption(values["report-unused-disable-directives"], values["report-unused-disable-directives-severity"]),
  };
  // A plain full lint whose inputs did not change is answered from the last run's result.
  // `--drift` too (a variant of its own, keyed by HEAD like every run), but not `--since REF`,
  // whose REF may move without HEAD moving.
  const cacheable =
    !values.staged &&
    !(values.drift && values.since !== undefined) &&
    !values.fix &&
    !values["fix-dry-run"] &&
    values.base === undefined &&
    paths.length === 0 &&
    stdin === undefined &&
    !noCache(values);
  const runCache = cacheable ? await (await import("./engine/run-cache.js")).openRunCache(lintOptions) : null;
  let outcome: { result: LintResult; checks: CheckInfo[] };
  if (runCache?.hit !== undefined) {
    outcome = runCache.hit;
  } else {
    // The registry loads only when a run checks: a stored result needs no check module.
    const [{ checkInfos }, { checks }] = await Promise.all([import("./engine/lint.js"), import("../rules/index.js")]);
    const options = { ...lintOptions, checks };
    const run = await lintRun(values, runCache ? { ...options, listed: { root: runCache.root, listing: runCache.listing } } : options);
    stopProgress();
    for (const notice of run.notices) process.stderr.write(`${TOOL_NAME}: ${notice}\n`);
    if (run.dryRunDiff !== undefined) {
      process.stdout.write(printableLines(run.dryRunDiff));
      return run.result.summary.errors > 0 ? 1 : 0;
    }
    outcome = { result: run.result, checks: checkInfos(checks) };
    await runCache?.store(outcome, run.baselinePath);
  }
  if (values["write-baseline"] !== undefined) {
    const { createBaseline, writeBaseline } = await import("./engine/baseline.js");
    writeBaseline(resolve(values["write-baseline"]), createBaseline(outcome.result.findings), outcome.result.root);
  }
  const result: LintResult = values.quiet ? { ...outcome.result, findings: outcome.result.findings.filter((f) => f.severity === "error") } : outcome.result;
  for (const { target, format } of formatters) {
    const color = useColor(values["no-color"] === true, values.color === true, target.file !== null);
    await emit(format(result, { color, checks: outcome.checks, cwd }), target.file ?? undefined, target.format, outcome.result.root);
  }

  const { errors, warnings } = outcome.result.summary;
  if (errors > 0) return 1;
  if (!values.quiet && maxWarnings !== null && warnings > maxWarnings) {
    process.stderr.write(`${TOOL_NAME}: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

/** File arguments must exist; a mistyped command reads as a missing file, so say which command it looks like. */
function checkedPaths(cwd: string, paths: string[]): string[] {
  for (const path of paths) {
    if (existsSync(resolve(cwd, path))) continue;
    const command = closestMatch(path, COMMANDS);
    throw new UserError(`No such file or folder: "${path}".${command === undefined ? "" : ` Did you mean the command "${command}"?`}`);
  }
  return paths;
}

/** `--stdin --stdin-filename F`: the text to lint as F, read whole from standard input. */
async function readStdinOption(values: CliValues, paths: string[]): Promise<{ path: string; text: string } | undefined> {
  if (values.stdin !== true) {
    if (values["stdin-filename"] !== undefined) throw new UserError("--stdin-filename goes with --stdin");
    return undefined;
  }
  const filename = values["stdin-filename"];
  if (filename === undefined) throw new UserError("--stdin needs --stdin-filename F: the file the text stands for decides its format and its scope");
  if (paths.length > 0) throw new UserError("--stdin lints standard input only: give no file arguments with it");
  if (values.fix || values.staged) throw new UserError(`--stdin cannot be used with ${values.fix ? "--fix" : "--staged"}`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { path: filename, text: Buffer.concat(chunks).toString("utf8") };
}

/** `--print-config PATH`: the configuration a file is judged by (the root's, with its packages' on top), as JSON. */
async function printConfig(cwd: string, path: string, configOption: string | undefined): Promise<number> {
  const [{ findRepoRoot }, { loadConfig }, { loadPackageConfigs, packagesFor, effectiveConfig }, { repoPath }] = await Promise.all([
    import("./git/git.js"),
    import("./engine/config.js"),
    import("./engine/package-config.js"),
    import("./engine/selection.js"),
  ]);
  const gitRoot = await findRepoRoot(cwd);
  const root = gitRoot ?? cwd;
  const loaded = await loadConfig(root, configOption !== undefined ? { configPath: resolve(configOption) } : {});
  const file = repoPath(root, cwd, path);
  let config = loaded.config;
  if (configOption === undefined) {
    const { openWorkTree } = await import("./codebase/codebase.js");
    const source = await openWorkTree(root, gitRoot !== null);
    try {
      config = effectiveConfig(config, packagesFor(file, await loadPackageConfigs(root, source.files, loaded.config)));
    } finally {
      source.close();
    }
  }
  process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
  return 0;
}

/** The lint itself: the work tree or the index, with stale names explained and fixed when asked. */
async function lintRun(values: CliValues, lintOptions: LintOptions): Promise<LintRun & { dryRunDiff?: string }> {
  const { lint } = await import("./engine/lint.js");
  let run = values.staged ? await (await import("./engine/staged.js")).lintStaged(lintOptions) : await lint(lintOptions);
  if (!values.drift && !values.fix && !values["fix-dry-run"]) return run;
  // Stale names explained from history: the commit that removed each and what replaced it.
  const [{ explainStaleFindings }, { applyFixes, applyStagedFixes, fixDiff, fixesJson }] = await Promise.all([import("./history/drift.js"), import("./engine/fix.js")]);
  const relint = async () => (values.staged ? (await import("./engine/staged.js")).lintStaged(lintOptions) : lint(lintOptions));
  const driftOptions = { isHarnessPath: run.model.isHarnessPath, ...(values.since !== undefined ? { since: values.since } : {}) };
  const explained = async (current: LintRun) =>
    withFindings(current, await explainOrKeep(() => explainStaleFindings(current.result.root, current.result.findings, driftOptions), current.result.findings));
  run = await explained(run);
  if (values["fix-dry-run"]) {
    const preview = singleFormat(values.format) === "json" ? fixesJson : fixDiff;
    return { ...run, dryRunDiff: await preview(run.result.root, run.result.findings) };
  }
  if (values.fix) {
    // --staged --fix writes the work tree and stages what it wrote: the commit records the fix.
    const fixed = await (values.staged ? applyStagedFixes : applyFixes)(run.result.root, run.result.findings);
    if (fixed.changed.length > 0) {
      process.stderr.write(`${TOOL_NAME}: not fixed, changed by another process while --fix ran: ${printable(fixed.changed.join(", "))}; run --fix again\n`);
    }
    if (fixed.applied > 0) {
      process.stderr.write(`${TOOL_NAME}: fixed ${fixed.applied} mention${fixed.applied === 1 ? "" : "s"} in ${printable(fixed.files.join(", "))}\n`);
      // Report what is left, as ESLint does after --fix.
      run = await explained(await relint());
    }
  }
  return run;
}

/** --no-cache, or HARNESS_LINT_NO_RUN_CACHE=1: no stored result of an earlier run (with the env var alone, the index and parse caches still apply). */
function noCache(values: CliValues): boolean {
  if (values["no-cache"] === true) return true;
  const value = process.env.HARNESS_LINT_NO_RUN_CACHE;
  return value !== undefined && value !== "" && value !== "0";
}

async function emit(raw: string, outputFile: string | undefined, format: string | undefined, root?: string): Promise<void> {
  stopProgress();
  // JSON escapes what it must; every other format is read in a terminal or an editor.
  const output = format === "json" ? raw : printableLines(raw);
  if (outputFile === undefined) {
    process.stdout.write(output);
    return;
  }
  const { findRepoRoot } = await import("./git/git.js");
  await writeOutput(resolve(outputFile), output, root ?? (await findRepoRoot(process.cwd()).catch(() => null)));
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

async function serveLsp(args: string[]): Promise<number> {
  if (!args.includes("--stdio")) throw new UserError("lsp speaks over stdio: run `harness-lint lsp --stdio`");
  const [{ startLspServer }, { openProject }] = await Promise.all([import("./lsp/server.js"), import("./index.js")]);
  startLspServer((root) => openProject(root));
  return new Promise<number>(() => undefined);
}

async function serveMcp(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, allowPositionals: false, options: { cwd: { type: "string" }, debug: { type: "boolean" } } });
  const cwd = resolve(values.cwd ?? process.cwd());
  const { startMcpServer } = await import("./mcp/server.js");
  await startMcpServer(cwd);
  return new Promise<number>(() => undefined);
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
/**
 * The report where the user asked: written through an existing FIFO or device (never replaced),
 * atomically otherwise, and never through a symbolic link the repository (`root`) holds.
 */
async function writeOutput(path: string, output: string, root: string | null): Promise<void> {
  const [{ namedOutput, writeThrough }, { writeFileAtomic }] = await Promise.all([import("./shared/confined-path.js"), import("./shared/atomic-write.js")]);
  try {
    if (namedOutput(path, root, "--output-file") === "special") writeThrough(path, output);
    else await writeFileAtomic(path, output);
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
  process.stdout.write(`created ${printable(newPostmortem(root, words.join(" ")))}\n`);
  return 0;
}

/** ESLint's pair: the flag alone reports unused directives as errors; -severity says how. */
function unusedDirectivesOption(flag: boolean | undefined, severity: string | undefined): { unusedDirectives?: "off" | "warn" | "error" } {
  if (severity !== undefined) {
    if (severity !== "off" && severity !== "warn" && severity !== "error") {
      throw new UserError(`--report-unused-disable-directives-severity expects off, warn or error, received "${severity}"`);
    }
    return { unusedDirectives: severity };
  }
  return flag ? { unusedDirectives: "error" } : {};
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
// Progress on a terminal only, never beside JSON (a program reads it, or a person pipes it), nor
// for the servers (their clients own the terminal).
// HARNESS_LINT_PROGRESS_DELAY_MS lets a test see it without a slow run (default one second).
const progressDelay = Number(process.env.HARNESS_LINT_PROGRESS_DELAY_MS ?? "1000");
const stopProgress = startProgress(process.stderr, wantsProgress(process.argv.slice(2)), Number.isFinite(progressDelay) ? progressDelay : 1000);
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

function wantsProgress(argv: readonly string[]): boolean {
  if (argv[0] === "lsp" || argv[0] === "mcp") return false;
  return !argv.some((arg, i) => arg === "--format=json" || (arg === "--format" && argv[i + 1] === "json"));
}

function isArgumentError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

/** One line, and a short one: a git error can quote megabytes of its output. */
function oneLine(text: string): string {
  const line = printable(text.replace(/\s*\n\s*/g, " ").trim());
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
