// `--staged`, the pre-commit run: lint what the commit will record (the index, not the work
// tree) and report what the commit does to the harness:
// - every finding in a harness file, post-mortem or hook file the commit adds or changes (all
//   of them when there is no HEAD yet);
// - stale-symbol and stale-path findings anywhere whose mention the commit breaks: the mention
//   resolved before the commit and does not after. "Before" is HEAD for the files the commit
//   touches and the index for the rest, so it needs only the staged diff, one call, and the HEAD
//   versions of the changed code files (usually already in the index cache).
// Stale names that were stale before the commit are the full run's business, not the commit's.

import { resolve } from "node:path";
import { indexCodebase } from "../codebase/code-index.js";
import { buildCodebase } from "../codebase/codebase.js";
import { indexSource, readIndexEntries, runGit, splitNul, type IndexEntry } from "../git/file-source.js";
import { findRepoRoot } from "../git/git.js";
import { hookFormatOf } from "../harness/hooks.js";
import type { Model } from "./model.js";
import { judgePath, judgeSymbol } from "../harness/resolve.js";
import { basename } from "../shared/text.js";
import type { CodeIndex, Codebase, Finding, Hook, Mention, Preamble, Rule } from "../harness/types.js";
import { buildModel, configuredMaxFileBytes, openModelCaches } from "./build-model.js";
import type { IndexCache } from "../codebase/index-cache.js";
import { loadConfig } from "./config.js";
import type { Config } from "../shared/config-types.js";
import { UserError } from "../shared/errors.js";
import { activeChecks, finishRun, runChecks, type LintOptions, type LintRun } from "./lint.js";
import { pathMatcher } from "../codebase/glob.js";

/** One path the commit changes, from `git diff --cached --raw`. */
export interface StagedChange {
  status: "A" | "C" | "D" | "M" | "R" | "T" | "U" | "X";
  /** The path in the index (for D: the deleted path). */
  path: string;
  /** The path at HEAD, for renames and copies. */
  fromPath?: string;
  oldMode: string;
  newMode: string;
  oldOid: string;
}

const STALENESS_CHECKS: ReadonlySet<string> = new Set(["stale-symbol", "stale-path"]);

export async function lintStaged(options: LintOptions): Promise<LintRun> {
  const cwd = resolve(options.cwd);
  const root = await repositoryRoot(cwd);
  const [{ config }, entries, changes] = await Promise.all([
    loadConfig(root, options.configPath !== undefined ? { configPath: options.configPath } : {}),
    readIndexEntries(root),
    readStagedChanges(root),
  ]);
  const active = activeChecks(options.checks, config, options.only);
  const needsCodeIndex = active.some(({ check }) => check.id === "stale-symbol");
  const [caches, source] = await Promise.all([openModelCaches(root, true, config, needsCodeIndex), indexSource(root, entries)]);
  let model: Model;
  let judge: BeforeJudge | null;
  try {
    model = await buildModel({ root, inGit: true, config, needsCodeIndex, source, caches });
    judge = await beforeTheCommit(model, changes, caches.index);
  } finally {
    source.close();
  }
  // Saved before the checks run, so nothing a check does to the model can reach the cache.
  await caches.save();
  return finishRun(cwd, root, options, model, whatTheCommitDoes(runChecks(model, active), model, changes, judge));
}

/** The findings the commit is answerable for; broken mentions reworded to say so. */
function whatTheCommitDoes(findings: Finding[], model: Model, changes: StagedChange[], judge: BeforeJudge | null): Finding[] {
  const changedFiles = new Set(changes.filter((change) => change.status !== "D").map((change) => change.path));
  const mentions = mentionsByLocation(model);
  const kept: Finding[] = [];
  for (const finding of findings) {
    if (changedFiles.has(finding.file)) {
      kept.push(finding);
      continue;
    }
    if (judge === null || !STALENESS_CHECKS.has(finding.check)) continue;
    const located = mentions.get(locationKey(finding.file, finding.line, finding.column));
    if (located === undefined) continue;
    const broken = judge(located.mention, located.text.file);
    if (broken) kept.push(reworded(finding, broken));
  }
  return kept;
}

/** How the commit broke a mention: what it removed and, for a rename, where the path went. */
interface Breakage {
  removed: string;
  renamedTo?: string;
  /** The path is there, but the commit made it non-executable. */
  executableBit?: boolean;
}

type BeforeJudge = (mention: Mention, file: string) => Breakage | null;

