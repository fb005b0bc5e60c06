// A configuration per package in a monorepo, as markdownlint-cli2 reads them: a file is judged by
// the nearest `.harnessrc*` (or package.json "harness-lint" key) in its folder or above, up to the
// repository root, whose configuration is the base.
//
// Only what is about one file can vary per package: `checks` (severities, merged key by key, the
// nearest winning) and `symbols.ignore` (names added to the root's list). Everything else decides
// what the repository is (which files are harness, codebase or post-mortems, the trailer, the
// adoption point, the baseline) and stays in the root configuration: a package file that sets it
// is refused with a message that says so. `--config FILE` reads that file alone, as ESLint's and
// markdownlint-cli2's do.
import path from "node:path";
import { globTester } from "../codebase/codebase.js";
import { pathMatcher } from "../codebase/glob.js";
import type { Config } from "../shared/config-types.js";
import type { Finding, Severity, SeveritySetting } from "../harness/types.js";
import type { Check } from "./check.js";
import { CONFIG_SEARCH_PLACES } from "./config-places.js";
import { configError } from "./config-error.js";
import { findConfigIn } from "./config.js";

/** The keys a package's configuration may set. */
export const PACKAGE_KEYS: readonly string[] = ["checks", "symbols.ignore"];

/** Checks whose findings name a symbol that `symbols.ignore` can silence. */
const SYMBOL_CHECKS: ReadonlySet<string> = new Set(["stale-symbol", "stale-path", "unknown-name"]);

export interface PackageConfig {
  /** Repo-relative folder with `/`; never "" (the root's configuration is the base). */
  dir: string;
  /** The file, as messages name it. */
  label: string;
  checks: Record<string, SeveritySetting>;
  ignore: string[];
}

/** Folders that never hold a package of this repository. */
const SKIPPED = /(^|\/)(node_modules|\.git)\//;

/**
 * The package configurations among `files` (the repository's file list), outermost first. Only a
 * folder that holds a file the root configuration lints counts: a test fixture's `.harnessrc.yml`
 * under a folder with no harness file configures nothing, and is not read.
 */
export async function loadPackageConfigs(root: string, files: readonly string[], config: Config): Promise<PackageConfig[]> {
  const places = new Set(CONFIG_SEARCH_PLACES);
  const folders = new Set<string>();
  for (const file of files) {
    const slash = file.lastIndexOf("/");
    if (slash === -1 || SKIPPED.test(file) || !places.has(file.slice(slash + 1))) continue;
    folders.add(file.slice(0, slash));
  }
  if (folders.size === 0) return [];
  const linted = lintedBy(config);
  const lintedFiles = files.filter(linted);
  const found: PackageConfig[] = [];
  for (const dir of [...folders].sort(byDepth)) {
    if (!lintedFiles.some((file) => file.startsWith(`${dir}/`))) continue;
    const config = await findConfigIn(path.join(root, dir), root);
    if (config === null) continue;
    found.push(await packageConfig(dir, config.label, config.data));
  }
  return found;
}

/** Whether the root configuration makes a file a harness file or a post-mortem. */
function lintedBy(config: Config): (file: string) => boolean {
  const included = globTester(config.harness.include, false);
  const excluded = globTester(config.harness.exclude, false);
  const postmortem = globTester(config.postmortems, false);
  return (file) => (included(file) && !excluded(file)) || postmortem(file);
}

function byDepth(a: string, b: string): number {
  return a.split("/").length - b.split("/").length || (a < b ? -1 : a > b ? 1 : 0);
}

async function packageConfig(dir: string, label: string, data: unknown): Promise<PackageConfig> {
  const { validateConfig } = await import("./config-schema.js");
  // The same validation as the root's, so a typo gets the same message...
  validateConfig(data, label);
  const given = (data ?? {}) as Record<string, unknown>;
  // ...then only what may vary per file.
  for (const [key, value] of Object.entries(given)) {
    if (value === null || value === undefined) continue;
    if (key === "checks") continue;
    if (key === "symbols") {
      const other = Object.keys(value as object).find((name) => name !== "ignore");
      if (other !== undefined) throw rootOnly(label, `symbols.${other}`);
      continue;
    }
    throw rootOnly(label, key);
  }
  const symbols = (given.symbols ?? {}) as { ignore?: string[] };
  return { dir, label, checks: (given.checks ?? {}) as Record<string, SeveritySetting>, ignore: symbols.ignore ?? [] };
}

function rootOnly(label: string, key: string) {
  return configError(label, `"${key}" applies to the whole repository and can only be set in the root configuration; a package's configuration may set ${PACKAGE_KEYS.join(" and ")}`);
}

/** The package configurations that apply to a repo-relative file, outermost first. */
export function packagesFor(file: string, packages: readonly PackageConfig[]): PackageConfig[] {
  return packages.filter((pkg) => file.startsWith(`${pkg.dir}/`));
}

/** The configuration a file is judged by: the root's with its packages' on top. */
export function effectiveConfig(config: Config, chain: readonly PackageConfig[]): Config {
  const checks = { ...config.checks };
  const ignore = [...config.symbols.ignore];
  for (const pkg of chain) {
    Object.assign(checks, pkg.checks);
    ignore.push(...pkg.ignore);
  }
  return { ...config, checks, symbols: { ...config.symbols, ignore } };
}

/**
 * The root configuration with every check on that some package turns on: what must run so each
 * package's findings exist. `applyPackageConfigs` then keeps each finding only where it is on.
 */
export function unionConfig(config: Config, packages: readonly PackageConfig[]): Config {
  const checks = { ...config.checks };
  for (const pkg of packages) {
    for (const [id, setting] of Object.entries(pkg.checks)) if (setting !== "off" && checks[id] === "off") checks[id] = setting;
  }
  return { ...config, checks };
}

/** Each finding with the severity its file's configuration gives it; dropped where that is off or the name ignored. */
export function applyPackageConfigs(findings: Finding[], config: Config, packages: readonly PackageConfig[], checks: ReadonlyArray<Check<string>>): Finding[] {
  if (packages.length === 0) return findings;
  const defaults = new Map(checks.map((check) => [check.id, check.defaultSeverity]));
  const kept: Finding[] = [];
  for (const finding of findings) {
    const chain = packagesFor(finding.file, packages);
    const effective = effectiveConfig(config, chain);
    const setting = effective.checks[finding.check] ?? defaults.get(finding.check) ?? finding.severity;
    if (setting === "off") continue;
    if (chain.length > 0 && finding.mention !== undefined && SYMBOL_CHECKS.has(finding.check) && ignored(finding.mention, chain)) continue;
    kept.push(setting === finding.severity ? finding : { ...finding, severity: setting as Severity });
  }
  return kept;
}

/** As the root's list is read (src/harness/resolve.ts): the whole mention, or the name it starts with. */
function ignored(mention: string, chain: readonly PackageConfig[]): boolean {
  const patterns = chain.flatMap((pkg) => pkg.ignore);
  if (patterns.length === 0) return false;
  const matches = pathMatcher(patterns);
  const head = /^[^.#:(]+/.exec(mention)?.[0] ?? mention;
  return matches(mention) || matches(head);
}
