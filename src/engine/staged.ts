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
import { indexSource, readIndexEntries, runGit, splitNul, type FileSource, type IndexEntry } from "../git/file-source.js";
import { findRepoRoot } from "../git/git.js";
import { hookFormatOf } from "../harness/hooks.js";
import type { Model } from "./model.js";
import { judgePath, judgeSymbol } from "../harness/resolve.js";
import { basename } from "../shared/text.js";
import type { CodeIndex, Codebase, Finding, Hook, Mention, Preamble, Rule } from "../harness/types.js";
import type { ContainerInfo } from "../codebase/types.js";
import { askAbout, buildModel, configuredMaxFileBytes, openModelCaches } from "./build-model.js";
import type { IndexCache } from "../codebase/index-cache.js";
import { loadConfig } from "./config.js";
import { UserError } from "../shared/errors.js";
import { activeChecks, checkAndSuppress, finishRun, needsEvidence, type LintOptions, type LintRun } from "./lint.js";
import { buildEvidence, missingMentions } from "./evidence-facts.js";
import type { EvidenceFacts } from "../history/evidence.js";
import { pathMatcher } from "../codebase/glob.js";
import { SymbolHistory, explainName } from "../history/drift-symbol-history.js";
import { pathEdit, sourceText, symbolEdit } from "../history/drift-mention-edit.js";
import { readWrittenPath } from "../history/drift-path-forms.js";

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
  const active = activeChecks(options.checks, config, options.only, options.unusedDirectives);
  const needsCodeIndex = active.some(({ check }) => check.id === "stale-symbol" || check.id === "unknown-name");
  const [caches, source] = await Promise.all([openModelCaches(root, true, config, needsCodeIndex), indexSource(root, entries)]);
  let model: Model;
  let judge: BeforeJudge | null;
  let scope: CommitScope;
  try {
    // The code index is asked only what the commit can change (see `commitScope`), not every mention.
    model = await buildModel({ root, inGit: true, config, needsCodeIndex, source, caches, settleIndex: false });
    scope = await commitScope(model, changes, caches.index, source);
    judge = await beforeTheCommit(model, changes, scope);
    if (needsEvidence(active)) model.evidence = await evidenceWithTheChange(model, judge, scope);
  } finally {
    source.close();
  }
  // Saved before the checks run, so nothing a check does to the model can reach the cache.
  await caches.save();
  const checked = checkAndSuppress(scope.all ? model : withMentionsTheCommitAnswersFor(model, scope, judge), active, options);
  const touched = await touchedByTheCommit(root, model, changes, [...checked.findings, ...checked.suppressed]);
  const answerable = whatTheCommitDoes(model, touched, judge);
  const kept = checked.findings.flatMap((finding) => answerable(finding) ?? []);
  // A suppressed finding is listed (SARIF) only when the commit is answerable for it, as a finding is.
  const suppressed = checked.suppressed.filter((finding) => answerable(finding) !== null);
  return finishRun(cwd, root, options, model, { findings: await withStagedRenames(root, model, kept), suppressed });
}

/**
 * The model the checks read: a mention outside the files the commit changes can give a finding
 * the commit answers for only when the commit breaks it (see `whatTheCommitDoes`), so the others
 * are left out, and the checks ask the code index nothing it was not asked.
 */
function withMentionsTheCommitAnswersFor(model: Model, scope: CommitScope, judge: BeforeJudge | null): Model {
  const texts = model.texts.map((text) => {
    if (scope.changed.has(text.file)) return text;
    return { ...text, mentions: judge === null ? [] : text.mentions.filter((mention) => judge(mention, text.file) !== null) };
  });
  return { ...model, texts };
}

