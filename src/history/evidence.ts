// Stale means it was here (SPEC section 5). A mention the current codebase does not resolve is
// an error only when history shows the name or path was in this codebase: declared or used in
// code (a path: tracked) at the commit that wrote the rule line, or at HEAD when the work tree
// removed it. A name the repository never had (an env var of another service, a dependency's
// API, a placeholder) is not stale. The questions are few and batched:
// - one `git log -p --follow` per harness file with missing mentions: which commits added a line
//   holding each one (the oldest and the newest are the candidates, with HEAD);
// - per distinct candidate commit, one `git ls-tree` (paths, judged by the same judgePath) and
//   one `git grep -l` with every missing name (symbols), whose matched code files are read and
//   indexed by the same extractor as the current codebase, and judged by the same judgeSymbol.

import { createCodeIndex, extractFileNames, type FileNames } from "../codebase/code-index.js";
import { buildCodebase } from "../codebase/codebase.js";
import { execGit } from "../git/command.js";
import { ObjectReader } from "../git/object-reader.js";
import { isShallow, resolveCommit } from "../git/revisions.js";
import { pathMatcher } from "../codebase/glob.js";
import { judgePath, judgeSymbol } from "../harness/resolve.js";
import type { Codebase, Mention } from "../harness/types.js";
import { CACHE_FORMAT, isRecord, loadJson, saveJson } from "../shared/cache-files.js";
import { decodeText } from "../shared/text.js";
import { join } from "node:path";

export interface NameEvidence {
  /** The commit where the name or path was seen (full id). */
  commit: string;
  /**
   * `rule`: the commit that wrote the rule line; `head`: the last commit (the work tree lost it);
   * `change`: the change being checked removes it; `deleted`: the commit that deleted the path.
   */
  when: "rule" | "head" | "change" | "deleted";
  /** Where a name was seen (a code file), or the tracked path a path meant. */
  where?: string;
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
}

/** At most this many distinct commits are looked at: each costs a tree listing and a grep. */
const MAX_COMMITS = 24;
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

  // Which commits to look at for each mention.
  const candidates = new Map<MissingMention, string[]>();
  const ruleCommits = new Map<MissingMention, string[]>();
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
      texts.forEach((forms, index) => known.set(walkKey(forms), [added[index]!.oldest ?? null, added[index]!.newest ?? null]));
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
  const reader = new ObjectReader(root);
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
        const tree = buildCodebase(root, await listTree(root, commit), true, { ...options.codebaseOptions, harnessFiles: new Set() });
        const context = { codebase: tree, packages: options.packages, ignored: new Set<string>() };
        for (const item of paths) {
          if (judgePath(item.mention, item.file, context).status === "exists") record(item, { commit, when: when(item) });
        }
      }
      if (symbols.length > 0) {
        const names = new Set(symbols.flatMap((item) => wordsOf(item.mention.value)));
        const files = (await grepFiles(root, commit, [...names])).filter(options.isCodePath).slice(0, MAX_FILES_PER_COMMIT);
        const parts: Array<{ path: string; names: FileNames }> = [];
        for (const path of files) {
          const object = await reader.read(`${commit}:${path}`);
          if (object === null || object.type !== "blob" || object.content.length > MAX_BLOB_BYTES) continue;
          const decoded = decodeText(object.content);
          if (!decoded.ok) continue;
          parts.push({ path, names: await extractFileNames(path, decoded.text) });
        }
        const index = createCodeIndex(parts.map((part) => part.names));
        const context = { index, packages: options.packages, codebase: options.codebase, ignore: options.ignore };
        for (const item of symbols) {
          if (judgeSymbol(item.mention.value, context).status !== "exists") continue;
          const head = item.mention.value
            .split(/\.|::|#/)
            .filter(Boolean)[0]!
            .replace(/^#/, "");
          const where = parts.find((part) => part.names.identifiers.includes(head))?.path;
          record(item, { commit, when: when(item), ...(where !== undefined ? { where } : {}) });
        }
      }
    }
  } finally {
    reader.close();
  }
  for (const [item, { evidence }] of best) facts.add(item.file, item.mention, evidence);
  await pathsOnceTracked(
    root,
    missing.filter((item) => item.mention.kind !== "symbol" && facts.of(item.file, item.mention) === undefined),
    options,
    facts,
  );
  return facts;
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
  const { code, stdout } = await runGitText(root, ["log", "--format=%x01%H", "--name-only", "-z", "--diff-filter=D", "--no-renames", "HEAD", "--", ...all]);
  if (code !== 0) return;
  const deleted: Array<{ commit: string; path: string }> = [];
  let commit: string | undefined;
  for (const record of stdout.split("\0")) {
    const field = record.replace(/^\n/, "");
    if (field.startsWith("\x01")) commit = field.slice(1).trim();
    else if (commit !== undefined && field !== "") deleted.push({ commit, path: field });
  }
  for (const [item, forms] of specs) {
    const tried = judgePath(item.mention, item.file, context);
    if (tried.status !== "missing") continue;
    // Newest deletion first: the commit that removed the last file the mention could mean.
    const hit = deleted.find(({ path }) => tried.tried.some((form) => matchesForm(path, form)));
    if (hit) facts.add(item.file, item.mention, { commit: hit.commit, when: "deleted", where: hit.path });
    void forms;
  }
}

