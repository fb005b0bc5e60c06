import { cacheDirectory } from "../git/cache-directory.js";
import { StoredVersions } from "../history/stored-versions.js";
import { resolve } from "node:path";
import { UserError } from "../shared/errors.js";
import { resolveAdoption } from "../history/adoption.js";
import { ObjectReader } from "../git/object-reader.js";
import { diffItems, type HistoryItem, type ItemChange } from "../history/item-diff.js";
import { ItemCache } from "../history/item-cache.js";
import { classifyPaths, filesAt, filesInIndex, ITEM_KINDS, type PathClassifier, type TreeFile } from "../history/paths.js";
import { isInverse, itemsNamedBy, recogniseRenames, traceProvenance, unlinkedItems, type TracedItem } from "../history/provenance.js";
import { fixupTarget, noneDeclaration, onlyInitHookLines, revertedCommit } from "../history/mechanical.js";
import { subjectOf } from "../history/items-history.js";
import type { FileChange } from "../git/git-batch.js";
import type { Config } from "../shared/config-types.js";
import { hasCommits, resolveCommit } from "../git/revisions.js";
import { citedTrailerValues, stripComments } from "../history/trailers.js";
import { gitText } from "../git/git.js";
import { readRegularFile, utf8 } from "../shared/read-file.js";
import { normaliseRef } from "../harness/refs.js";
import type { PostMortem } from "../harness/types.js";
import { openRepository, type CommandBase } from "./repository.js";
import type { CommandResult } from "./trace.js";

// `harness-lint commit-msg FILE`, run by the commit-msg hook: the commit about to be made is the
// index compared with HEAD. Every item it changes needs a trailer naming a post-mortem that exists
// (staged or committed), or a staged post-mortem whose `changes` names the item.

export interface CommitMsgOptions extends CommandBase {
  /** The message file git passes to the hook (`.git/COMMIT_EDITMSG`), relative to `cwd`. */
  file: string;
  /** The commit's time, for `provenance.since` as a date; default the clock. */
  now?: Date;
}

interface Snapshot {
  harness: Map<string, string>;
  postmortems: Map<string, string>;
}

export async function runCommitMsg(options: CommitMsgOptions): Promise<CommandResult> {
  const { root, config } = await openRepository(options, "commit-msg");
  const text = await readMessage(resolve(options.cwd, options.file));
  // A merge commit is exempt (SPEC section 6): its changes were checked on their own branches.
  if ((await resolveCommit(root, "MERGE_HEAD")) !== null) return { output: "", code: 0 };

  const classifier = await classifyPaths(root, config);
  const [reader, stored] = [new ObjectReader(root), await StoredVersions.open(await cacheDirectory(root, true))];
  try {
    const cache = new ItemCache(reader, classifier, config.symbols.fenced, stored);
    const adoption = await resolveAdoption(root, config, classifier, cache);
    if (!adoption.checksNewCommit(options.now ?? new Date())) return { output: "", code: 0 };

    const [head, index] = await Promise.all([headSnapshot(root, classifier), indexSnapshot(root, classifier)]);
    const changes = await stagedItemChanges(head, index, cache);
    const staged = await stagedPostmortems(head, index, cache);
    const known = await knownPostmortems(head, index, cache);

    const message = stripComments(text, await commentChar(root));
    const values = citedTrailerValues(message, config.trailer);
    const declared = values.map(noneDeclaration);
    const named = values.filter((_, i) => declared[i] === null);
    const none = declared.filter((d): d is { reason: string } => d !== null).sort((a, b) => b.reason.length - a.reason.length)[0];
    const dangling = named.filter((value) => !known.some((pm) => designates(pm, value)));
    const trailerLinks = named.length > dangling.length;
    const vouched = new Set(staged.flatMap((pm) => itemsNamedBy(pm, changes)));
    const items = changes.map((item): TracedItem => ({ ...item, needsLink: !item.onlyMoved && !adoption.existedBefore(item), linked: trailerLinks || vouched.has(item.ref) }));
    await exemptMechanical(root, config, message, items, head, index, classifier);
    const unlinked = items.filter((item) => item.needsLink && !item.linked && item.exemption === undefined);

    const output = report(unlinked, dangling, known, config.trailer, none !== undefined);
    // The staged versions are HEAD's after this commit: the next run finds them parsed.
    await stored.save();
    return { output, code: unlinked.length > 0 || dangling.length > 0 ? 1 : 0 };
  } finally {
    reader.close();
  }
}

