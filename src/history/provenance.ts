import { cacheDirectory } from "../git/cache-directory.js";
import { StoredVersions } from "./stored-versions.js";
import type { Config } from "../shared/config-types.js";
import type { PostMortem } from "../harness/types.js";
import { EVERYTHING_CHECKED, resolveAdoption, type Adoption } from "./adoption.js";
import type { FileChange } from "../git/git-batch.js";
import { ObjectReader } from "../git/object-reader.js";
import { ItemCache } from "./item-cache.js";
import { historyResolver, refMatcher } from "./item-refs.js";
import type { HistoryItem, ItemChange } from "./item-diff.js";
import { readItemHistory, type HistoryCommit } from "./items-history.js";
import { classifyPaths, filesAt, ITEM_KINDS, type PathClassifier, type TreeFile } from "./paths.js";
import { PostMortemLocator, type LocatedPostMortem } from "./postmortem-locator.js";
import { hasCommits } from "../git/revisions.js";
import { citedTrailerValues } from "./trailers.js";
import { fixupTarget, mentionRewrites, noneDeclaration, onlyInitHookLines, revertedCommit, type Exemption } from "./mechanical.js";
import { confirmedByStagedChange, confirmedRewrites, rewriteKey, type Rewrite } from "./rename-evidence.js";
import { resolveCommit } from "../git/revisions.js";
import { execGit } from "../git/command.js";

// The three links of SPEC section 6, found for every commit that changed an item:
// 1. a `Post-Mortem:` trailer naming a post-mortem that exists at that commit (else: dangling);
// 2. a post-mortem the same commit adds or edits whose `changes` names the item;
// 3. a post-mortem at HEAD listing the commit (or a SHA prefix of 7+ characters) under `commits`.
// A trailer or a listing vouches for the whole commit; a same-commit post-mortem only for the items
// it names.

// The landing part of `postmortem-shape` reads the same history.
export { daysBetween, postmortemLandings, unlandedPostmortems, type ChangeLanding, type PostMortemLanding, type UnlandedPostMortem } from "./landing.js";

export type LinkVia = "trailer" | "same-commit" | "listed";

export interface PostMortemLink {
  /** The post-mortem's id (its path when it sets none). */
  ref: string;
  path: string;
  via: LinkVia;
  /** The post-mortem's date, when it has one. */
  date?: string;
  /** For a same-commit link: the refs of the items it names. */
  items?: string[];
}

export interface TracedItem extends ItemChange {
  /**
   * False for items that existed before `provenance.since`, any item of a commit before it, and an
   * item that only moved with its file (its text did not change: like whitespace, nothing to justify).
   */
  needsLink: boolean;
  linked: boolean;
  /** Why the change needs no link of its own (SPEC section 6): `none -- reason`, a rename, a revert, a fixup, init's hooks. */
  exemption?: Exemption;
}

export interface TracedCommit {
  sha: string;
  parents: string[];
  date: string;
  timestamp: number;
  subject: string;
  message: string;
  files: FileChange[];
  items: TracedItem[];
  postmortems: PostMortemLink[];
  /** Trailer values that name no post-mortem existing at this commit. */
  dangling: string[];
  /** `Post-Mortem: none -- <reason>`: the reason given ("" when the trailer gives none, which links nothing). */
  none?: { reason: string };
  /** False when the commit precedes the adoption point: it needs no links. */
  checked: boolean;
}

export interface ProvenanceHistory {
  /** Newest first, merges left out. */
  commits: TracedCommit[];
  /** The harness at HEAD (rules and hooks): where findings about items point. */
  headItems: HistoryItem[];
  /** Post-mortems at HEAD, whose `commits` lists are link 3. */
  headPostmortems: LocatedPostMortem[];
  adoption: Adoption;
}

