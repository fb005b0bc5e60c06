import { isProsePath } from "../codebase/code-index.js";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_HARNESS_INCLUDE, DEFAULT_POSTMORTEMS } from "../shared/config-types.js";
import { UserError } from "../shared/errors.js";
import { gitText, listGitFiles } from "../git/git.js";
import { pathsAt } from "../git/revisions.js";
import type { Finding, Suggestion } from "../harness/types.js";
import type { CommitInfo } from "./drift-commits.js";
import { pathEdit, sourceText, symbolEdit, type SourceText } from "./drift-mention-edit.js";
import { PathIndex, readWrittenPath, type WrittenPath } from "./drift-path-forms.js";
import { explainPath, pathExistedIn, readPathHistory, type PathExplanation } from "./drift-path-history.js";
import { bareName, explainName, SymbolHistory, type SymbolEvent } from "./drift-symbol-history.js";
import { DriftCache, DriftPathCache } from "./drift-cache.js";
import { pathMatcher } from "../codebase/glob.js";

// `--drift`: every stale name, explained from git history. The checks say a name is gone; this
// says which commit took it and what took its place, and turns an unambiguous answer into a fix.
// History is read in one git log pass for paths and one `git log -G` pass for the stale names
// (plus one per round of "what became of a replacement that is gone too?"), and one `git grep`
// per round of "does the replacement still exist?". Objects git cannot read are skipped.

export interface DriftOptions {
  /** Keep only names that existed at this ref and are gone now: what a branch broke. */
  since?: string;
  /**
   * Files whose text names code without being code (harness files, post-mortems). Their edits are
   * not evidence of a rename. Defaults to the default harness and post-mortem globs.
   */
  isHarnessPath?: (path: string) => boolean;
}

const STALE_CHECKS = new Set(["stale-symbol", "stale-path"]);
/** A replacement renamed again is followed this many times before giving up. */
const MAX_RENAME_HOPS = 5;

export async function explainStaleFindings(root: string, findings: Finding[], options: DriftOptions = {}): Promise<Finding[]> {
  // A finding that already carries its fix (`--staged` read the rename from the staged diff) is explained.
  const stale = findings.filter((f) => STALE_CHECKS.has(f.check) && f.mention !== undefined && f.fix === undefined);
  if (stale.length === 0 && options.since === undefined) return findings;
  const head = await resolveCommit(root, "HEAD");
  if (head === null) {
    // No history to read: an unborn branch or no repository at all.
    if (options.since !== undefined) throw new UserError(`--since needs git history, and ${root} has no commits`);
    return findings;
  }
  const since = options.since === undefined ? undefined : await resolveSince(root, options.since);
  if (stale.length === 0) return findings;
  const harnessFiles = new Set(stale.map((f) => f.file));
  const isHarness = options.isHarnessPath ?? defaultHarnessMatcher();
  // Prose (a changelog saying "renamed X to Y") neither removes nor keeps a name, as in the index.
  const isExcluded = (path: string) => harnessFiles.has(path) || isHarness(path) || DEFAULT_POSTMORTEM_MATCHER(path) || isProsePath(path);

  const survivors = since === undefined ? new Set(stale) : await existedAt(root, since, stale, isExcluded);
  const paths = stale.filter((f) => survivors.has(f) && f.check === "stale-path" && f.messageId !== "emptyGlob");
  const symbols = stale.filter((f) => survivors.has(f) && f.check === "stale-symbol");
  const range = since === undefined ? "HEAD" : `${since}..HEAD`;

  const sources = new SourceCache(root);
  const [pathSuggestions, symbolSuggestions] = await Promise.all([explainPaths(root, head, range, paths, sources), explainSymbols(root, head, range, symbols, isExcluded, sources)]);
  const explained = new Map([...pathSuggestions, ...symbolSuggestions]);
  const out: Finding[] = [];
  for (const finding of findings) {
    if (STALE_CHECKS.has(finding.check) && finding.mention !== undefined && finding.fix === undefined && !survivors.has(finding)) continue;
    const explanation = explained.get(finding);
    out.push(explanation === undefined ? finding : { ...finding, ...explanation });
  }
  return out;
}

type Explanation = Pick<Finding, "suggestion" | "fix">;

const DEFAULT_POSTMORTEM_MATCHER = pathMatcher([...DEFAULT_POSTMORTEMS]);

function defaultHarnessMatcher(): (path: string) => boolean {
  return pathMatcher([...DEFAULT_HARNESS_INCLUDE]);
}