/**
 * Judges a mention against the repository as it was before the commit: HEAD's versions of the
 * files the commit changes, the index for every other file. Null when the commit removes,
 * renames and changes nothing (only additions), so it can break no mention.
 */
async function beforeTheCommit(model: Model, changes: StagedChange[], cache: IndexCache | null): Promise<BeforeJudge | null> {
  const removesAnything = changes.some((change) => change.status === "D" || change.status === "R" || change.status === "M" || change.status === "T");
  if (!removesAnything) return null;
  const before = codebaseBefore(model, changes);
  const renames = changes.filter((change) => change.status === "R" && change.fromPath !== undefined);
  const removedPaths = changes.filter((change) => change.status === "D").map((change) => change.path);
  const { packages, ignoredPaths: ignored } = model;
  const nowPaths = { codebase: model.codebase, packages, ignored };
  const beforePaths = { codebase: before, packages, ignored };
  const ignore = pathMatcher(model.config.symbols.ignore.length > 0 ? model.config.symbols.ignore : ["\0"]);
  const headIndex = await indexOfHeadVersions(model, changes, cache);
  const nowSymbols = { index: model.codeIndex, packages, codebase: model.codebase, ignore };
  // Unchanged files are the same on both sides, so "in the index now or in HEAD's version of a
  // changed file" is "at HEAD" for code names.
  const beforeSymbols = { index: unionIndex(model.codeIndex, headIndex), packages, codebase: before, ignore };
  // A searched index answers what it searched for: the judgments before the commit may look up
  // more (a base class only HEAD's version declares), so they are asked too.
  if (model.codeIndex.settle) {
    await model.codeIndex.settle((index) => {
      const now = { ...nowSymbols, index };
      const then = { ...beforeSymbols, index: unionIndex(index, headIndex) };
      for (const text of model.texts) {
        for (const mention of text.mentions) {
          if (mention.kind !== "symbol") continue;
          judgeSymbol(mention.value, now);
          judgeSymbol(mention.value, then);
        }
      }
    });
  }
  const unexecutable = new Set(
    changes.filter((change) => change.oldMode === "100755" && change.newMode === "100644").map((change) => change.path),
  );

  return (mention, file) => {
    if (mention.kind === "symbol") {
      const now = judgeSymbol(mention.value, nowSymbols);
      if (now.status !== "missing" || judgeSymbol(mention.value, beforeSymbols).status !== "exists") return null;
      return { removed: now.missing ?? mention.value };
    }
    if (judgePath(mention, file, nowPaths).status !== "missing") {
      // Present, but the commit took away the executable bit a hook needs.
      return mention.runDirectly && unexecutable.has(mention.value) ? { removed: mention.value, executableBit: true } : null;
    }
    if (judgePath(mention, file, beforePaths).status !== "exists") return null;
    const target = mention.value.replace(/^\.\//, "").replace(/^\/+/, "").replace(/\/+$/, "");
    const rename = renames.find((change) => pathMeans(change.fromPath!, target));
    if (rename) {
      const renamedTo = rename.fromPath === target ? rename.path : target === basename(rename.fromPath!) ? basename(rename.path) : undefined;
      return renamedTo !== undefined ? { removed: mention.value, renamedTo } : { removed: mention.value };
    }
    const removed = removedPaths.find((path) => pathMeans(path, target));
    return { removed: removed !== undefined && removed !== target ? removed : mention.value };
  };
}

/** Whether a path the commit removed is what a mention could mean: itself, a file inside it, or by name. */
function pathMeans(path: string, target: string): boolean {
  return path === target || path.startsWith(`${target}/`) || path.endsWith(`/${target}`) || basename(path) === target;
}

/** The file list before the commit: renamed and deleted paths back, added ones gone. */
function codebaseBefore(model: Model, changes: StagedChange[]): Codebase {
  const files = new Set(model.codebase.allFiles);
  for (const change of changes) {
    if (change.status === "A" || change.status === "C") files.delete(change.path);
    else if (change.status === "D") files.add(change.path);
    else if (change.status === "R") {
      files.delete(change.path);
      if (change.fromPath !== undefined) files.add(change.fromPath);
    }
  }
  const { include, exclude } = model.config.codebase;
  return buildCodebase(model.root, [...files], true, { include, exclude, harnessFiles: new Set() });
}

/** Names in HEAD's versions of the code files the commit changes, renames or deletes. */
async function indexOfHeadVersions(model: Model, changes: StagedChange[], cache: IndexCache | null): Promise<CodeIndex> {
  const isCode = codePathMatcher(model);
  const headEntries = new Map<string, IndexEntry>();
  for (const change of changes) {
    if (change.status === "A" || change.status === "C" || /^0+$/.test(change.oldOid)) continue;
    const path = change.fromPath ?? change.path;
    if (isCode(path)) headEntries.set(path, { path, mode: change.oldMode, oid: change.oldOid });
  }
  if (headEntries.size === 0) return model.codeIndex;
  const source = await indexSource(model.root, headEntries);
  try {
    const maxFileBytes = configuredMaxFileBytes(model.config);
    // A handful of files: parsed directly unless this run already read the per-content entries.
    const useCache = cache !== null && (cache.storeLoaded || headEntries.size > 64);
    return await indexCodebase(source, [...headEntries.keys()], { maxFileBytes, ...(useCache ? { cache } : {}) });
  } finally {
    source.close();
  }
}

/** The codebase's own rule for which files are code, for paths that may no longer exist. */
function codePathMatcher(model: Model): (path: string) => boolean {
  const { include, exclude } = model.config.codebase;
  const included = pathMatcher(include);
  const excluded = exclude.length > 0 ? pathMatcher(exclude) : () => false;
  const isPostMortem = pathMatcher(model.config.postmortems);
  return (path) => included(path) && !excluded(path) && !model.isHarnessPath(path) && !isPostMortem(path) && hookFormatOf(path) === null;
}

function unionIndex(first: CodeIndex, second: CodeIndex): CodeIndex {
  if (first === second) return first;
  return {
    has: (name) => first.has(name) || second.has(name),
    containers: (name) => {
      const a = first.containers(name);
      const b = second.containers(name);
      return a && b ? [...a, ...b] : (a ?? b);
    },
  };
}

function reworded(finding: Finding, breakage: Breakage): Finding {
  const where = `${finding.file}:${finding.line}`;
  const message = breakage.executableBit
    ? `this commit removes the executable bit of \`${breakage.removed}\`, which ${where} runs`
    : breakage.renamedTo !== undefined
      ? `this commit renames \`${breakage.removed}\` to \`${breakage.renamedTo}\`, and ${where} still names the old path`
      : `this commit removes \`${breakage.removed}\`, which ${where} names`;
  const hint = "Update the rule in this commit, or keep the name; `harness-lint --drift` explains older breakage.";
  return {
    ...finding,
    message,
    hint,
    ...(breakage.renamedTo !== undefined ? { suggestion: { ...finding.suggestion, replacement: breakage.renamedTo } } : {}),
  };
}

type Located = { mention: Mention; text: Rule | Hook | Preamble };

function mentionsByLocation(model: Model): Map<string, Located> {
  const located = new Map<string, Located>();
  for (const text of model.texts) {
    for (const mention of text.mentions) located.set(locationKey(text.file, mention.span.start.line, mention.span.start.column), { mention, text });
  }
  return located;
}

function locationKey(file: string, line: number, column: number): string {
  return `${file}\0${line}\0${column}`;
}

// ---------------------------------------------------------------------------------------------
// The staged diff

/** The work tree's root; a pre-commit run outside a repository is a usage error. */
async function repositoryRoot(cwd: string): Promise<string> {
  // findRepoRoot says why git refused (not on PATH, another user's repository) in one line.
  const top = await findRepoRoot(cwd);
  if (top === null) throw new UserError(`--staged lints the git index, and ${cwd} is not inside a git work tree`);
  return top;
}

/** `git diff --cached --raw`: what the commit changes, with HEAD's blob ids (all added when there is no HEAD). */
export async function readStagedChanges(root: string): Promise<StagedChange[]> {
  const output = await runGit(root, ["diff", "--cached", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", "--no-textconv"]);
  const fields = splitNul(output);
  const changes: StagedChange[] = [];
  for (let index = 0; index < fields.length; ) {
    // `:<old mode> <new mode> <old oid> <new oid> <status><score>` then one path, two for R and C.
    const match = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(fields[index++]!);
    if (!match) continue;
    const status = match[5] as StagedChange["status"];
    const first = fields[index++];
    if (first === undefined) break;
    if (status === "R" || status === "C") {
      const second = fields[index++];
      if (second === undefined) break;
      changes.push({ status, path: second, fromPath: first, oldMode: match[1]!, newMode: match[2]!, oldOid: match[3]! });
    } else {
      changes.push({ status, path: first, oldMode: match[1]!, newMode: match[2]!, oldOid: match[3]! });
    }
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Running checks: the same selection and runner as `lint`