export interface ProvenanceOptions {
  /** Revisions to walk; default HEAD. `["<base>..HEAD"]` for a pull request. */
  revisions?: string[];
  /** Also read commits that touch no harness file or post-mortem: their trailers are verified too. */
  allCommits?: boolean;
  /** Leave out commits older than this. */
  since?: Date;
  /** How many reverts deep this trace is (a revert's reverted commit may be traced on its own). */
  revertDepth?: number;
}

export function emptyHistory(): ProvenanceHistory {
  return {
    commits: [],
    headItems: [],
    headPostmortems: [],
    adoption: EVERYTHING_CHECKED,
  };
}

/** Reads the history `options` selects and links every item change to its post-mortems. */
export async function traceProvenance(root: string, config: Config, options: ProvenanceOptions = {}): Promise<ProvenanceHistory> {
  if (!(await hasCommits(root))) return emptyHistory();
  const classifier = await classifyPaths(root, config);
  const [reader, stored] = [new ObjectReader(root), await StoredVersions.open(await cacheDirectory(root, true))];
  try {
    const cache = new ItemCache(reader, classifier, config.symbols.fenced, stored);
    const headFiles = await filesAt(root, "HEAD", classifier, [...ITEM_KINDS, "postmortem"]);
    const [headItems, headPostmortems, adoption, commits] = await Promise.all([
      itemsAtHead(headFiles, classifier, cache),
      postmortemsAtHead(headFiles, classifier, cache),
      resolveAdoption(root, config, classifier, cache),
      readItemHistory(root, classifier, cache, reader, {
        ...(options.revisions ? { revisions: options.revisions } : {}),
        ...(options.allCommits ? { allCommits: true } : {}),
        ...(options.since ? { since: options.since } : {}),
      }),
    ]);
    const locator = new PostMortemLocator(root, reader, cache, classifier);
    for (const { path, postmortem } of headPostmortems) locator.learn(path, postmortem);
    for (const commit of commits) for (const { path, postmortem } of commit.postmortems) locator.learn(path, postmortem);
    const listed = listedCommits(headPostmortems);
    const traced = await Promise.all(commits.map((commit) => linkCommit(commit, config, locator, listed, adoption)));
    await recogniseMechanical(root, config, traced, classifier, options.revertDepth ?? 0);
    await stored.save();
    return { commits: traced, headItems, headPostmortems, adoption };
  } finally {
    reader.close();
  }
}

async function linkCommit(commit: HistoryCommit, config: Config, locator: PostMortemLocator, listed: ListedCommits, adoption: Adoption): Promise<TracedCommit> {
  const links: PostMortemLink[] = [];
  const dangling: string[] = [];
  const values = citedTrailerValues(commit.message, config.trailer);
  const declared = values.map(noneDeclaration);
  const named = values.filter((_, i) => declared[i] === null);
  // With several `none` trailers, one with a reason is enough.
  const none = declared.filter((d): d is { reason: string } => d !== null).sort((a, b) => b.reason.length - a.reason.length)[0];
  const found = await Promise.all(named.map((value) => locator.find(commit.sha, value)));
  named.forEach((value, i) => {
    const pm = found[i];
    if (pm) addLink(links, linkTo(pm.path, pm.postmortem, "trailer"));
    else dangling.push(value);
  });
  for (const version of commit.postmortems) {
    const items = itemsNamedBy(version.postmortem, commit.items);
    if (items.length > 0) addLink(links, { ...linkTo(version.path, version.postmortem, "same-commit"), items });
  }
  for (const pm of listed.lookup(commit.sha)) addLink(links, linkTo(pm.path, pm.postmortem, "listed"));

  const checked = adoption.isChecked(commit);
  const wholeCommit = links.some((link) => link.via !== "same-commit");
  const vouched = new Set(links.flatMap((link) => link.items ?? []));
  const items = commit.items.map((item): TracedItem => {
    const traced: TracedItem = { ...item, needsLink: checked && !item.onlyMoved && !adoption.existedBefore(item), linked: wholeCommit || vouched.has(item.ref) };
    if (none !== undefined && none.reason !== "") traced.exemption = { kind: "none", reason: none.reason };
    else if (item.change !== "removed" && onlyInitHookLines(item.before, item.item)) traced.exemption = { kind: "hooks" };
    return traced;
  });
  return {
    sha: commit.sha,
    parents: commit.parents,
    date: commit.date,
    timestamp: commit.timestamp,
    subject: commit.subject,
    message: commit.message,
    files: commit.files,
    items,
    postmortems: links,
    dangling,
    checked,
    ...(none !== undefined ? { none } : {}),
  };
}

