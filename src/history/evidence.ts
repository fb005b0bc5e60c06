// Stale means it was here (SPEC section 5). A mention the current codebase does not resolve is
// an error only when history shows the name or path was in this codebase: declared or used in
// code (a path: tracked) at the commit that wrote the rule line, or at HEAD when the work tree
// removed it. A name the repository never had (an env var of another service, a dependency's
// API, a placeholder) is not stale. The questions are few and batched:
// - one `git log -p --follow` per harness file with missing mentions: which commits added a line
//   holding each one (the oldest and the newest are the candidates, with HEAD);
// - per distinct candidate commit, one `git ls-tree` (paths, judged by the same judgePath) and
//   one `git grep -l` with every missing name (symbols), whose matched code files are read and
//   indexed by the same extractor as the current codebase, and judged by the same judgeSymbol;
// - for paths none of those show, one `git log --diff-filter=D` over the paths they could mean;
// - for names none of those show (removed before the rule line was written), one bounded
//   search further back (`evidence-before.ts`).
// A clone that cannot read some old objects (a snapshot without its large blobs) loses only
// what needs them: a log that stops on one keeps what it printed and goes on past that commit.

import { createCodeIndex, extractFileNames, readingOf, type FileNames } from "../codebase/code-index.js";
import { buildCodebase } from "../codebase/codebase.js";
import { execGit } from "../git/command.js";
import { isUnreadableFailure, ObjectReader } from "../git/object-reader.js";
import { noteUnreadable } from "../git/resilient-log.js";
import { isShallow, pathsAt, resolveCommit } from "../git/revisions.js";
import { isUserError } from "../shared/errors.js";
import { pathMatcher } from "../codebase/glob.js";
import { judgePath, judgeSymbol, type SymbolContext } from "../harness/resolve.js";
import { earlierCommits } from "./evidence-before.js";
import { declarationsIn } from "./drift-replacement.js";
import type { Codebase, Mention } from "../harness/types.js";
import { CACHE_FORMAT, isRecord, loadJson, saveJson } from "../shared/cache-files.js";
import { decodeText } from "../shared/text.js";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { buildFingerprint } from "../shared/build-fingerprint.js";

export interface NameEvidence {
  /** The commit where the name or path was seen (full id). */
  commit: string;
  /**
   * `rule`: the commit that wrote the rule line; `head`: the last commit (the work tree lost it);
   * `change`: the change being checked removes it; `deleted`: the commit that deleted the path;
   * `earlier`: an older commit (evidence-before.ts) whose `where` declared the name, which the
   * rule's own commits do not show.
   */
  when: "rule" | "head" | "change" | "deleted" | "earlier";
  /** Where a name was seen (a code file), or the tracked path a path meant (for a folder or glob: one file it held or matched). */
  where?: string;
  /**
   * The commit after `commit` that took it away: deleted or moved the path, or removed the last
   * line holding the name from `where`. Absent when history cannot tell (a work-tree edit, an
   * unreadable object, more questions than the cap).
   */
  removedIn?: string;
  /** Where `removedIn` moved the file the path meant (git's rename detection over that commit). */
  movedTo?: string;
  /** The rule file's path at `commit`, when it has moved since: a path in it was read from there. */
  ruleFile?: string;
}

export interface EvidenceFacts {
  /**
   * False when history cannot tell that a name was never here (no git, no commit, a shallow
   * clone): then a missing name without evidence is judged by absence, as before.
   */
  complete: boolean;
  /** Why history is incomplete, said once on stderr. */
  incomplete?: string;
  of(file: string, mention: Mention): NameEvidence | undefined;
  /** Records evidence found elsewhere (the change at hand). */
  add(file: string, mention: Mention, evidence: NameEvidence): void;
}

export interface MissingMention {
  file: string;
  mention: Mention;
  /** For a symbol: what is missing now, the head `A` of `A.b` or `A.b` when A lacks b. */
  missing?: string;
  /**
   * A path found now only under some package's folder: evidence is only the tree of the rule's
   * own commit having it at the path as written (it moved since); never an older deletion.
   */
  fromPackage?: true;
}

export interface EvidenceOptions {
  /** Which paths hold code (not prose, harness files, post-mortems, lock files). */
  isCodePath: (path: string) => boolean;
  packages: Set<string>;
  ignore: (name: string) => boolean;
  codebase: Codebase;
  codebaseOptions: { include: string[]; exclude: string[] };
  /**
   * The repository's cache folder: the rule files' history walks are kept there for the next run
   * at the same HEAD (a run after an edit, which the stored result cannot answer, walks nothing).
   */
  cacheDirectory?: string | null;
  /**
   * Everything besides history and the mentions that the answers depend on (the configuration,
   * the packages, the file list), as one string: with HEAD, the build and the missing mentions it
   * keys the stored answers (`evidence-answers-v2.json`). Absent: answers are not kept. Asked only
   * when some mention is missing: a run with none (most commits) does not hash the file list.
   */
  contextKey?: () => string;
}

/** A file of an old commit, by the names the extractor finds in it. */
interface NamedFile {
  path: string;
  names: FileNames;
  /** Read as code (TS/JS or a grammar), not as words. */
  parsed: boolean;
  /** Names the file declares (a definition, not a use), where asked for. */
  declared?: ReadonlySet<string>;
}

/** At most this many distinct commits are looked at: each costs a tree listing and a grep. */
const MAX_COMMITS = 64;
/** Matched files read per commit; a name common enough to match more is found in the first ones. */
const MAX_FILES_PER_COMMIT = 400;
/** Rule files whose history is walked at once (`git log --follow -p`, one process each). */
const HISTORY_WALKS_AT_ONCE = 3;
/** Files larger than this are not read for names at an old commit. */
const MAX_BLOB_BYTES = 1_000_000;

export function evidenceKey(file: string, mention: Mention): string {
  return `${file}\0${mention.span.start.line}\0${mention.span.start.column}\0${mention.value}`;
}

export function evidenceFacts(complete: boolean, incomplete?: string): EvidenceFacts {
  const found = new Map<string, NameEvidence>();
  return {
    complete,
    ...(incomplete !== undefined ? { incomplete } : {}),
    of: (file, mention) => found.get(evidenceKey(file, mention)),
    add: (file, mention, evidence) => {
      if (!found.has(evidenceKey(file, mention))) found.set(evidenceKey(file, mention), evidence);
    },
  };
}

