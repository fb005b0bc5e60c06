import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { buildFixtureRepo, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { lintJson, REPO_ROOT, type JsonFinding, type JsonReport } from "./cli.js";

export const FIXTURES = join(REPO_ROOT, "fixtures");

export interface ScenarioSpec {
  /** Checks whose findings the markers describe exactly; other checks' findings are ignored. */
  checks: string[];
  /** Findings that cannot carry a marker (line 1 of a frontmatter file): `file:line:check`. */
  expect?: string[];
}

export interface ScenarioResult {
  expected: string[];
  actual: string[];
  findings: JsonFinding[];
  report: JsonReport;
  stderr: string;
}

const MARKER = /(?:<!--|#|\/\/)\s*expect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/g;

/**
 * Builds `fixtures/<scenario>` as a real repository, lints it, and compares findings with the
 * `expect: <check>` markers on the lines where they must appear: a line with no marker must have
 * no finding of the scenario's checks, so every fixture tests both ways.
 */
export async function runScenario(scenario: string, args: string[] = []): Promise<ScenarioResult> {
  const dir: string = await buildFixtureRepo(join(FIXTURES, scenario));
  try {
    return lintScenario(scenario, dir, args);
  } finally {
    removeRepo(dir);
  }
}

/**
 * `runScenario` on a repository the caller built from `fixtures/<scenario>` (and keeps for its
 * other runs): one build, one lint, for both the markers and the caller's own assertions.
 */
export function lintScenario(scenario: string, dir: string, args: string[] = []): ScenarioResult {
  const scenarioDir = join(FIXTURES, scenario);
  const spec = JSON.parse(readFileSync(join(scenarioDir, "scenario.json"), "utf8")) as ScenarioSpec;
  const { report, stderr } = lintJson(dir, args);
  const wanted = new Set(spec.checks);
  const findings = report.findings.filter((f) => wanted.has(f.check));
  const actual = findings.map((f) => `${f.file}:${f.line}:${f.check}`).sort();
  const expected = [...markers(join(scenarioDir, "tree")), ...(spec.expect ?? [])].filter((e) => wanted.has(e.split(":").pop()!)).sort();
  return { expected, actual, findings, report, stderr };
}

function markers(tree: string): string[] {
  const found: string[] = [];
  for (const path of walk(tree)) {
    const rel = relative(tree, path)
      .split("\\")
      .join("/")
      .replace(/(^|\/)gitignore$/, "$1.gitignore");
    const text = readFileSync(path, "utf8");
    text.split(/\r?\n/).forEach((line, index) => {
      for (const match of line.matchAll(MARKER)) {
        for (const check of match[1]!.split(",")) found.push(`${rel}:${index + 1}:${check.trim()}`);
      }
    });
  }
  return found;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/**
 * A configuration file for a fixture scenario built in `dir`: the scenario's own
 * `.harnessrc.yml` with only `codebase.index` set, written into `configs`. The strategy tests
 * compare `search` and `full` on the same configuration otherwise.
 */
export function scenarioConfigWithIndex(dir: string, scenario: string, index: "search" | "full", configs: string): string {
  const own = join(dir, ".harnessrc.yml");
  const base = existsSync(own) ? ((parseYaml(readFileSync(own, "utf8")) as Record<string, unknown> | null) ?? {}) : {};
  const path = join(configs, `${scenario}-${index}.yml`);
  writeFileSync(path, stringifyYaml({ ...base, codebase: { ...((base.codebase as object | undefined) ?? {}), index } }));
  return path;
}