/** History's evidence, and the commit's own: a name or path the commit removes was here by definition. */
async function evidenceWithTheChange(model: Model, judge: BeforeJudge | null, scope: CommitScope): Promise<EvidenceFacts> {
  // Only what the commit answers for needs history: mentions in the files it changes, and those it breaks.
  const wanted = scope.all ? undefined : (file: string, mention: Mention) => scope.changed.has(file) || (judge !== null && judge(mention, file) !== null);
  const evidence = await buildEvidence(model, true, wanted);
  if (judge === null) return evidence;
  for (const { file, mention, fromPackage } of missingMentions(model, wanted)) {
    if (fromPackage !== true && judge(mention, file) !== null) evidence.add(file, mention, { commit: "", when: "change" });
  }
  return evidence;
}

/**
 * The findings the commit is answerable for, baseline or not: those it touches (see
 * `touchedByTheCommit`), and mentions anywhere it breaks, reworded to say so. Null for any other.
 */
function whatTheCommitDoes(model: Model, touches: (finding: Finding) => boolean, judge: BeforeJudge | null): (finding: Finding) => Finding | null {
  const mentions = mentionsByLocation(model);
  return (finding) => {
    if (touches(finding)) return finding;
    if (judge === null || !STALENESS_CHECKS.has(finding.check)) return null;
    const located = mentions.get(locationKey(finding.file, finding.line, finding.column));
    if (located === undefined) return null;
    const broken = judge(located.mention, located.text.file);
    return broken ? reworded(finding, broken) : null;
  };
}

/**
 * Whether the commit touches a finding in a file it adds or changes: a new file is all new; in an
 * edited file, a finding is touched when a line it spans is added or changed, or when it is about
 * an item (rule or hook) one of whose lines is, or when a line was deleted inside that item. A
 * post-mortem is one unit: any change to it touches its findings. Old findings elsewhere in an
 * edited file are the full run's business, not this commit's.
 */
async function touchedByTheCommit(root: string, model: Model, changes: StagedChange[], findings: readonly Finding[]): Promise<(finding: Finding) => boolean> {
  const changed = new Map(changes.filter((change) => change.status !== "D").map((change) => [change.path, change]));
  const edited = [...new Set(findings.map((f) => f.file))].filter((file) => {
    const change = changed.get(file);
    return change !== undefined && change.status !== "A" && change.status !== "C" && !/^0+$/.test(change.oldOid);
  });
  const lines = await changedLines(root, edited);
  const isPostMortem = pathMatcher(model.config.postmortems);
  const touchedItems = new Set<string>();
  for (const item of [...model.items, ...model.hooks]) {
    const itemLines = lines.get(item.file);
    if (itemLines === undefined) continue;
    const first = item.span.start.line;
    const last = first + (item.text.match(/\n/g)?.length ?? 0);
    for (const line of itemLines) {
      if (line >= first && line <= last) {
        touchedItems.add(item.ref);
        break;
      }
    }
  }
  return (finding) => {
    if (!changed.has(finding.file)) return false;
    const fileLines = lines.get(finding.file);
    if (fileLines === undefined) return edited.includes(finding.file) ? isPostMortem(finding.file) : true;
    if (isPostMortem(finding.file)) return true;
    if (finding.item !== undefined && touchedItems.has(finding.item)) return true;
    for (let line = finding.line; line <= (finding.endLine ?? finding.line); line++) if (fileLines.has(line)) return true;
    return false;
  };
}