function linkTo(path: string, postmortem: PostMortem, via: LinkVia): PostMortemLink {
  return { ref: postmortem.id, path, via, ...(postmortem.date !== undefined ? { date: postmortem.date } : {}) };
}

function addLink(links: PostMortemLink[], link: PostMortemLink): void {
  if (!links.some((l) => l.path === link.path && l.via === link.via)) links.push(link);
}

/** Refs of the changed items a post-mortem's `changes` names (also by the ref an item had before it moved). */
export function itemsNamedBy(postmortem: PostMortem, items: readonly ItemChange[]): string[] {
  if (postmortem.changes.length === 0 || items.length === 0) return [];
  const resolver = historyResolver(items.map((change) => change.item));
  const matchers = postmortem.changes.map((change) => refMatcher(change.ref, resolver, postmortem.path));
  return items.filter((item) => matchers.some((matches) => matches(item))).map((item) => item.ref);
}

interface ListedCommits {
  lookup(sha: string): LocatedPostMortem[];
}

/** `commits:` entries of the post-mortems at HEAD; a prefix must be at least 7 hex digits. */
function listedCommits(postmortems: readonly LocatedPostMortem[]): ListedCommits {
  const entries: Array<{ prefix: string; pm: LocatedPostMortem }> = [];
  for (const pm of postmortems) {
    for (const raw of pm.postmortem.commits) {
      const prefix = raw.trim().toLowerCase();
      if (/^[0-9a-f]{7,64}$/.test(prefix)) entries.push({ prefix, pm });
    }
  }
  return {
    lookup: (sha) => entries.filter((entry) => sha.startsWith(entry.prefix)).map((entry) => entry.pm),
  };
}

async function itemsAtHead(headFiles: readonly TreeFile[], classifier: PathClassifier, cache: ItemCache): Promise<HistoryItem[]> {
  const files = headFiles.filter((file) => ITEM_KINDS.includes(classifier.kindOf(file.path)));
  const versions = await Promise.all(files.map(({ path, oid }) => cache.exactItemsOf(path, oid)));
  return versions.flatMap((items) => items ?? []);
}

async function postmortemsAtHead(headFiles: readonly TreeFile[], classifier: PathClassifier, cache: ItemCache): Promise<LocatedPostMortem[]> {
  const files = headFiles.filter((file) => classifier.kindOf(file.path) === "postmortem");
  const parsed = await Promise.all(
    files.map(async ({ path, oid }) => {
      const postmortem = await cache.postmortemOf(path, oid);
      return postmortem ? { path, postmortem } : null;
    }),
  );
  return parsed.filter((pm): pm is LocatedPostMortem => pm !== null);
}

/** Items of a traced commit that need a link, have none, and are not exempt as mechanical. */
export function unlinkedItems(commit: TracedCommit): TracedItem[] {
  return commit.items.filter((item) => item.needsLink && !item.linked && item.exemption === undefined);
}

// ---------------------------------------------------------------------------------------------
// Mechanical changes (SPEC section 6), recognised after the links are known: renames need one
// drift pass for the whole range; fixups and reverts need the links of the commits they name.

async function recogniseMechanical(root: string, config: Config, commits: TracedCommit[], classifier: PathClassifier, revertDepth: number): Promise<void> {
  await recogniseRenames(root, commits, classifier);
  recogniseFixups(commits);
  await recogniseReverts(root, config, commits, classifier, revertDepth);
}

