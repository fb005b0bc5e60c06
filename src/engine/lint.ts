import { realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { compareFindings } from "../shared/findings.js";
import type { CheckInfo, LintResult } from "../shared/findings.js";
import { workTreeSource, type WorkTreeListing } from "../git/file-source.js";
import { findRepoRoot } from "../git/git.js";
import type { Model } from "./model.js";
import type { Finding, Severity, SeveritySetting } from "../harness/types.js";
import type { SuppressedFinding } from "../shared/findings.js";
import { buildModel } from "./build-model.js";
import { toFinding, type Check, type Report } from "./check.js";
import { loadConfig } from "./config.js";
import type { Config } from "../shared/config-types.js";
import { UserError } from "../shared/errors.js";
import { checkDocsUrl } from "../shared/meta.js";
import { readCheckDoc } from "./explain.js";
import { openWorkTree } from "../codebase/codebase.js";
import { closestMatch } from "../shared/closest.js";
import { applyPackageConfigs, loadPackageConfigs, unionConfig, type PackageConfig } from "./package-config.js";
import { repoPath, selectResult, withText } from "./selection.js";
import { applyDirectives } from "./suppress.js";

export interface LintOptions {
  cwd: string;
  /** The checks to run (the registry, `rules/index.ts`): the faces pass it, so the engine knows no check by name. */
  checks: ReadonlyArray<Check<string>>;
  configPath?: string;
  /** Baseline file to subtract, relative to `cwd`; overrides `baseline` in config. */
  baselinePath?: string;
  /** Only these checks run (e.g. `--drift` runs the staleness checks). */
  only?: ReadonlySet<string>;
  /** CI: check every commit in `base..HEAD` for provenance (`unlinked-rule-change`). */
  base?: string;
  /** The repository root and its `git ls-files` output, when the caller already read them (the run cache). */
  listed?: { root: string; listing: WorkTreeListing };
  /** Report only what is in these files and folders (absolute, or relative to `cwd`). */
  paths?: string[];
  /** Lint this text as the file at `path` (relative to `cwd`) instead of what the work tree holds. */
  stdin?: { path: string; text: string };
  /**
   * `--report-unused-disable-directives[-severity]`: the severity of directive findings, over
   * the configuration's (default: the check's own, a warning); "off" reports none.
   */
  unusedDirectives?: SeveritySetting;
}

export interface LintRun {
  result: LintResult;
  model: Model;
  config: Config;
  /** The baseline file the run subtracted, if any. */
  baselinePath: string | null;
  /** One-line notes for stderr: why stale names were judged without history. */
  notices: string[];
}

/** Incomplete history is worth a line only when some finding was judged by absence because of it. */
function notices(model: Model, findings: readonly Finding[]): string[] {
  const evidence = model.evidence;
  if (evidence === undefined || evidence.complete || evidence.incomplete === undefined) return [];
  // A finding backed by evidence names its commit; one without was judged by absence.
  const byAbsence = findings.some((f) => (f.check === "stale-symbol" || f.check === "stale-path") && f.commit === undefined);
  return byAbsence ? [evidence.incomplete] : [];
}

export async function lint(options: LintOptions): Promise<LintRun> {
  const cwd = resolve(options.cwd);
  if (!isDirectory(cwd)) throw new UserError(`${cwd} is not a directory (--cwd)`);
  const gitRoot = options.listed?.root ?? (await findRepoRoot(cwd));
  const root = gitRoot ?? cwd;
  const { config } = await loadConfig(root, options.configPath !== undefined ? { configPath: options.configPath } : {});
  let source = options.listed ? await workTreeSource(root, options.listed.listing) : await openWorkTree(root, gitRoot !== null);
  try {
    if (options.stdin !== undefined) source = withText(source, repoPath(root, cwd, options.stdin.path), new TextEncoder().encode(options.stdin.text));
    const packages = options.configPath === undefined ? await loadPackageConfigs(root, source.files, config) : [];
    const active = activeChecks(options.checks, unionConfig(config, packages), options.only, options.unusedDirectives);
    const model = await buildModel({
      root,
      inGit: gitRoot !== null,
      config,
      needsCodeIndex: active.some(({ check }) => check.id === "stale-symbol" || check.id === "unknown-name"),
      source,
    });
    if (needsEvidence(active)) {
      const { buildEvidence } = await import("./evidence-facts.js");
      model.evidence = await buildEvidence(model, gitRoot !== null);
      if (needsLapses(active)) {
        const { buildLapsed } = await import("./lapsed-facts.js");
        model.lapsed = await buildLapsed(model, gitRoot !== null);
      }
    }
    if (options.base !== undefined) {
      const { buildModelHistory } = await import("./history-facts.js");
      model.history = await buildModelHistory(root, config, options.base, model.postmortems);
    }
    return await finishRun(cwd, root, options, model, checkAndSuppress(model, active, options), packages);
  } finally {
    source.close();
  }
}

/** Every active check's findings, with inline directives applied (`src/engine/suppress.ts`). */
export function checkAndSuppress(model: Model, active: ActiveCheck[], options: LintOptions): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const known = new Set(options.checks.map((check) => check.id));
  return applyDirectives(model, runChecks(model, active), active, known, options.only === undefined);
}