/** Evidence for each missing mention that history has it for. */
export async function gatherEvidence(root: string, inGit: boolean, missing: readonly MissingMention[], options: EvidenceOptions): Promise<EvidenceFacts> {
  if (!inGit) return evidenceFacts(false, "not a git repository: stale names are judged by absence, without history");
  const head = await resolveCommit(root, "HEAD");
  if (head === null) return evidenceFacts(false, "no commits yet: stale names are judged by absence, without history");
  const shallow = await isShallow(root);
  // A shallow clone's oldest commit looks as if it added everything, and what came before is
  // not here: evidence found still counts, but its absence proves nothing.
  const facts = evidenceFacts(!shallow, shallow ? "shallow clone: stale names are judged by absence where its history is cut (git fetch --unshallow to judge by history)" : undefined);
  if (missing.length === 0) return facts;
  // The same questions at the same HEAD, by the same build, in the same context have the same
  // answers: a run after a code edit (which the stored run result cannot answer) asks history
  // nothing again. Kept for the whole set of questions, not per mention: the caps on commits and
  // names make a mention's answer depend on the others asked with it, and a warm run must say
  // what a cold one says.
  const directory = options.cacheDirectory ?? null;
  const answersKey = options.contextKey === undefined || directory === null ? null : await evidenceAnswersKey(head, missing, options.contextKey());
  const sets = answersKey === null ? null : ((await loadJson(join(directory!, ANSWERS_FILE), answerSetsFromFile)) ?? new Map<string, Map<string, NameEvidence>>());
  if (answersKey !== null && sets !== null) {
    const kept = sets.get(answersKey);
    if (kept !== undefined) {
      for (const item of missing) {
        const evidence = kept.get(evidenceKey(item.file, item.mention));
        if (evidence !== undefined) facts.add(item.file, item.mention, evidence);
      }
      return facts;
    }
  }
  await gatherFromHistory(root, head, missing, options, facts);
  if (answersKey !== null && sets !== null) {
    const answers: Array<[string, NameEvidence]> = [];
    for (const item of missing) {
      const evidence = facts.of(item.file, item.mention);
      if (evidence !== undefined) answers.push([evidenceKey(item.file, item.mention), evidence]);
    }
    // A lint asks two sets (the stale names, then the lapsed examples): a few sets are kept.
    const older = [...sets].slice(0, MAX_ANSWER_SETS - 1).map(([key, kept]) => ({ key, answers: [...kept] }));
    await saveJson(directory, ANSWERS_FILE, () => ({ sets: [{ key: answersKey, answers }, ...older] }));
  }
  return facts;
}

async function gatherFromHistory(root: string, head: string, missing: readonly MissingMention[], options: EvidenceOptions, facts: EvidenceFacts): Promise<void> {
  // Which commits to look at for each mention.
  const candidates = new Map<MissingMention, string[]>();
  const ruleCommits = new Map<MissingMention, string[]>();
  const rulePaths = new Map<MissingMention, Map<string, string>>();
  const byFile = new Map<string, MissingMention[]>();
  for (const item of missing) byFile.set(item.file, [...(byFile.get(item.file) ?? []), item]);
  // One history walk per rule file; each is a git process that runs while this one waits, so
  // a few run at once (a repository with eight rule files waited on eight in a row). Recorded in
  // the files' order, as before.
  const walked = [...byFile];
  const walks: Added[][] = new Array(walked.length);
  const directory = options.cacheDirectory ?? null;
  const kept = (directory === null ? null : await loadJson(join(directory, WALKS_FILE), (data) => walksFromFile(data, head))) ?? new Map<string, Map<string, KeptWalk>>();
  let walkedAny = false;
  let next = 0;
  const walker = async () => {
    for (let at = next++; at < walked.length; at = next++) {
      const [file, items] = walked[at]!;
      const texts = items.map((item) => searchText(item.mention));
      const known = kept.get(file) ?? new Map<string, KeptWalk>();
      if (texts.every((forms) => known.has(walkKey(forms)))) {
        walks[at] = texts.map((forms) => addedOf(known.get(walkKey(forms))!));
        continue;
      }
      const added = await commitsAdding(root, file, texts);
      walks[at] = added;
      texts.forEach((forms, index) => {
        const { oldest, newest, oldestPath, newestPath } = added[index]!;
        known.set(walkKey(forms), [oldest ?? null, newest ?? null, oldestPath ?? null, newestPath ?? null]);
      });
      kept.set(file, known);
      walkedAny = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(HISTORY_WALKS_AT_ONCE, walked.length) }, walker));
  if (walkedAny) await saveJson(directory, WALKS_FILE, () => ({ head, files: Object.fromEntries([...kept].map(([file, entries]) => [file, Object.fromEntries(entries)])) }));
  walked.forEach(([, items], at) => {
    const added = walks[at]!;
    items.forEach((item, index) => {
      const seen = added[index]!;
      const rule = [seen.oldest, seen.newest].filter((c): c is string => c !== undefined);
      ruleCommits.set(item, rule);
      // Where the rule file was at those commits (it may have moved since): paths in it are read from there.
      const paths = new Map<string, string>();
      if (seen.oldest !== undefined && seen.oldestPath !== undefined) paths.set(seen.oldest, seen.oldestPath);
      if (seen.newest !== undefined && seen.newestPath !== undefined) paths.set(seen.newest, seen.newestPath);
      rulePaths.set(item, paths);
      candidates.set(item, [...new Set([...rule, head])]);
    });
  });

  const commitOrder: string[] = [];
  for (const list of candidates.values()) for (const commit of list) if (!commitOrder.includes(commit)) commitOrder.push(commit);
  const commits = commitOrder.slice(0, MAX_COMMITS);
  // Each mention takes the evidence of its own first candidate that has some (the rule's commits
  // before HEAD), whatever order the other mentions put the commits in: a run that asks about
  // fewer mentions (`--staged`, an editor's buffer) finds for each what a full run finds.
  const best = new Map<MissingMention, { rank: number; evidence: NameEvidence }>();
  const record = (item: MissingMention, evidence: NameEvidence) => {
    const rank = candidates.get(item)!.indexOf(evidence.commit);
    const found = best.get(item);
    if (found === undefined || rank < found.rank) best.set(item, { rank, evidence });
  };
  const lookup = new OldNames(root);
  try {
    for (const commit of commits) {
      const waiting = missing.filter((item) => {
        const rank = candidates.get(item)!.indexOf(commit);
        return rank !== -1 && (best.get(item)?.rank ?? Infinity) > rank;
      });
      if (waiting.length === 0) continue;
      const when = (item: MissingMention): NameEvidence["when"] => (ruleCommits.get(item)!.includes(commit) ? "rule" : "head");
      const paths = waiting.filter((item) => item.mention.kind !== "symbol");
      const symbols = waiting.filter((item) => item.mention.kind === "symbol");
      if (paths.length > 0) {
        const tree = buildCodebase(root, await treePathsOrNone(root, commit), true, { ...options.codebaseOptions, harnessFiles: new Set() });
        const context = { codebase: tree, packages: options.packages, ignored: new Set<string>() };
        for (const item of paths) {
          const verdict = judgePath(item.mention, rulePaths.get(item)?.get(commit) ?? item.file, context);
          if (verdict.status !== "exists") continue;
          // Found then only as some package's path ending the same way: the path as written was
          // not there any more than it is now (today's reading may be stricter: a root folder of
          // that name appeared). Only the path as the rule resolves it counts as evidence.
          if (verdict.fromPackage === true) continue;
          if (item.fromPackage && when(item) !== "rule") continue;
          const where = fileMeant(item, tree);
          const ruleFile = rulePaths.get(item)?.get(commit);
          record(item, { commit, when: when(item), ...(where !== undefined ? { where } : {}), ...(ruleFile !== undefined && ruleFile !== item.file ? { ruleFile } : {}) });
        }
      }
      if (symbols.length > 0) {
        const words = [...new Set(symbols.flatMap((item) => wordsOf(item.missing ?? item.mention.value)))];
        const grepped = (await grepWords(root, [commit], words, ["."])).get(commit) ?? new Map();
        for (const [item, where] of await symbolsAt(lookup, commit, symbols, options, grepped, false)) {
          record(item, { commit, when: when(item), ...(where !== undefined ? { where } : {}) });
        }
      }
    }
    for (const [item, { evidence }] of best) facts.add(item.file, item.mention, evidence);
    await pathsOnceTracked(
      root,
      missing.filter((item) => item.mention.kind !== "symbol" && !item.fromPackage && facts.of(item.file, item.mention) === undefined),
      options,
      facts,
    );
    // A name the rule's own commits never show may have gone before the line was written: a few
    // older trees are searched (evidence-before.ts). Not for a lone all-caps word: that counts
    // only beside its rule. There a name counts only in code read as code, not in tool configs.
    const earlier = missing.filter((item) => item.mention.kind === "symbol" && !item.mention.onlyWithEvidence && facts.of(item.file, item.mention) === undefined);
    const sought = earlier.slice(0, MAX_EARLIER_NAMES);
    const plan = sought.length === 0 ? [] : await earlierCommits(root, [...new Set(sought.map((item) => ruleCommits.get(item)![0] ?? head))]);
    // One `git grep` over all those trees: it costs half the CPU of one per tree, and a third of the time.
    const grepped = await grepWords(root, plan, [...new Set(sought.flatMap((item) => wordsOf(item.missing ?? item.mention.value)))], PARSED_CODE);
    for (const commit of plan) {
      const waiting = sought.filter((item) => facts.of(item.file, item.mention) === undefined);
      if (waiting.length === 0) break;
      for (const [item, where] of await symbolsAt(lookup, commit, waiting, options, grepped.get(commit) ?? new Map())) {
        facts.add(item.file, item.mention, { commit, when: "earlier", ...(where !== undefined ? { where } : {}) });
      }
    }
    // Kept by HEAD and by build: another version of harness-lint may read history differently.
    const build = await buildFingerprint();
    const keptRemovals = (directory === null ? null : await loadJson(join(directory, REMOVALS_FILE), (data) => removalsFromFile(data, head, build))) ?? new Map<string, KeptRemoval>();
    const pathContext = { codebase: options.codebase, packages: options.packages, ignored: new Set<string>() };
    const triedOf = (item: MissingMention): string[] => {
      const verdict = judgePath(item.mention, item.file, pathContext);
      return verdict.status === "missing" ? verdict.tried.map((path) => path.replace(/\/+$/, "")) : [];
    };
    if (await removals(root, missing, facts, keptRemovals, triedOf)) await saveJson(directory, REMOVALS_FILE, () => ({ head, build, removals: Object.fromEntries(keptRemovals) }));
  } finally {
    lookup.close();
  }
}