async function resolveCommit(root: string, ref: string): Promise<string | null> {
  try {
    const sha = (await gitText(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])).trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

async function resolveSince(root: string, ref: string): Promise<string> {
  const sha = await resolveCommit(root, ref);
  if (sha === null) throw new UserError(`--since: "${ref}" is not a commit in this repository`);
  return sha;
}

function suggestionFrom(commit: CommitInfo, extra: Pick<Suggestion, "replacement" | "candidates">): Suggestion {
  const suggestion: Suggestion = { commit: commit.sha, date: commit.date, subject: commit.subject };
  if (extra.candidates !== undefined && extra.candidates.length > 0) suggestion.candidates = extra.candidates;
  else if (extra.replacement !== undefined) suggestion.replacement = extra.replacement;
  return suggestion;
}

// ---- --since: only what existed at the ref -------------------------------------------------

/** The stale findings whose name or path was there at `since` (one ls-tree, at most one grep). */
async function existedAt(root: string, since: string, stale: Finding[], isExcluded: (path: string) => boolean): Promise<Set<Finding>> {
  const tree = await pathsAt(root, since);
  const treeIndex = new PathIndex(tree);
  const kept = new Set<Finding>();
  const symbolFindings: Array<{ finding: Finding; name: string }> = [];
  for (const finding of stale) {
    if (finding.messageId === "emptyGlob") {
      if (globMatchedIn(finding.mention!, finding.file, tree)) kept.add(finding);
    } else if (finding.check === "stale-path") {
      if (pathExistedIn(readWrittenPath(finding.mention!, finding.file), treeIndex)) kept.add(finding);
    } else {
      const name = missingPart(finding);
      if (name !== undefined) symbolFindings.push({ finding, name: bareName(name) });
    }
  }
  if (symbolFindings.length > 0) {
    const present = await namesPresent(
      root,
      symbolFindings.map((s) => s.name),
      isExcluded,
      since,
    );
    const basenames = new Set(tree.map((path) => path.slice(path.lastIndexOf("/") + 1)));
    for (const { finding, name } of symbolFindings) if (present.has(name) || basenames.has(name)) kept.add(finding);
  }
  return kept;
}

/** Whether a glob that matches nothing now matched a file of the tree, from the root or the rule's folder. */
function globMatchedIn(glob: string, harnessFile: string, tree: readonly string[]): boolean {
  const pattern = glob.replace(/^\.\//, "").replace(/^\/+/, "").replace(/\/+$/, "");
  const folder = harnessFile.includes("/") ? harnessFile.slice(0, harnessFile.lastIndexOf("/")) : "";
  for (const base of new Set(["", folder])) {
    let matches: (path: string) => boolean;
    try {
      matches = pathMatcher(base === "" ? pattern : `${base}/${pattern}`, { basename: !pattern.includes("/") });
    } catch {
      return false;
    }
    if (tree.some((path) => matches(path) || matches(path.slice(0, Math.max(0, path.lastIndexOf("/")))))) return true;
  }
  return false;
}

/**
 * Which names occur as whole words in code files: at `ref`, or in the work tree when no ref is
 * given. One `git grep` with every name as a fixed-string pattern.
 */
async function namesPresent(root: string, names: readonly string[], isExcluded: (path: string) => boolean, ref?: string): Promise<Set<string>> {
  const unique = [...new Set(names)].filter((name) => /^[\w$]+$/.test(name));
  const present = new Set<string>();
  if (unique.length === 0) return present;
  const where = ref === undefined ? ["--untracked"] : [ref];
  const output = await gitText(root, ["grep", "-o", "-w", "-I", "-F", "--no-color", "--full-name", ...unique.flatMap((name) => ["-e", name]), ...where, "--"]);
  for (const line of output.split("\n")) {
    const last = line.lastIndexOf(":");
    if (last === -1) continue;
    let path = line.slice(0, last);
    if (ref !== undefined && path.startsWith(`${ref}:`)) path = path.slice(ref.length + 1);
    if (!isExcluded(path)) present.add(line.slice(last + 1));
  }
  return present;
}

/** The part of a symbol mention that is gone: the head, or for `missingMember` the member. */
function missingPart(finding: Finding): string | undefined {
  const { parts } = splitName(finding.mention!);
  return finding.messageId === "missingMember" ? parts[1] : parts[0];
}

// ---- paths ------------------------------------------------------------------------------------

async function explainPaths(root: string, head: string, range: string, findings: Finding[], sources: SourceCache): Promise<Map<Finding, Explanation>> {
  const out = new Map<Finding, Explanation>();
  if (findings.length === 0) return out;
  const written = findings.map((finding) => readWrittenPath(finding.mention!, finding.file));
  // The listing of an earlier run, as of this HEAD or an ancestor (drift-cache.ts).
  const store = await DriftPathCache.open(root, head, range);
  const [history, files] = await Promise.all([readPathHistory(root, range, written, store), listGitFiles(root)]);
  await store.save();
  const existing = new Set(files);
  for (const finding of findings) {
    const written = readWrittenPath(finding.mention!, finding.file);
    const explanation = explainPath(history, written, existing);
    if (explanation === undefined) continue;
    out.set(finding, await pathExplanation(finding, written, explanation, sources));
  }
  return out;
}

async function pathExplanation(finding: Finding, written: WrittenPath, explanation: PathExplanation, sources: SourceCache): Promise<Explanation> {
  // A folder is shown as one (`src/core/`); the fix leaves the written `/` where it is.
  const shown = (path: string) => (written.directory ? `${path}/` : path);
  const { replacement, candidates } = explanation;
  const useful = replacement !== undefined && replacement !== written.text ? replacement : undefined;
  const suggestion = suggestionFrom(explanation.commit, {
    ...(useful !== undefined ? { replacement: shown(useful) } : {}),
    ...(candidates !== undefined ? { candidates: candidates.map(shown) } : {}),
  });
  if (useful === undefined || suggestion.candidates !== undefined) return { suggestion };
  const source = await sources.get(finding.file);
  const fix = source === null ? undefined : pathEdit(source, finding, written.text, useful);
  return fix === undefined ? { suggestion } : { suggestion, fix };
}

// ---- symbols ----------------------------------------------------------------------------------

/** `UserImporter.importRows` → parts [UserImporter, importRows], separators ["."]. */
function splitName(name: string): { parts: string[]; separators: string[] } {
  const pieces = name.split(/(\.|::|#)/);
  const parts: string[] = [];
  const separators: string[] = [];
  pieces.forEach((piece, i) => (i % 2 === 0 ? parts : separators).push(piece));
  return { parts, separators };
}

function joinName(parts: readonly string[], separators: readonly string[]): string {
  return parts.map((part, i) => (i === 0 ? part : `${separators[i - 1]}${part}`)).join("");
}

/** What became of one bare name: renamed (followed to today), ambiguous, or removed. */
interface Fate {
  /** The commit that removed the name itself; its rename is what ties a member to its class. */
  removedIn: CommitInfo;
  /** The commit to report: the rename, or the commit that finally deleted what it became. */
  commit: CommitInfo;
  replacement?: string;
  candidates?: string[];
}

async function explainSymbols(root: string, head: string, range: string, findings: Finding[], isExcluded: (path: string) => boolean, sources: SourceCache): Promise<Map<Finding, Explanation>> {
  const out = new Map<Finding, Explanation>();
  if (findings.length === 0) return out;
  // What earlier runs found for these names, as of this HEAD or an ancestor (drift-cache.ts).
  const store = await DriftCache.open(root, head, range);
  const history = await SymbolHistory.read(root, range, isExcluded, store);
  const asked = new Set<string>();
  for (const finding of findings) {
    const { parts } = splitName(finding.mention!);
    if (parts[0]) asked.add(bareName(parts[0]));
    if (parts[1]) asked.add(bareName(parts[1]));
  }
  const events = await history.eventsFor([...asked]);
  const membersOfMissing = findings.flatMap((f) => (f.messageId === "missing" ? splitName(f.mention!).parts.slice(1, 2).map(bareName) : []));
  const [fates, membersNow] = await Promise.all([resolveFates(root, history, events, isExcluded), namesPresent(root, membersOfMissing, isExcluded)]);
  await store.save();
  for (const finding of findings) {
    const explanation = await symbolExplanation(finding, fates, membersNow, sources);
    if (explanation !== undefined) out.set(finding, explanation);
  }
  return out;
}

/**
 * Explains every asked name, then follows each replacement that no longer exists to what it
 * became, one `git grep` per round (renames of renames are rare, so usually one round).
 */
async function resolveFates(root: string, history: SymbolHistory, events: Map<string, SymbolEvent[]>, isExcluded: (path: string) => boolean): Promise<Map<string, Fate>> {
  const fates = new Map<string, Fate>();
  for (const [name, list] of events) {
    const explanation = explainName(list, history.graph);
    if (explanation === undefined) continue;
    const { event, inference } = explanation;
    fates.set(name, { removedIn: event.commit, commit: event.commit, ...inference });
  }
  /** Fates whose replacement is the name at the end of the chain so far, and when it appeared. */
  let open = [...fates.values()].filter((fate) => fate.replacement !== undefined || fate.candidates !== undefined);
  let since = new Map(open.map((fate) => [fate, fate.commit.index]));
  for (let hop = 0; hop < MAX_RENAME_HOPS && open.length > 0; hop++) {
    const wanted = open.flatMap((fate) => (fate.replacement !== undefined ? [fate.replacement] : (fate.candidates ?? [])));
    const present = await namesPresent(root, wanted, isExcluded);
    const moving = [];
    for (const fate of open) {
      if (fate.candidates !== undefined) {
        const alive = fate.candidates.filter((name) => present.has(name));
        if (alive.length > 0) fate.candidates = alive;
      } else if (!present.has(fate.replacement!)) moving.push(fate);
    }
    if (moving.length === 0) {
      open = [];
      break;
    }
    const later = await history.eventsFor(moving.map((fate) => fate.replacement!));
    const next: Fate[] = [];
    const nextSince = new Map<Fate, number>();
    for (const fate of moving) {
      const explanation = explainName(later.get(fate.replacement!) ?? [], history.graph, since.get(fate));
      if (explanation === undefined) {
        // Renamed to something that is gone too, and history does not say where: say so honestly.
        delete fate.replacement;
        continue;
      }
      const { event, inference } = explanation;
      nextSince.set(fate, event.commit.index);
      if ("replacement" in inference) {
        fate.replacement = inference.replacement;
        next.push(fate);
      } else if ("candidates" in inference) {
        delete fate.replacement;
        fate.candidates = inference.candidates;
      } else {
        delete fate.replacement;
        fate.commit = event.commit;
      }
    }
    open = next;
    since = nextSince;
  }
  // A replacement still unconfirmed after the last hop is not offered.
  if (open.length > 0) {
    const present = await namesPresent(
      root,
      open.flatMap((fate) => (fate.replacement !== undefined ? [fate.replacement] : [])),
      isExcluded,
    );
    for (const fate of open) if (fate.replacement !== undefined && !present.has(fate.replacement)) delete fate.replacement;
  }
  return fates;
}

async function symbolExplanation(finding: Finding, fates: Map<string, Fate>, membersNow: Set<string>, sources: SourceCache): Promise<Explanation | undefined> {
  const { parts, separators } = splitName(finding.mention!);
  const memberOnly = finding.messageId === "missingMember";
  const [head, member] = parts;
  if (head === undefined || head === "") return undefined;
  const headFate = memberOnly ? undefined : fates.get(bareName(head));
  const memberFate = member === undefined ? undefined : fates.get(bareName(member));
  const reported = memberOnly ? memberFate : headFate;
  if (reported === undefined) return undefined;

  // The member keeps its name unless it was renamed along with its class, or is gone everywhere.
  let newMembers: string[] | undefined = member === undefined ? undefined : [member];
  let memberLost = false;
  if (member !== undefined && memberFate !== undefined) {
    const renamedTogether = headFate !== undefined && memberFate.removedIn.sha === headFate.removedIn.sha;
    if (memberOnly || renamedTogether || !membersNow.has(bareName(member))) {
      if (memberFate.replacement !== undefined) newMembers = [withPrivatePrefix(member, memberFate.replacement)];
      else if (memberFate.candidates !== undefined) newMembers = memberFate.candidates.map((c) => withPrivatePrefix(member, c));
      else memberLost = true;
    }
  }
  const newHeads = memberOnly ? [head] : headFate?.replacement !== undefined ? [headFate.replacement] : headFate?.candidates;
  if (newHeads === undefined || memberLost) return { suggestion: suggestionFrom(reported.commit, {}) };
  const names: string[] = [];
  for (const newHead of newHeads) {
    for (const newMember of newMembers ?? [undefined]) {
      const next = [...parts];
      next[0] = newHead;
      if (newMember !== undefined) next[1] = newMember;
      names.push(joinName(next, separators));
    }
  }
  if (names.length > 1) return { suggestion: suggestionFrom(reported.commit, { candidates: names }) };
  const replacement = names[0]!;
  if (replacement === finding.mention) return { suggestion: suggestionFrom(reported.commit, {}) };
  const suggestion = suggestionFrom(reported.commit, { replacement });
  const source = await sources.get(finding.file);
  const fix = source === null ? undefined : symbolEdit(source, finding, finding.mention!, replacement);
  return fix === undefined ? { suggestion } : { suggestion, fix };
}

function withPrivatePrefix(original: string, replacement: string): string {
  return original.startsWith("#") && !replacement.startsWith("#") ? `#${replacement}` : replacement;
}

/** Harness files read once each, BOM stripped, as the positions in findings expect. */
class SourceCache {
  private readonly texts = new Map<string, Promise<SourceText | null>>();

  constructor(private readonly root: string) {}

  get(file: string): Promise<SourceText | null> {
    let text = this.texts.get(file);
    if (!text) {
      text = readFile(join(this.root, file), "utf8").then(
        (raw) => sourceText(raw.startsWith("\uFEFF") ? raw.slice(1) : raw),
        () => null,
      );
      this.texts.set(file, text);
    }
    return text;
  }
}