/** Item edits that only rewrite stale names to what history says they became (what `--fix` writes). */
export async function recogniseRenames(root: string, commits: ReadonlyArray<{ items: TracedItem[] }>, classifier: PathClassifier | null, options: { staged?: boolean } = {}): Promise<void> {
  const wanted: Array<{ item: TracedItem; rewrites: Rewrite[] }> = [];
  for (const commit of commits) {
    for (const item of commit.items) {
      if (!item.needsLink || item.linked || item.exemption !== undefined || item.before === undefined) continue;
      const rewrites = mentionRewrites(item.before, item.item);
      if (rewrites !== null) wanted.push({ item, rewrites: rewrites.map((r) => ({ ...r, file: item.file })) });
    }
  }
  if (wanted.length === 0) return;
  const isHarnessPath = classifier === null ? undefined : (path: string) => classifier.kindOf(path) !== null;
  // `--fix` rewrites only names the code no longer has. An edit that rewrites a name code still
  // holds at HEAD is no such fix, and asking history about it (`-Gprefect` in prefect matches
  // nearly every diff) cost a whole-history patch walk. Before the commit exists (`staged`), HEAD
  // still has the name the change removes: there every rewrite is asked.
  if (!options.staged) {
    const present = await namesInCodeAtHead(root, [...new Set(wanted.flatMap((w) => w.rewrites.filter((r) => r.kind === "symbol").map((r) => headName(r.from))))]);
    for (let at = wanted.length - 1; at >= 0; at--) {
      if (wanted[at]!.rewrites.some((r) => r.kind === "symbol" && present.has(headName(r.from)))) wanted.splice(at, 1);
    }
    if (wanted.length === 0) return;
  }
  const rewrites = wanted.flatMap((w) => w.rewrites);
  const confirmed = await confirmedRewrites(root, rewrites, isHarnessPath);
  // Before the commit exists, the rename may be in the change being committed.
  if (options.staged)
    for (const key of await confirmedByStagedChange(
      root,
      rewrites.filter((r) => !confirmed.has(rewriteKey(r))),
      isHarnessPath,
    ))
      confirmed.add(key);
  for (const { item, rewrites } of wanted) {
    if (rewrites.every((rewrite) => confirmed.has(rewriteKey(rewrite)))) {
      item.exemption = { kind: "rename", renames: rewrites.map(({ from, to }) => ({ from, to })) };
    }
  }
}

function headName(name: string): string {
  return name.split(/\.|::|#/)[0] ?? "";
}

/** Names asked about at most, each one `git grep -q` (it stops at the first match). */
const MAX_PRESENCE_NAMES = 64;

/** Which of the names HEAD's code holds as a whole word (prose, harness and lock files left out). */
async function namesInCodeAtHead(root: string, names: readonly string[]): Promise<Set<string>> {
  const present = new Set<string>();
  for (const name of names.slice(0, MAX_PRESENCE_NAMES)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) continue;
    const { code } = await execGit(root, ["grep", "-q", "-w", "-F", "-I", "--no-recurse-submodules", "-e", name, "HEAD", "--", ".", ...NOT_CODE_PATHSPECS]);
    if (code === 0) present.add(name);
  }
  return present;
}

const NOT_CODE_PATHSPECS = ["md", "mdx", "mdc", "txt", "rst", "lock"].map((extension) => `:(exclude,glob)**/*.${extension}`);

/**
 * \`fixup!\`/\`squash!\`/\`amend!\` commits are judged as autosquash would leave them: with their
 * target, the nearest older commit in the range whose subject (or id) they name. The group's
 * whole-commit links (trailer, listing, \`none -- reason\`) cover every item of the group; a
 * same-commit post-mortem covers the items it names. A fixup whose target is not in the range
 * is judged on its own: nothing will squash it.
 */