/**
 * The end every run shares (a full lint and --staged): the baseline subtracted (`--baseline`,
 * else the configuration's, confined to the repository), findings sorted and counted.
 */
export async function finishRun(
  cwd: string,
  root: string,
  options: LintOptions,
  model: Model,
  checked: { findings: Finding[]; suppressed: SuppressedFinding[] },
  knownPackages?: PackageConfig[],
): Promise<LintRun> {
  const { config } = model;
  const packages = knownPackages ?? (options.configPath === undefined ? await loadPackageConfigs(root, model.codebase.allFiles, config) : []);
  let findings = applyPackageConfigs(checked.findings, config, packages, options.checks);
  const baselinePath = options.baselinePath !== undefined ? resolve(cwd, options.baselinePath) : config.baseline !== null ? configBaseline(root, config.baseline) : null;
  if (baselinePath !== null) {
    const { applyBaseline, readBaseline } = await import("./baseline.js");
    findings = applyBaseline(findings, readBaseline(baselinePath));
  }
  findings.sort(compareFindings);
  let result = summarise(root, findings, model);
  const named = [...(options.paths ?? []), ...(options.stdin ? [options.stdin.path] : [])];
  if (named.length > 0)
    result = selectResult(
      result,
      model,
      named.map((path) => repoPath(root, cwd, path)),
      named,
    );
  if (checked.suppressed.length > 0) result.suppressed = checked.suppressed.sort(compareFindings);
  return { result, model, config, baselinePath, notices: notices(model, findings) };
}

/** The result of a run: its findings and the counts every format reports. */
export function summarise(root: string, findings: Finding[], model: Model): LintResult {
  const parsed = new Set([...model.harnessFiles.map((file) => file.path), ...model.postmortems.map((pm) => pm.path)]);
  return {
    root,
    findings,
    summary: {
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity === "warn").length,
      items: model.items.length,
      postmortems: model.postmortems.length,
      files: parsed.size + new Set(model.invalidFiles.map((f) => f.file).filter((file) => !parsed.has(file))).size,
    },
  };
}

const EVIDENCE_CHECKS: ReadonlySet<string> = new Set(["stale-symbol", "stale-path", "unknown-name"]);

/** Whether a check that judges missing names runs: only then is history asked for evidence. */
export function needsEvidence(active: readonly ActiveCheck[]): boolean {
  return active.some(({ check }) => EVIDENCE_CHECKS.has(check.id));
}

const LAPSE_CHECKS: ReadonlySet<string> = new Set(["stale-symbol", "stale-path"]);

/** Whether a check that reports lapsed guards runs: only then is history asked about hedged names. */
export function needsLapses(active: readonly ActiveCheck[]): boolean {
  return active.some(({ check }) => LAPSE_CHECKS.has(check.id));
}

export interface ActiveCheck {
  check: Check<string>;
  severity: Severity;
}

export function activeChecks(checks: ReadonlyArray<Check<string>>, config: Config, only: ReadonlySet<string> | undefined, unusedDirectives?: SeveritySetting): ActiveCheck[] {
  const active: ActiveCheck[] = [];
  for (const check of checks) {
    if (only && !only.has(check.id) && check.reviewDirectives === undefined) continue;
    const override = check.reviewDirectives !== undefined ? unusedDirectives : undefined;
    const setting = override ?? config.checks[check.id] ?? check.defaultSeverity;
    if (setting === "off") continue;
    active.push({ check, severity: setting });
  }
  return active;
}

export function runChecks(model: Model, active: ActiveCheck[]): Finding[] {
  const findings: Finding[] = [];
  for (const { check, severity } of active) {
    check.run(model, {
      config: model.config,
      report: (report: Report<string>) => findings.push(toFinding(check, severity, report)),
    });
  }
  return findings;
}

export function checkInfos(checks: ReadonlyArray<Check<string>>): CheckInfo[] {
  return checks.map((check) => ({
    id: check.id,
    description: check.description,
    defaultSeverity: check.defaultSeverity,
    docsUrl: checkDocsUrl(check.id),
    help: readCheckDoc(check.id) ?? "",
  }));
}

export function findCheck(checks: ReadonlyArray<Check<string>>, id: string): Check<string> {
  const check = checks.find((c) => c.id === id);
  if (!check) {
    const match = closestMatch(
      id,
      checks.map((c) => c.id),
    );
    throw new UserError(`Unknown check "${id}".${match === undefined ? "" : ` Did you mean "${match}"?`} Expected one of ${checks.map((c) => c.id).join(", ")}.`);
  }
  return check;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A baseline named in the repository's config is data from the repository: it must be a regular
 * file inside the root, or a pull request could make CI read `/proc/self/environ` or `/dev/zero`.
 */
export function configBaseline(root: string, configured: string): string {
  const path = resolve(root, configured);
  const inside = relative(root, path);
  if (inside.startsWith("..") || isAbsolute(inside)) throw new UserError(`baseline "${configured}" in the configuration is outside the repository`);
  try {
    const real = realpathSync(path);
    const realInside = relative(realpathSync(root), real);
    if (realInside.startsWith("..") || isAbsolute(realInside) || !statSync(real).isFile()) {
      throw new UserError(`baseline "${configured}" in the configuration is not a file inside the repository`);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    // Missing: readBaseline says so in one line.
  }
  return path;
}