/** Lines of the index version each file's staged diff adds or changes; a deletion marks the lines around it. */
async function changedLines(root: string, paths: readonly string[]): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  if (paths.length === 0) return out;
  const diff = (
    await runGit(root, ["-c", "core.quotePath=false", "diff", "--cached", "-U0", "-M", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", "--", ...paths])
  ).toString("utf8");
  let current: Set<number> | null = null;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++ ")) {
      const path = line.slice(4).replace(/^"|"$/g, "").replace(/^b\//, "");
      current = new Set();
      out.set(path, current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      if (count === 0) {
        current.add(start);
        current.add(start + 1);
      } else for (let n = start; n < start + count; n++) current.add(n);
    }
  }
  return out;
}

/**
 * A name the staged change renames in code: the same evidence `--drift` reads from a commit (a
 * declaration of the same kind appeared, the token that took its place), read from the staged
 * diff, so the finding names the new name and `--staged --fix` can write it.
 */
async function withStagedRenames(root: string, model: Model, findings: Finding[]): Promise<Finding[]> {
  const wanted = findings.filter((f) => f.check === "stale-symbol" && f.messageId !== "missingMember" && f.mention !== undefined && f.message.startsWith("this commit removes"));
  const renamed = findings.filter((f) => f.check === "stale-path" && f.suggestion?.replacement !== undefined && f.message.startsWith("this commit renames"));
  if (wanted.length === 0 && renamed.length === 0) return findings;
  const isExcluded = (path: string) => model.isHarnessPath(path) || pathMatcher(model.config.postmortems)(path);
  const history = wanted.length > 0 ? await SymbolHistory.readStaged(root, isExcluded) : null;
  const heads = new Map(wanted.map((f) => [f, f.mention!.split(/\.|::|#/)[0]!]));
  const events = (await history?.eventsFor([...heads.values()])) ?? new Map();
  const texts = new Map(model.harnessFiles.map((file) => [file.path, sourceText(file.text)]));
  return findings.map((finding) => {
    if (renamed.includes(finding)) {
      const source = texts.get(finding.file);
      const fix = source && pathEdit(source, finding, readWrittenPath(finding.mention!, finding.file).text, finding.suggestion!.replacement!);
      return fix ? { ...finding, fix } : finding;
    }
    const head = heads.get(finding);
    if (head === undefined || history === null) return finding;
    const explanation = explainName(events.get(head) ?? [], history.graph);
    const inference = explanation?.inference;
    if (inference === undefined || !("replacement" in inference) || inference.replacement === undefined) return finding;
    const replacement = finding.mention!.replace(head, inference.replacement);
    const source = texts.get(finding.file);
    const fix = source && symbolEdit(source, finding, finding.mention!, replacement);
    return {
      ...finding,
      message: `this commit renames \`${finding.mention}\` to \`${replacement}\`, and ${finding.file}:${finding.line} still names the old name`,
      suggestion: { ...finding.suggestion, replacement },
      hint: "`harness-lint --staged --fix` rewrites the rule and stages it; or keep the old name.",
      ...(fix ? { fix } : {}),
    };
  });
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
 * Which mentions the commit can change the verdict of. A mention in a harness file, post-mortem
 * or hook file the commit adds or changes is the commit's, whatever it says. Elsewhere a path
 * mention is judged against both file lists (no code index needed), and a symbol mention can
 * break only if its verdict reads something the commit removes: "before" is the index now plus
 * HEAD's versions of the changed code files, so a lookup reads the same on both sides unless it
 * asks for
 * - a name HEAD's versions have and the staged versions do not (whether it is gone everywhere
 *   is then one targeted search of the searched index);
 * - a container HEAD's versions declare that no staged container of that name covers (same
 *   kind, its members and bases among the staged one's), or a container whose bases lead to
 *   one (members are looked up through the bases);
 * - a file name the commit removes (a name exists when a file is named after it).
 * Only those mentions are asked of the code index: a cold run parses the changed files and the
 * few files a search finds, not every file a mention names.
 */
interface CommitScope {
  /** Every mention is asked about and judged (an index that answers every name already, or none). */
  all: boolean;
  /** Paths the commit adds or changes. */
  changed: ReadonlySet<string>;
  /** The code files' names at HEAD, of those the commit changes, renames or deletes (null: none). */
  head: CodeIndex | null;
  /** Whether a symbol mention outside the changed files can break (true for every mention when `all`). */
  mayBreak(value: string): boolean;
}

async function commitScope(model: Model, changes: StagedChange[], cache: IndexCache | null, source: FileSource): Promise<CommitScope> {
  const changed = new Set(changes.filter((change) => change.status !== "D").map((change) => change.path));
  const head = await indexOfHeadVersions(model, changes, cache);
  const index = model.codeIndex;
  const names = head === null ? [] : head.names?.();
  if (index.settle === undefined || index.inheritorsOf === undefined || names === undefined) return { all: true, changed, head, mayBreak: () => true };
  const staged = head === null ? null : await indexOfStagedVersions(model, changes, cache, source);
  const removedNames = new Set<string>();
  const changedContainers = new Set<string>();
  const headBases: Array<[name: string, bases: string[]]> = [];
  for (const name of names) {
    if (staged === null || !staged.has(name)) removedNames.add(name);
    const before = head!.containers(name) ?? [];
    const after = staged?.containers(name) ?? [];
    if (before.some((container) => !after.some((other) => covers(other, container)))) changedContainers.add(name);
    if (before.length > 0) headBases.push([name, before.flatMap((container) => container.heritage)]);
  }
  // Containers whose bases lead to a changed one, in the code now or in HEAD's versions.
  const reaching = new Set(changedContainers);
  for (let frontier = [...changedContainers]; frontier.length > 0; ) {
    const bases = new Set(frontier);
    const found = await index.inheritorsOf(frontier);
    for (const [name, heritage] of headBases) if (heritage.some((base) => bases.has(base))) found.add(name);
    frontier = [...found].filter((name) => !reaching.has(name));
    for (const name of frontier) reaching.add(name);
  }
  const removedFiles = changes
    .flatMap((change) => (change.status === "D" ? [change.path] : change.status === "R" && change.fromPath !== undefined ? [change.fromPath] : []))
    .map((path) => basename(path).toLowerCase());
  return {
    all: false,
    changed,
    head,
    mayBreak: (value) => {
      // The lookups `judgeSymbol` makes (src/harness/resolve.ts): the head, bare and in lower
      // case; its containers and their bases for a member; file names the head may be the stem
      // or the start of.
      const parts = value.split(/\.|::|#/).filter(Boolean);
      const first = parts[0];
      if (first === undefined) return false;
      const bare = first.replace(/^#/, "");
      const lower = bare.toLowerCase();
      if (removedNames.has(first) || removedNames.has(bare) || removedNames.has(lower)) return true;
      if (parts.length > 1 && reaching.has(first)) return true;
      return removedFiles.some((name) => name.startsWith(lower));
    },
  };
}

/** Whether a container answers every lookup another would: the same kind, with its members and bases. */
function covers(container: ContainerInfo, other: ContainerInfo): boolean {
  if (container.kind !== other.kind) return false;
  for (const member of other.members) if (!container.members.has(member)) return false;
  return other.heritage.every((base) => container.heritage.includes(base));
}

/**
 * Judges a mention against the repository as it was before the commit: HEAD's versions of the
 * files the commit changes, the index for every other file. Null when the commit removes,
 * renames and changes nothing (only additions), so it can break no mention. First asks the
 * searched index what the scope needs: every question for the changed files' mentions, and the
 * two judgments for the mentions elsewhere that may break.
 */
async function beforeTheCommit(model: Model, changes: StagedChange[], scope: CommitScope): Promise<BeforeJudge | null> {
  const removesAnything = changes.some((change) => change.status === "D" || change.status === "R" || change.status === "M" || change.status === "T");
  const before = removesAnything ? codebaseBefore(model, changes) : model.codebase;
  const { packages, ignoredPaths: ignored } = model;
  const ignore = pathMatcher(model.config.symbols.ignore.length > 0 ? model.config.symbols.ignore : ["\0"]);
  const nowSymbols = { index: model.codeIndex, packages, codebase: model.codebase, ignore };
  // Unchanged files are the same on both sides, so "in the index now or in HEAD's version of a
  // changed file" is "at HEAD" for code names.
  const beforeSymbols = { index: unionIndex(model.codeIndex, scope.head ?? model.codeIndex), packages, codebase: before, ignore };
  // A searched index answers what it searched for: the judgments before the commit may look up
  // more (a base class only HEAD's version declares), so they are asked too.
  if (model.codeIndex.settle) {
    await model.codeIndex.settle((index) => {
      const now = { ...nowSymbols, index };
      const then = { ...beforeSymbols, index: unionIndex(index, scope.head ?? index) };
      for (const text of model.texts) {
        const ours = scope.all || scope.changed.has(text.file);
        for (const mention of text.mentions) {
          if (mention.kind !== "symbol") continue;
          if (ours) askAbout(mention.value, now);
          else if (removesAnything && scope.mayBreak(mention.value)) judgeSymbol(mention.value, now);
          else continue;
          if (removesAnything) judgeSymbol(mention.value, then);
        }
      }
    });
  }
  if (!removesAnything) return null;
  const renames = changes.filter((change) => change.status === "R" && change.fromPath !== undefined);
  const removedPaths = changes.filter((change) => change.status === "D").map((change) => change.path);
  const nowPaths = { codebase: model.codebase, packages, ignored };
  const beforePaths = { codebase: before, packages, ignored };
  const unexecutable = new Set(changes.filter((change) => change.oldMode === "100755" && change.newMode === "100644").map((change) => change.path));

  return (mention, file) => {
    if (mention.kind === "symbol") {
      // Outside the scope the index was not asked, and the verdict cannot change.
      if (!scope.all && !scope.changed.has(file) && !scope.mayBreak(mention.value)) return null;
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

/** Names in HEAD's versions of the code files the commit changes, renames or deletes; null when there are none. */
async function indexOfHeadVersions(model: Model, changes: StagedChange[], cache: IndexCache | null): Promise<CodeIndex | null> {
  const isCode = codePathMatcher(model);
  const headEntries = new Map<string, IndexEntry>();
  for (const change of changes) {
    if (change.status === "A" || change.status === "C" || /^0+$/.test(change.oldOid)) continue;
    const path = change.fromPath ?? change.path;
    if (isCode(path)) headEntries.set(path, { path, mode: change.oldMode, oid: change.oldOid });
  }
  if (headEntries.size === 0) return null;
  const source = await indexSource(model.root, headEntries);
  try {
    return await indexOfFiles(model, source, [...headEntries.keys()], cache);
  } finally {
    source.close();
  }
}

/** Names in the staged versions of the code files the commit adds or changes, read as the code index now reads them. */
async function indexOfStagedVersions(model: Model, changes: StagedChange[], cache: IndexCache | null, source: FileSource): Promise<CodeIndex> {
  const code = new Set(model.codebase.codeFiles);
  const paths = changes.filter((change) => change.status !== "D" && code.has(change.path)).map((change) => change.path);
  return indexOfFiles(model, source, paths, cache);
}

async function indexOfFiles(model: Model, source: FileSource, paths: string[], cache: IndexCache | null): Promise<CodeIndex> {
  const maxFileBytes = configuredMaxFileBytes(model.config);
  // A handful of files: parsed directly unless this run already read the per-content entries.
  const useCache = cache !== null && (cache.storeLoaded || paths.length > 64);
  return indexCodebase(source, paths, { maxFileBytes, wordFallback: model.config.symbols.wordFallback, codeCacheDirectory: cache?.directory ?? null, ...(useCache ? { cache } : {}) });
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
  const hint =
    breakage.renamedTo !== undefined
      ? "`harness-lint --staged --fix` rewrites the rule and stages it; or keep the old name."
      : "Update the rule in this commit, or keep the name; `harness-lint --drift` explains older breakage.";
  // The change being committed is what breaks the rule: no commit of history is named (the
  // rule's own commit, or the one that last removed the name, says nothing about this change).
  const { commit: _history, ...rest } = finding;
  return {
    ...rest,
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