async function readMessage(path: string): Promise<string> {
  try {
    // A message is small; a FIFO, device or endless /proc file is refused rather than waited on.
    return utf8(await readRegularFile(path, "commit-msg: the message file", { maxBytes: 1 << 20 }));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`commit-msg: cannot read the message file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

async function headSnapshot(root: string, classifier: PathClassifier): Promise<Snapshot> {
  if (!(await hasCommits(root))) return { harness: new Map(), postmortems: new Map() };
  const [harness, postmortems] = await Promise.all([filesAt(root, "HEAD", classifier, ITEM_KINDS), filesAt(root, "HEAD", classifier, ["postmortem"])]);
  return { harness: byPath(harness), postmortems: byPath(postmortems) };
}

async function indexSnapshot(root: string, classifier: PathClassifier): Promise<Snapshot> {
  const [harness, postmortems] = await Promise.all([filesInIndex(root, classifier, ITEM_KINDS), filesInIndex(root, classifier, ["postmortem"])]);
  return { harness: byPath(harness), postmortems: byPath(postmortems) };
}

function byPath(files: readonly TreeFile[]): Map<string, string> {
  return new Map(files.map((file) => [file.path, file.oid]));
}

/** Item changes between HEAD and the index, compared over the harness files whose blobs differ. */
async function stagedItemChanges(head: Snapshot, index: Snapshot, cache: ItemCache): Promise<ItemChange[]> {
  const before: HistoryItem[] = [];
  const after: HistoryItem[] = [];
  for (const path of new Set([...head.harness.keys(), ...index.harness.keys()])) {
    const old = head.harness.get(path);
    const now = index.harness.get(path);
    if (old === now) continue;
    const [oldItems, newItems] = await Promise.all([old ? cache.itemsOf(path, old) : [], now ? cache.itemsOf(path, now) : []]);
    if (oldItems === null || newItems === null) continue; // not text: invalid-file's business
    before.push(...oldItems);
    after.push(...newItems);
  }
  return diffItems(before, after);
}

/** Post-mortems the commit adds or edits. */
async function stagedPostmortems(head: Snapshot, index: Snapshot, cache: ItemCache): Promise<PostMortem[]> {
  const staged: PostMortem[] = [];
  for (const [path, oid] of index.postmortems) {
    if (head.postmortems.get(path) === oid) continue;
    const pm = await cache.postmortemOf(path, oid);
    if (pm) staged.push(pm);
  }
  return staged;
}

/** Every post-mortem in the index or at HEAD: what a trailer may name. */
async function knownPostmortems(head: Snapshot, index: Snapshot, cache: ItemCache): Promise<PostMortem[]> {
  const known: PostMortem[] = [];
  for (const snapshot of [index, head]) {
    for (const [path, oid] of snapshot.postmortems) {
      const pm = await cache.postmortemOf(path, oid);
      if (pm) known.push(pm);
    }
  }
  return known;
}

function designates(pm: PostMortem, value: string): boolean {
  const wanted = normaliseRef(value).toLowerCase();
  return pm.id.toLowerCase() === wanted || pm.path.toLowerCase() === wanted;
}

/** git's comment character for the message file (`core.commentChar`; `auto` and unset mean `#`). */
async function commentChar(root: string): Promise<string> {
  try {
    const value = (await gitText(root, ["config", "--get", "core.commentChar"])).trim();
    return value === "" || value === "auto" ? "#" : value;
  } catch {
    return "#";
  }
}

/**
 * The same judgement `--base` makes of a commit, applied to the one being made: `none -- reason`,
 * the lines `init --hooks` writes, renames history explains, a `git revert` whose staged change
 * is the inverse of the reverted commit (which it inherits), and a `fixup!`/`squash!` commit of a
 * commit HEAD reaches (judged with its target after autosquash, by `--base`).
 */
async function exemptMechanical(root: string, config: Config, message: string, items: TracedItem[], head: Snapshot, index: Snapshot, classifier: PathClassifier): Promise<void> {
  const values = citedTrailerValues(message, config.trailer).map(noneDeclaration);
  const none = values.find((d) => d !== null && d.reason !== "");
  for (const item of items) {
    if (item.linked || !item.needsLink) continue;
    if (none) item.exemption = { kind: "none", reason: none.reason };
    else if (item.change !== "removed" && onlyInitHookLines(item.before, item.item)) item.exemption = { kind: "hooks" };
  }
  const open = () => items.filter((item) => item.needsLink && !item.linked && item.exemption === undefined);
  if (open().length === 0) return;
  const target = fixupTarget(subjectOf(message));
  if (target !== null) {
    const sha = await commitBySubject(root, target);
    if (sha !== null) for (const item of open()) item.exemption = { kind: "fixup", of: sha };
    if (open().length === 0) return;
  }
  const reverted = revertedCommit(message);
  if (reverted !== null) {
    const sha = await resolveCommit(root, reverted);
    if (sha !== null) {
      const traced = (await traceProvenance(root, config, { revisions: [`${sha}^!`], allCommits: true })).commits.find((c) => c.sha === sha);
      if (traced && unlinkedItems(traced).length === 0 && isInverse({ files: stagedFiles(head, index) }, traced, classifier)) {
        for (const item of open()) item.exemption = { kind: "revert", of: sha };
      }
    }
    if (open().length === 0) return;
  }
  await recogniseRenames(root, [{ items: open() }], classifier, { staged: true });
}

/** The harness files the commit changes, as `git log --raw` would list them (renames as delete plus add). */
function stagedFiles(head: Snapshot, index: Snapshot): FileChange[] {
  const zeros = "0".repeat(40);
  const files: FileChange[] = [];
  for (const path of new Set([...head.harness.keys(), ...index.harness.keys()])) {
    const old = head.harness.get(path);
    const now = index.harness.get(path);
    if (old === now) continue;
    // Modes only tell symbolic links apart, and a snapshot's harness holds none (read at the target).
    const mode = (oid: string | undefined) => (oid === undefined ? "000000" : "100644");
    files.push({ status: old === undefined ? "A" : now === undefined ? "D" : "M", path, oldOid: old ?? zeros, newOid: now ?? zeros, oldMode: mode(old), newMode: mode(now) });
  }
  return files;
}

/** The newest commit HEAD reaches whose subject is `target` (or whose id starts with it), as autosquash finds it. */
async function commitBySubject(root: string, target: string): Promise<string | null> {
  if (!(await hasCommits(root))) return null;
  if (/^[0-9a-f]{7,64}$/i.test(target)) {
    const sha = await resolveCommit(root, target);
    if (sha !== null) return sha;
  }
  const log = await gitText(root, ["log", "--no-merges", "--max-count=1000", "--format=%H%x00%s", "HEAD", "--"]);
  for (const line of log.split("\n")) {
    const [sha, subject] = line.split("\0");
    if (sha && subject === target) return sha;
  }
  return null;
}

function report(unlinked: readonly ItemChange[], dangling: readonly string[], known: readonly PostMortem[], trailer: string, noneWithoutReason = false): string {
  const lines: string[] = [];
  if (noneWithoutReason && unlinked.length > 0) lines.push(`harness-lint: \`${trailer}: none\` needs a reason: \`${trailer}: none -- <why no post-mortem is needed>\`.`);
  for (const value of dangling) {
    lines.push(`harness-lint: \`${trailer}: ${value}\` names no post-mortem: none staged or committed has that id or path.`);
  }
  if (unlinked.length > 0) {
    lines.push(`harness-lint: this commit changes ${unlinked.length === 1 ? "a harness item" : `${unlinked.length} harness items`} without linking a post-mortem:`);
    for (const item of unlinked) {
      const moved = item.previousRef !== undefined ? ` (moved from ${item.previousRef})` : "";
      lines.push(`  ${item.change.padEnd(8)} ${item.ref}${moved}`);
    }
  }
  if (lines.length === 0) return "";
  lines.push("");
  lines.push("Link the post-mortem that justifies the change with a trailer at the end of the message:");
  lines.push("");
  lines.push(`    ${trailer}: <post-mortem id or path>`);
  lines.push("");
  lines.push("or stage a post-mortem whose `changes:` lists the item.");
  const recent = newest(known, 3);
  if (recent.length > 0) lines.push(`Recent post-mortems: ${recent.map((pm) => (pm.date ? `${pm.id} (${pm.date})` : pm.id)).join(", ")}.`);
  return `${lines.join("\n")}\n`;
}

/** The most recent post-mortems, distinct by id, so the developer can copy the right id. */
function newest(known: readonly PostMortem[], count: number): PostMortem[] {
  const byId = new Map<string, PostMortem>();
  for (const pm of known) if (!byId.has(pm.id)) byId.set(pm.id, pm);
  return [...byId.values()].sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "")).slice(0, count);
}