/** A deleted file matches a form when it is that path, lies under that folder, or matches that glob. */
function matchesForm(path: string, form: string): boolean {
  const clean = form.replace(/\/$/, "");
  if (path === clean || path.startsWith(`${clean}/`)) return true;
  if (!/[*?[{]/.test(clean)) return false;
  return pathMatcher(clean)(path);
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
}

// ---------------------------------------------------------------------------------------------
// The walks kept for the next run

/**
 * `evidence-walks-v2.json`: per rule file and per text searched for, the oldest and newest commits
 * whose diff of the file added a line holding it, as one walk from `head` found them. History
 * up to a commit does not change, so they hold while HEAD is the same; another HEAD starts over.
 */
const WALKS_FILE = `evidence-walks-v${CACHE_FORMAT}.json`;

type KeptWalk = [oldest: string | null, newest: string | null];

function walkKey(forms: readonly string[]): string {
  return forms.join("\0");
}

function addedOf([oldest, newest]: KeptWalk): Added {
  return { ...(oldest !== null ? { oldest } : {}), ...(newest !== null ? { newest } : {}) };
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
      if (!Array.isArray(pair) || pair.length !== 2 || !pair.every(isCommit)) return null;
      walks.set(text, pair as KeptWalk);
    }
    files.set(file, walks);
  }
  return files;
}

/**
 * For each text, the oldest and newest commits whose diff of `file` added a line holding it.
 * One `git log -p --follow`, so a rule file that was renamed keeps its history.
 */
async function commitsAdding(root: string, file: string, texts: ReadonlyArray<readonly string[]>): Promise<Added[]> {
  const found: Added[] = texts.map(() => ({}));
  const { code, stdout } = await runGitText(root, ["log", "--follow", "--format=%x01%H", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "HEAD", "--", file]);
  if (code !== 0) return found;
  let commit: string | undefined;
  for (const line of stdout.split("\n")) {
    if (line.startsWith("\x01")) {
      commit = line.slice(1).trim();
      continue;
    }
    if (commit === undefined || !line.startsWith("+") || line.startsWith("+++ ")) continue;
    texts.forEach((text, index) => {
      if (!text.some((form) => line.includes(form))) return;
      const entry = found[index]!;
      // Newest first: the first commit seen is the newest, the last the oldest.
      entry.newest ??= commit;
      entry.oldest = commit;
    });
  }
  return found;
}

async function listTree(root: string, commit: string): Promise<string[]> {
  const { code, stdout } = await runGitText(root, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", "--end-of-options", commit]);
  if (code !== 0) return [];
  return stdout.split("\0").filter((path) => path !== "");
}

/** Files at `commit` holding any of the names as a whole word (exit 1: none does). */
async function grepFiles(root: string, commit: string, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const { code, stdout } = await runGitText(root, [
    "grep",
    "-l",
    "-z",
    "-w",
    "-I",
    "-F",
    "--no-color",
    "--full-name",
    "--no-recurse-submodules",
    ...names.flatMap((name) => ["-e", name]),
    // git 2.39's grep takes no --end-of-options; `commit` is a full hex id (git log %H, rev-parse).
    commit,
    "--",
    ".",
    ":(exclude,glob)**/*.md",
    ":(exclude,glob)**/*.mdx",
    ":(exclude,glob)**/*.txt",
    ":(exclude,glob)**/*.rst",
  ]);
  if (code !== 0) return [];
  const prefix = `${commit}:`;
  return stdout
    .split("\0")
    .filter((entry) => entry !== "")
    .map((entry) => (entry.startsWith(prefix) ? entry.slice(prefix.length) : entry));
}

/** git's stdout and exit code, through the one invocation builder (hostile config disarmed); a spawn failure is code 2. */
async function runGitText(root: string, args: string[]): Promise<{ code: number; stdout: string }> {
  const result = await execGit(root, args);
  // Exit 1 is grep's "no match"; a missing commit or path is the same answer: no evidence.
  if (result.code === 0) return { code: 0, stdout: result.stdout.toString("utf8") };
  return { code: result.code ?? 2, stdout: "" };
}