/** `evidence-answers-v2.json`: the evidence of the last set of questions, under the key of `evidenceAnswersKey`. */
const ANSWERS_FILE = `evidence-answers-v${CACHE_FORMAT}.json`;

async function evidenceAnswersKey(head: string, missing: readonly MissingMention[], contextKey: string): Promise<string> {
  const hash = createHash("sha256").update(`${head}\0${await buildFingerprint()}\0${contextKey}\0`);
  const questions = missing.map((item) =>
    JSON.stringify([evidenceKey(item.file, item.mention), item.mention.kind, item.mention.onlyWithEvidence === true, item.missing ?? null, item.fromPackage === true]),
  );
  for (const question of questions.sort()) hash.update(question).update("\n");
  return hash.digest("hex");
}

const MAX_ANSWER_SETS = 4;

/** The kept sets of answers by key, newest first; null when the file is not one this code wrote. */
function answerSetsFromFile(data: unknown): Map<string, Map<string, NameEvidence>> | null {
  if (!isRecord(data) || !Array.isArray(data.sets) || data.sets.length > MAX_ANSWER_SETS) return null;
  const sets = new Map<string, Map<string, NameEvidence>>();
  for (const set of data.sets) {
    if (!isRecord(set) || typeof set.key !== "string" || !/^[0-9a-f]{64}$/.test(set.key) || !Array.isArray(set.answers)) return null;
    const answers = new Map<string, NameEvidence>();
    for (const entry of set.answers) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string" || !isNameEvidence(entry[1])) return null;
      answers.set(entry[0], entry[1]);
    }
    sets.set(set.key, answers);
  }
  return sets;
}

function isNameEvidence(value: unknown): value is NameEvidence {
  if (!isRecord(value) || typeof value.commit !== "string" || !COMMIT_ID.test(value.commit)) return false;
  if (!["rule", "head", "change", "deleted", "earlier"].includes(value.when as string)) return false;
  if (value.removedIn !== undefined && !(typeof value.removedIn === "string" && COMMIT_ID.test(value.removedIn))) return false;
  return ["where", "movedTo", "ruleFile"].every((field) => value[field] === undefined || typeof value[field] === "string");
}

/** Evidence found at most this many names' removals are looked for (one small `git log` each). */
const MAX_REMOVALS = 64;
/** Removal look-ups run at once. */
const REMOVALS_AT_ONCE = 3;

/**
 * Which commit took each name or path away after the commit that shows it, so the finding names
 * the change that made the rule stale, not only the rule's own commit. A path: the newest commit
 * that deleted it (or, for a folder or glob, the file named as held), from one `git log
 * --diff-filter=D` over those paths. A name: the newest commit whose diff of the file that held it
 * removed a line with the name as a whole word, one `git log -G -p` limited to that file.
 */