function recogniseFixups(commits: TracedCommit[]): void {
  const oldestFirst = [...commits].reverse();
  const rootOf = new Map<TracedCommit, TracedCommit>();
  oldestFirst.forEach((commit, index) => {
    const target = fixupTarget(commit.subject);
    if (target === null) return;
    for (let i = index - 1; i >= 0; i--) {
      const candidate = oldestFirst[i]!;
      const matches = candidate.subject === target || (/^[0-9a-f]{7,64}$/i.test(target) && candidate.sha.startsWith(target.toLowerCase()));
      if (matches) {
        rootOf.set(commit, rootOf.get(candidate) ?? candidate);
        return;
      }
    }
  });
  const groups = new Map<TracedCommit, TracedCommit[]>();
  for (const [fixup, target] of rootOf) groups.set(target, [...(groups.get(target) ?? [target]), fixup]);
  for (const [target, members] of groups) {
    const whole = members.some((m) => m.postmortems.some((link) => link.via !== "same-commit"));
    const none = members.map((m) => m.none).find((n) => n !== undefined && n.reason !== "");
    const vouched = new Set(members.flatMap((m) => m.postmortems.flatMap((link) => link.items ?? [])));
    for (const member of members) {
      for (const item of member.items) {
        if (item.linked || item.exemption !== undefined) continue;
        const covered = whole || vouched.has(item.ref) || none !== undefined;
        if (!covered) continue;
        if (member === target) {
          // The target's own item, covered by what a fixup brings (a squash! trailer, a post-mortem).
          if (none !== undefined) item.exemption = { kind: "none", reason: none.reason };
          else item.linked = true;
        } else item.exemption = { kind: "fixup", of: target.sha };
      }
    }
  }
}

/**
 * A \`git revert\` inherits the reverted commit's link or its lack: its message names the commit, and
 * each harness file it changes must go back exactly to that commit's parent's version (the
 * inverse of its diff). A revert that also edits items its own way is judged as any change.
 */
async function recogniseReverts(root: string, config: Config, commits: TracedCommit[], classifier: PathClassifier, depth: number): Promise<void> {
  const oldestFirst = [...commits].reverse();
  for (const commit of oldestFirst) {
    const named = revertedCommit(commit.message);
    if (named === null || unlinkedItems(commit).length === 0) continue;
    const reverted = await findCommit(root, config, commits, named, depth);
    if (reverted === null || !isInverse(commit, reverted, classifier)) continue;
    if (unlinkedItems(reverted).length > 0) continue; // its lack of a link is inherited
    for (const item of unlinkedItems(commit)) item.exemption = { kind: "revert", of: reverted.sha };
  }
}

async function findCommit(root: string, config: Config, commits: readonly TracedCommit[], named: string, depth: number): Promise<TracedCommit | null> {
  const inRange = commits.find((c) => c.sha.startsWith(named));
  if (inRange) return inRange;
  if (depth >= 3) return null;
  const sha = await resolveCommit(root, named);
  if (sha === null) return null;
  const alone = await traceProvenance(root, config, { revisions: [`${sha}^!`], allCommits: true, revertDepth: depth + 1 });
  return alone.commits.find((c) => c.sha === sha) ?? null;
}

/** Whether every harness file \`revert\` changes goes back to what it was before \`reverted\`. */
export function isInverse(revert: { files: readonly FileChange[] }, reverted: { files: readonly FileChange[] }, classifier: PathClassifier): boolean {
  const harness = (path: string) => ITEM_KINDS.includes(classifier.kindOf(path));
  const files = revert.files.filter((f) => harness(f.path) || (f.fromPath !== undefined && harness(f.fromPath)));
  if (files.length === 0) return false;
  return files.every((f) => reverted.files.some((g) => (g.fromPath ?? g.path) === f.path && g.path === (f.fromPath ?? f.path) && g.newOid === f.oldOid && g.oldOid === f.newOid));
}