async function removals(root: string, missing: readonly MissingMention[], facts: EvidenceFacts, kept: Map<string, KeptRemoval>, triedOf: (item: MissingMention) => string[]): Promise<boolean> {
  const wanted = missing
    .map((item) => ({ item, evidence: facts.of(item.file, item.mention) }))
    .filter(
      (entry): entry is { item: MissingMention; evidence: NameEvidence } =>
        entry.evidence !== undefined && ["rule", "earlier"].includes(entry.evidence.when) && entry.evidence.removedIn === undefined && /^[0-9a-f]{40,64}$/.test(entry.evidence.commit),
    )
    .slice(0, MAX_REMOVALS);
  // What an earlier run at this HEAD found is kept: a warm run asks git nothing again.
  const keyOf = ({ item, evidence }: { item: MissingMention; evidence: NameEvidence }) =>
    [item.mention.kind, evidence.commit, evidence.where ?? "", item.file, item.mention.value, item.missing ?? ""].join("\0");
  const asked = wanted.filter((entry) => {
    const found = kept.get(keyOf(entry));
    if (found === undefined) return true;
    if (found !== null) {
      entry.evidence.removedIn = found[0];
      if (found[1] !== undefined) entry.evidence.movedTo = found[1];
    }
    return false;
  });
  if (asked.length === 0) return false;
  try {
    await removalsOf(root, asked, triedOf);
  } finally {
    for (const entry of asked) {
      const { removedIn, movedTo } = entry.evidence;
      kept.set(keyOf(entry), removedIn === undefined ? null : movedTo === undefined ? [removedIn] : [removedIn, movedTo]);
    }
  }
  return true;
}

async function removalsOf(root: string, asked: ReadonlyArray<{ item: MissingMention; evidence: NameEvidence }>, triedOf: (item: MissingMention) => string[]): Promise<void> {
  const paths = asked.filter(({ item }) => item.mention.kind !== "symbol");
  const symbols = asked.filter(({ item, evidence }) => item.mention.kind === "symbol" && evidence.where !== undefined && evidence.where !== "");
  if (paths.length > 0) {
    // What each path meant: the file the evidence names (a folder's or glob's), else the path as
    // written from the root and from the rule file's folder; a deletion elsewhere that ends the
    // same way (a package's copy) counts only when neither was deleted.
    const formsOf = ({ item, evidence }: { item: MissingMention; evidence: NameEvidence }): string[] => {
      if (evidence.where !== undefined && evidence.where !== "") return [evidence.where];
      const value = item.mention.value.replace(/^\.\//, "").replace(/^\/+/, "").replace(/\/+$/, "");
      const ruleFile = evidence.ruleFile ?? item.file;
      const folder = ruleFile.includes("/") ? ruleFile.slice(0, ruleFile.lastIndexOf("/")) : "";
      // Then what the judge tried (a package root's reading among them).
      return [...new Set([value, ...(folder !== "" && !item.mention.value.startsWith("/") ? [`${folder}/${value}`] : []), ...(item.mention.kind === "glob" ? [] : triedOf(item))])].filter(
        (path) => path !== "" && !/[*?[{]/.test(path) && !path.split("/").includes(".."),
      );
    };
    // A bare file name (`ToolExecutor.ts`) was found anywhere in the old tree, and a path without
    // its extension (`src/utils/path`) as a file with one: asked by those shapes too.
    const looseForms = (entry: { item: MissingMention; evidence: NameEvidence }): string[] => {
      if (entry.evidence.where !== undefined && entry.evidence.where !== "") return [];
      const forms = formsOf(entry);
      const value = forms[0];
      if (value === undefined) return [];
      const bare = value.includes("/") ? [] : [`**/${value}`];
      const extensionless = /\.[^/]+$/.test(value) ? [] : forms.map((form) => `${form}.*`);
      return [...bare, ...extensionless];
    };
    const specs = [...new Set(paths.flatMap(formsOf))];
    const loose = [...new Set(paths.flatMap(looseForms))];
    if (specs.length > 0) {
      const { stdout } = await runGitText(root, [
        "log",
        "--format=%x01%H",
        "--name-only",
        "-z",
        "--diff-filter=D",
        "--no-renames",
        "HEAD",
        "--",
        ...specs.map((path) => `:(literal)${path}`),
        // Forms without glob characters of their own (filtered above), so the only wildcards are these.
        ...loose.map((pattern) => `:(glob)${pattern}`),
      ]);
      const deletedBy = new Map<string, string>();
      let commit: string | undefined;
      for (const record of stdout.split("\0")) {
        const field = record.replace(/^\n/, "");
        if (field.startsWith("\x01")) commit = field.slice(1).trim();
        // Newest first: the first deletion of a path is the last one.
        else if (commit !== undefined && field !== "" && !deletedBy.has(field)) deletedBy.set(field, commit);
      }
      const moves: Array<{ item: MissingMention; evidence: NameEvidence }> = [];
      for (const entry of paths) {
        let by: string | undefined;
        for (const path of formsOf(entry)) {
          by = deletedBy.get(path) ?? [...deletedBy].find(([deleted]) => deleted.startsWith(`${path}/`))?.[1];
          if (by !== undefined) break;
        }
        // Newest first: the last deletion of a file the bare or extensionless form could mean.
        const patterns = looseForms(entry);
        if (by === undefined && patterns.length > 0) {
          const matchers = patterns.map((pattern) => pathMatcher(pattern));
          by = [...deletedBy].find(([deleted]) => matchers.some((matches) => matches(deleted)))?.[1];
        }
        if (by !== undefined && by !== entry.evidence.commit) {
          entry.evidence.removedIn = by;
          moves.push(entry);
        }
      }
      // A file the removing commit moved: where to, by git's rename detection over that commit.
      for (const entry of moves.slice(0, MAX_MOVES_ASKED)) {
        const file = formsOf(entry).find((path) => deletedBy.get(path) === entry.evidence.removedIn);
        if (file === undefined) continue;
        const moved = await movedTo(root, entry.evidence.removedIn!, file);
        if (moved === undefined) continue;
        // A folder (or glob) named by one file it held: the folder moved where that file went, when
        // the file kept its place inside it (`tests/` held `tests/common/mod.rs`, now `x/tests/common/mod.rs`).
        const value = entry.item.mention.value.replace(/^\.\//, "").replace(/^\/+/, "").replace(/\/+$/, "");
        if (entry.item.mention.kind === "path" && entry.item.mention.value.endsWith("/")) {
          const folder = commonFolder(file, value);
          const inside = folder === undefined ? undefined : file.slice(folder.length);
          if (inside !== undefined && moved.endsWith(inside) && moved.length > inside.length) entry.evidence.movedTo = `${moved.slice(0, moved.length - inside.length)}/`;
        } else if (entry.item.mention.kind !== "glob") entry.evidence.movedTo = moved;
      }
    }
  }
  let next = 0;
  const worker = async () => {
    for (let at = next++; at < symbols.length; at = next++) {
      const { item, evidence } = symbols[at]!;
      const word = lastWord(item.missing ?? item.mention.value);
      if (word === undefined) continue;
      let since = evidence.commit;
      let file = evidence.where!;
      // A commit that moved the file took the name along: follow it to where it went, a few times.
      for (let hop = 0; hop <= MAX_MOVES_FOLLOWED; hop++) {
        const by = await lineRemoval(root, since, file, word);
        if (by === undefined) break;
        evidence.removedIn = by;
        const moved = await movedTo(root, by, file);
        if (moved === undefined) break;
        since = by;
        file = moved;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(REMOVALS_AT_ONCE, symbols.length) }, worker));
}

/** What a mention's removal is looked for by: `b` of `A.b` (the member that went), or the name. */
function lastWord(value: string): string | undefined {
  const words = wordsOf(value);
  return words[words.length - 1];
}

/** Removed files asked where they moved (one `git diff-tree -M` each). */
const MAX_MOVES_ASKED = 32;

/** Moves of the file holding a name followed after its removal from the old path. */
const MAX_MOVES_FOLLOWED = 3;

/** Where `commit` moved `file` to (git's rename detection over that commit), if it did. */
async function movedTo(root: string, commit: string, file: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  const { code, stdout } = await runGitText(root, ["diff-tree", "-r", "-M", "--name-status", "-z", "--no-commit-id", "--no-ext-diff", "--no-textconv", `${commit}^`, commit]);
  if (code !== 0) return undefined;
  const fields = stdout.split("\0");
  for (let at = 0; at < fields.length; at++) {
    const status = fields[at]!;
    if (status.startsWith("R") && fields[at + 1] === file) return fields[at + 2];
    if (status.startsWith("R") || status.startsWith("C")) at += 2;
    else at += 1;
  }
  return undefined;
}

/** A commit marker line (`\x01<id>`) and the bare zero-context patch: what both rule-file and removal walks read. */
const PATCH_LOG = ["--format=%x01%H", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-textconv"] as const;

/** Commits a removal is looked for in, newest first: a later one that re-adds and removes again is still found first. */
const REMOVAL_CANDIDATES = 8;

/**
 * The newest commit after `since` whose diff of `file` removed a line holding `word` as a whole
 * word: `-G` (a substring regular expression) picks the commits, the patch decides.
 */
async function lineRemoval(root: string, since: string, file: string, word: string): Promise<string | undefined> {
  if (!/^[A-Za-z_$][\w$]*$/.test(word) || !/^[0-9a-f]{40,64}$/.test(since)) return undefined;
  const run = await runGitText(root, [
    "log",
    ...PATCH_LOG,
    "--no-renames",
    `-n${REMOVAL_CANDIDATES}`,
    // The value is attached to -G, so it cannot read as an option; a word of [A-Za-z0-9_$] only.
    `-G${word.replace(/\$/g, "\\$")}`,
    `${since}..HEAD`,
    "--",
    `:(literal)${file}`,
  ]);
  const whole = new RegExp(`(?<![\\w$])${word.replace(/\$/g, "\\$")}(?![\\w$])`);
  let commit: string | undefined;
  for (const line of run.stdout.split("\n")) {
    if (line.startsWith("\x01")) commit = line.slice(1).trim();
    else if (commit !== undefined && line.startsWith("-") && !line.startsWith("--- ") && whole.test(line.slice(1))) return commit;
  }
  return undefined;
}

/**
 * Which of the missing symbols the tree of `commit` had, given which of their words each file
 * there holds (`grepWords`): the files holding them read and judged like today's code. Each found
 * item maps to the file that had it (undefined when none names its head). `ownCodeOnly` (the
 * default, for older trees): only a declaration in code read as code counts, and no tests or
 * tool configuration.
 */
async function symbolsAt(
  lookup: OldNames,
  commit: string,
  items: readonly MissingMention[],
  options: EvidenceOptions,
  byFile: ReadonlyMap<string, ReadonlySet<string>>,
  ownCodeOnly = true,
): Promise<Map<MissingMention, string | undefined>> {
  const words = new Map(items.map((item) => [item, wordsOf(item.missing ?? item.mention.value)] as const));
  const usable = [...byFile].filter(([path]) => options.isCodePath(path) && (!ownCodeOnly || (!TOOL_CONFIG.test(path) && !TEST_CODE.test(path))));
  const files = new Set<string>();
  for (const wanted of words.values()) for (const path of filesFor(wanted, usable)) files.add(path);
  const parts = await lookup.read(commit, [...files].slice(0, MAX_FILES_PER_COMMIT), ownCodeOnly);
  const judge = namesJudge(parts, options);
  const found = new Map<MissingMention, string | undefined>();
  for (const item of items) {
    const where = judge(item, ownCodeOnly);
    if (where !== null) found.set(item, where);
  }
  return found;
}

/**
 * The files worth reading for one mention's words: those holding all of them (for `A.b`, where
 * A would declare b), files named after the head first, then a few holding any. Common words
 * (`New`, `api`) would otherwise fill the reading with files that cannot answer.
 */
function filesFor(words: readonly string[], files: ReadonlyArray<readonly [string, ReadonlySet<string>]>): string[] {
  const head = words[0]?.toLowerCase() ?? "";
  const all = files.filter(([, has]) => words.every((word) => has.has(word))).map(([path]) => path);
  const named = all.filter((path) => path.toLowerCase().includes(head)).slice(0, MAX_FILES_PER_NAME);
  const some = files.filter(([, has]) => words.some((word) => has.has(word))).map(([path]) => path);
  return [...new Set([...named, ...all.slice(0, MAX_FILES_PER_NAME), ...some.slice(0, MAX_FILES_PER_WORD_ONLY)])];
}

/** Files the extractor reads as code (the rest cannot be `ownCodeOnly` evidence): searched alone. */
const PARSED_CODE = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "py", "pyi", "go", "rs", "java", "cs", "rb"].map((extension) => `*.${extension}`);
/** A tool's configuration: its keys are that tool's options (`reportUnusedDisableDirectives`), not this code's names. */
const TOOL_CONFIG = /(^|\/)(?:[^/]*\.config|\.[^/]*rc)\.[cm]?[jt]s$/;
/** Tests and their fixtures: they declare stand-ins (`_private_method`, `MyClass`) that rules also use as examples. */
const TEST_CODE = /(^|\/)(?:tests?|__tests__|specs?|testdata|fixtures?|__mocks__)\/|(^|\/)(?:test_[^/]*|[^/]*_test\.[a-z]+|[^/]*\.(?:test|spec)\.[a-z]+|conftest\.py)$/;
/** Names searched for in one older tree. */
const MAX_EARLIER_NAMES = 24;
/** Files read for one mention at one commit: holding all its words, and holding one of them. */
const MAX_FILES_PER_NAME = 60;
const MAX_FILES_PER_WORD_ONLY = 10;

/** Old files by the names the extractor finds in them; a blob seen at another commit is not parsed again. */
class OldNames {
  private readonly reader: ObjectReader;
  private readonly byBlob = new Map<string, FileNames | null>();
  private readonly declaredByBlob = new Map<string, ReadonlySet<string>>();

  constructor(readonly root: string) {
    this.reader = new ObjectReader(root);
  }

  /** `withDeclarations`: also the names each file declares, by the lines that define them. */
  async read(commit: string, files: readonly string[], withDeclarations = false): Promise<NamedFile[]> {
    const parts: NamedFile[] = [];
    for (const path of files) {
      // A blob git cannot read (left out of a trimmed clone) is skipped, like a missing file.
      const info = await this.reader.info(`${commit}:${path}`);
      if (info === null || info.type !== "blob" || info.size > MAX_BLOB_BYTES) continue;
      let names = this.byBlob.get(info.oid);
      let declared = this.declaredByBlob.get(info.oid);
      if (names === undefined || (withDeclarations && declared === undefined)) {
        const object = await this.reader.read(info.oid);
        const decoded = object === null ? null : decodeText(object.content);
        names ??= decoded?.ok === true ? await extractFileNames(path, decoded.text) : null;
        this.byBlob.set(info.oid, names);
        if (withDeclarations && decoded?.ok === true) {
          declared = new Set(decoded.text.split("\n").flatMap((line) => declarationsIn(line).map((declaration) => declaration.name)));
          this.declaredByBlob.set(info.oid, declared);
        }
      }
      if (names !== null) parts.push({ path, names, parsed: isParsedCode(path), ...(withDeclarations && declared !== undefined ? { declared } : {}) });
    }
    return parts;
  }

  close(): void {
    this.reader.close();
  }
}

/**
 * Judges a missing mention against files of an old commit: the file it was in (undefined when
 * the index answers but no file names the head), or null when it was not there. A lone all-caps
 * word, and anything `codeOnly`, counts only where code parsed as code had it: a word in a script
 * or a vendored copy is not one.
 */
function namesJudge(parts: readonly NamedFile[], options: EvidenceOptions): (item: MissingMention, codeOnly: boolean) => string | undefined | null {
  const judges = new Map<boolean, SymbolContext>();
  const contextFor = (strict: boolean): SymbolContext => {
    let context = judges.get(strict);
    if (context === undefined) {
      const index = createCodeIndex(parts.filter((part) => !strict || part.parsed).map((part) => part.names));
      context = { index, packages: options.packages, codebase: options.codebase, ignore: options.ignore };
      judges.set(strict, context);
    }
    return context;
  };
  return (item, codeOnly) => {
    const strict = codeOnly || item.mention.onlyWithEvidence === true;
    const context = contextFor(strict);
    if (judgeSymbol(item.mention.value, context).status !== "exists") return null;
    const [head, member] = (item.missing ?? item.mention.value)
      .split(/\.|::|#/)
      .filter(Boolean)
      .map((part) => part.replace(/^#/, ""));
    // Which file to name is the item's own choice, not the reading order the other mentions made:
    // a file named after the head first, then by path (a run asking about fewer mentions, as
    // `--staged` or an editor does, names the same file as a full run).
    const where = byOwnChoice(
      parts.filter((part) => (!strict || part.parsed) && part.names.identifiers.includes(head!)),
      head!,
    )[0]?.path;
    // `A.b` is missing because A lacks b: the old code must have held b itself. A head that some
    // other file merely names (`runtime` as a folder in CODEOWNERS) is no evidence of b.
    if (member !== undefined && !parts.some((part) => (!strict || part.parsed) && part.names.identifiers.includes(member))) return null;
    // Strict: the old code itself must hold what is missing (the judge also accepts a head that
    // names a file of today's tree). And `A.b`, missing because A lacks b, needs the old code to
    // declare A with b, as today's judge reads A: the two words apart (`config.SelectedModel`,
    // `session.Service`) are no `config.Service`.
    if (strict && member === undefined && where === undefined) return null;
    if (member !== undefined && (context.index.containers(head!)?.length ?? 0) === 0) return null;
    // Before the rule was written, only a declaration counts: a name the code merely used there
    // is another package's API (`useReactTable` of a table library), which the rule may name still.
    if (codeOnly) {
      const gone = member ?? head!;
      const declaring = byOwnChoice(
        parts.filter((part) => part.parsed && part.declared?.has(gone) === true),
        head!,
      )[0];
      return declaring === undefined ? null : member === undefined ? declaring.path : where;
    }
    return where;
  };
}

/** The folder of `file` that the folder mention `value` names (`crates/atuin/tests` for `tests`), or undefined. */
function commonFolder(file: string, value: string): string | undefined {
  const at = file.startsWith(`${value}/`) ? 0 : file.indexOf(`/${value}/`);
  if (at === -1) return undefined;
  return at === 0 ? value : file.slice(0, at + 1 + value.length);
}

/** Files named after `head` first, then in path order. */
function byOwnChoice(parts: readonly NamedFile[], head: string): NamedFile[] {
  const named = (part: NamedFile) => (part.path.toLowerCase().includes(head.toLowerCase()) ? 0 : 1);
  return [...parts].sort((a, b) => named(a) - named(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** TS/JS or a language with a grammar, outside vendored and built folders: code as code, not words. */
function isParsedCode(path: string): boolean {
  const reading = readingOf(path, false);
  return reading !== "tokens" && reading !== "prose";
}

/** For a folder or a glob that an old tree had: one file it held or matched, to name in the finding. */
function fileMeant(item: MissingMention, tree: Codebase): string | undefined {
  const value = item.mention.value.replace(/^\.\//, "").replace(/^\/+/, "");
  if (item.mention.kind === "glob") {
    const forms = [value, `**/${value}`];
    for (const form of forms) {
      let matches: (path: string) => boolean;
      try {
        matches = pathMatcher(form.replace(/\/+$/, ""));
      } catch {
        continue;
      }
      const hit = tree.allFiles.find(matches);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
  if (!value.endsWith("/")) return undefined;
  const folder = value.replace(/\/+$/, "");
  return tree.allFiles.find((path) => path.startsWith(`${folder}/`)) ?? tree.allFiles.find((path) => path.includes(`/${folder}/`));
}

/**
 * A path the rule's own commits do not show (the rule was written after the file went, or
 * reworded since) is still stale when history tracked it: one `git log --diff-filter=D` limited
 * to the paths the mention could mean names the commit that deleted it. Limited by pathspec, it
 * reads no blob and grows with the paths asked, not the repository.
 */
async function pathsOnceTracked(root: string, items: readonly MissingMention[], options: EvidenceOptions, facts: EvidenceFacts): Promise<void> {
  if (items.length === 0) return;
  const context = { codebase: options.codebase, packages: options.packages, ignored: new Set<string>() };
  const specs = new Map<MissingMention, string[]>();
  for (const item of items) {
    const verdict = judgePath(item.mention, item.file, context);
    if (verdict.status !== "missing") continue;
    const forms = verdict.tried.filter((path) => path !== "" && !path.startsWith("/") && !path.split("/").includes(".."));
    // git's glob matching backtracks (a `*a*a*a…b` pattern from a commit would stall it), so a
    // glob reaches git only as the literal folder before its first wildcard, and is matched here
    // with the matcher that cannot backtrack; a glob with no such folder is not looked up.
    const pathspecs = forms.flatMap((path) => {
      const clean = path.replace(/\/$/, "");
      if (!/[*?[{]/.test(clean)) return [`:(literal)${clean}`];
      // A file-name glob with one star (`*_gen.go`) cannot make git backtrack: asked anywhere.
      if (!clean.includes("/") && /^[^*?[{\]\\]*\*[^*?[{\]\\]*$/.test(clean)) return [`:(glob)**/${clean}`];
      const folder = clean
        .slice(0, clean.search(/[*?[{]/))
        .replace(/[^/]*$/, "")
        .replace(/\/$/, "");
      return folder === "" ? [] : [`:(literal)${folder}`];
    });
    if (pathspecs.length > 0) specs.set(item, pathspecs);
  }
  const all = [...new Set([...specs.values()].flat())].slice(0, 2_000);
  if (all.length === 0) return;
  // -z: names come unquoted, whatever bytes they hold ("\x01<sha>\0\n<name>\0...").
  // The walk reads trees, not blobs; if an unreadable tree stops it, what it listed still holds.
  const { stdout } = await runGitText(root, ["log", "--format=%x01%H", "--name-only", "-z", "--diff-filter=D", "--no-renames", "HEAD", "--", ...all]);
  const deleted: Array<{ commit: string; path: string }> = [];
  let commit: string | undefined;
  for (const record of stdout.split("\0")) {
    const field = record.replace(/^\n/, "");
    if (field.startsWith("\x01")) commit = field.slice(1).trim();
    else if (commit !== undefined && field !== "") deleted.push({ commit, path: field });
  }
  for (const item of specs.keys()) {
    const tried = judgePath(item.mention, item.file, context);
    if (tried.status !== "missing") continue;
    // Newest deletion first: the commit that removed the last file the mention could mean.
    const hit = deleted.find(({ path }) => tried.tried.some((form) => matchesForm(path, form)));
    if (hit) facts.add(item.file, item.mention, { commit: hit.commit, when: "deleted", where: hit.path });
  }
}

/** A deleted file matches a form when it is that path, lies under that folder, or matches that glob (a bare one: its file name). */
function matchesForm(path: string, form: string): boolean {
  const clean = form.replace(/\/$/, "");
  if (path === clean || path.startsWith(`${clean}/`)) return true;
  if (!/[*?[{]/.test(clean)) return false;
  try {
    return pathMatcher(clean, { basename: !clean.includes("/") })(path);
  } catch {
    return false;
  }
}

/** What to look for in the rule file's history: the text as written, or its normal form (a JSON string escapes quotes). */
function searchText(mention: Mention): string[] {
  return [...new Set([mention.raw, mention.value].filter((text) => text !== ""))];
}

/** The whole words a symbol mention is made of: `A.b()` gives `A`, `b`. */
function wordsOf(value: string): string[] {
  return value
    .split(/\.|::|#|\(|\)/)
    .map((part) => part.replace(/^#/, ""))
    .filter((part) => /^[A-Za-z_$][\w$]*$/.test(part));
}

interface Added {
  oldest?: string;
  newest?: string;
  /** The rule file's path at `oldest` and at `newest` (`--follow` finds it under older names). */
  oldestPath?: string;
  newestPath?: string;
}

// ---------------------------------------------------------------------------------------------
// The walks kept for the next run

/**
 * `evidence-walks-v2.json`: per rule file and per text searched for, the oldest and newest commits
 * whose diff of the file added a line holding it, as one walk from `head` found them. History
 * up to a commit does not change, so they hold while HEAD is the same; another HEAD starts over.
 */
const WALKS_FILE = `evidence-walks-v${CACHE_FORMAT}.json`;

type KeptWalk = [oldest: string | null, newest: string | null, oldestPath?: string | null, newestPath?: string | null];

/** `evidence-removals-v2.json`: the commit that took each name or path away (or null: none found), at one HEAD. */
const REMOVALS_FILE = `evidence-removals-v${CACHE_FORMAT}.json`;

function removalsFromFile(data: unknown, head: string, build: string): Map<string, KeptRemoval> | null {
  if (!isRecord(data) || data.head !== head || data.build !== build || !isRecord(data.removals)) return null;
  const removals = new Map<string, KeptRemoval>();
  for (const [key, kept] of Object.entries(data.removals)) {
    if (kept === null) {
      removals.set(key, null);
      continue;
    }
    if (!Array.isArray(kept) || kept.length < 1 || kept.length > 2 || typeof kept[0] !== "string" || !COMMIT_ID.test(kept[0])) return null;
    if (kept.length === 2 && typeof kept[1] !== "string") return null;
    removals.set(key, kept.length === 2 ? [kept[0], kept[1] as string] : [kept[0]]);
  }
  return removals;
}

/** The commit that took a name or path away and, for a file it moved, where to; null: none found. */
type KeptRemoval = [commit: string, movedTo?: string] | null;

function walkKey(forms: readonly string[]): string {
  return forms.join("\0");
}

function addedOf([oldest, newest, oldestPath, newestPath]: KeptWalk): Added {
  return {
    ...(oldest !== null ? { oldest } : {}),
    ...(newest !== null ? { newest } : {}),
    ...(typeof oldestPath === "string" ? { oldestPath } : {}),
    ...(typeof newestPath === "string" ? { newestPath } : {}),
  };
}

/** Commit ids reach git as arguments: a kept file is used only when each is a full hex id. */
const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

function walksFromFile(data: unknown, head: string): Map<string, Map<string, KeptWalk>> | null {
  if (!isRecord(data) || data.head !== head || !isRecord(data.files)) return null;
  const isCommit = (value: unknown) => value === null || (typeof value === "string" && COMMIT_ID.test(value));
  const files = new Map<string, Map<string, KeptWalk>>();
  for (const [file, entries] of Object.entries(data.files)) {
    if (!isRecord(entries)) return null;
    const walks = new Map<string, KeptWalk>();
    for (const [text, pair] of Object.entries(entries)) {
      const isPath = (value: unknown) => value === null || typeof value === "string";
      if (!Array.isArray(pair) || (pair.length !== 2 && pair.length !== 4) || !pair.slice(0, 2).every(isCommit) || !pair.slice(2).every(isPath)) return null;
      walks.set(text, pair as KeptWalk);
    }
    files.set(file, walks);
  }
  return files;
}

/**
 * For each text, the oldest and newest commits whose diff of `file` added a line holding it.
 * One `git log -p --follow`, so a rule file that was renamed keeps its history. When git stops on
 * an object it cannot read, what it printed is kept and the walk goes on past that commit.
 */
async function commitsAdding(root: string, file: string, texts: ReadonlyArray<readonly string[]>): Promise<Added[]> {
  const found: Added[] = texts.map(() => ({}));
  const seen = new Set<string>();
  let revisions = ["HEAD"];
  // `--follow` keeps a renamed rule file's history, but its rename detection reads other files'
  // blobs: in a clone that lacks one it dies where the file's own history would not. Then the walk
  // starts again from HEAD without it (the file's history under its current name).
  let follow = true;
  for (let attempt = 0; attempt <= MAX_LOG_RESUMES && revisions.length > 0; attempt++) {
    const run = await runGitText(root, ["log", ...(follow ? ["--follow"] : ["--no-renames"]), ...PATCH_LOG, ...revisions, "--", file]);
    let commit: string | undefined;
    let stopped: string | undefined;
    let path: string | undefined;
    for (const line of run.stdout.split("\n")) {
      if (line.startsWith("\x01")) {
        path = undefined;
        const next = line.slice(1).trim();
        stopped = next;
        // A walk resumed below a merge may meet a commit again: its lines were counted.
        commit = seen.has(next) ? undefined : next;
        if (commit !== undefined) seen.add(commit);
        continue;
      }
      // The file's name in this commit's diff (`--follow` walks through its renames).
      if (line.startsWith("+++ b/")) path = line.slice("+++ b/".length);
      if (commit === undefined || !line.startsWith("+") || line.startsWith("+++ ")) continue;
      texts.forEach((text, index) => {
        if (!text.some((form) => line.includes(form))) return;
        const entry = found[index]!;
        // Newest first: the first commit seen is the newest, the last the oldest.
        if (entry.newest === undefined) {
          entry.newest = commit;
          if (path !== undefined) entry.newestPath = path;
        }
        entry.oldest = commit;
        if (path !== undefined) entry.oldestPath = path;
        else delete entry.oldestPath;
      });
    }
    if (run.code === 0 || !isUnreadableFailure(run.stderr)) break;
    if (follow) {
      follow = false;
      revisions = ["HEAD"];
      continue;
    }
    // That commit's diff of the rule file is skipped: said once per run with the others.
    noteUnreadable(1);
    // git stopped inside the last commit it named: go on from that commit's parents, those that
    // have the file (where none has, the commit added it, and what it was before is unreadable).
    revisions = stopped === undefined ? [] : await parentsWith(root, stopped, file);
  }
  return found;
}

/** How many times a log that stopped on an unreadable object is taken up again past it. */
const MAX_LOG_RESUMES = 8;

async function parentsWith(root: string, commit: string, file: string): Promise<string[]> {
  const { code, stdout } = await runGitText(root, ["rev-list", "--parents", "-n", "1", commit]);
  if (code !== 0) return [];
  const parents = stdout
    .trim()
    .split(/\s+/)
    .slice(1)
    .filter((parent) => /^[0-9a-f]{40,64}$/.test(parent));
  const having: string[] = [];
  for (const parent of parents) if ((await runGitText(root, ["cat-file", "-e", `${parent}:${file}`])).code === 0) having.push(parent);
  return having;
}

/** A commit's tree, or none when git cannot list it (an unreadable tree): that commit shows nothing. */
async function treePathsOrNone(root: string, commit: string): Promise<string[]> {
  try {
    return await pathsAt(root, commit);
  } catch (error) {
    if (isUserError(error)) throw error;
    return [];
  }
}

/**
 * Which of the names each file holds as a whole word, per commit: one `git grep -o` over all the
 * commits' trees (exit 1: none).
 */
async function grepWords(root: string, commits: readonly string[], names: readonly string[], pathspecs: readonly string[]): Promise<Map<string, Map<string, Set<string>>>> {
  const found = new Map<string, Map<string, Set<string>>>();
  // Object ids only: they come from git, and nothing else may stand before the `--`.
  if (names.length === 0 || commits.length === 0 || !commits.every((commit) => /^[0-9a-f]{40,64}$/.test(commit))) return found;
  const { stdout } = await runGitText(root, [
    "grep",
    "-o",
    "-z",
    "-w",
    "-I",
    "-F",
    "--no-color",
    "--full-name",
    "--no-recurse-submodules",
    ...names.flatMap((name) => ["-e", name]),
    // git 2.39's grep takes no --end-of-options; commits are full hex ids (git log %H, rev-parse).
    ...commits,
    "--",
    ...pathspecs,
    ":(exclude,glob)**/*.md",
    ":(exclude,glob)**/*.mdx",
    ":(exclude,glob)**/*.txt",
    ":(exclude,glob)**/*.rst",
  ]);
  // "<commit>:<path>\0<word>\n" per match. git grep reports a blob it cannot read and goes on:
  // what it printed holds, whatever the exit code.
  let at = 0;
  while (at < stdout.length) {
    const nul = stdout.indexOf("\0", at);
    if (nul === -1) break;
    const end = stdout.indexOf("\n", nul);
    const entry = stdout.slice(at, nul);
    const colon = entry.indexOf(":");
    const commit = entry.slice(0, colon);
    let byFile = found.get(commit);
    if (byFile === undefined) found.set(commit, (byFile = new Map()));
    const path = entry.slice(colon + 1);
    let words = byFile.get(path);
    if (words === undefined) byFile.set(path, (words = new Set()));
    words.add(stdout.slice(nul + 1, end === -1 ? stdout.length : end));
    if (end === -1) break;
    at = end + 1;
  }
  return found;
}

/**
 * git's stdout, stderr and exit code, through the one invocation builder (hostile config
 * disarmed); a spawn failure is code 2. A failed run's stdout is what git printed before it
 * stopped: callers keep it only where a partial answer is still true.
 */
async function runGitText(root: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await execGit(root, args);
  return { code: result.code ?? 2, stdout: result.stdout.toString("utf8"), stderr: result.stderr };
}
