import { join } from "node:path";
import { cacheDirectory } from "../git/cache-directory.js";
import { buildFingerprint } from "../shared/build-fingerprint.js";
import { CACHE_FORMAT, isRecord, loadJson, saveJson } from "../shared/cache-files.js";
import type { DeclarationKind } from "./drift-replacement.js";
import type { CommitHeader, FileHit, SymbolStore } from "./drift-symbol-history.js";
import type { ListedCommit, PathListingStore, PathRemoval } from "./drift-path-history.js";

// `drift-names-v2.json`: what `--drift` found in history for each name it searched (the file hits
// of `git log -G`, unfiltered, so any run's harness and prose filter applies on reading), as of one
// HEAD. History up to a commit does not change: with the same HEAD, a kept name needs no git log;
// with a HEAD whose walk holds the kept one (a new commit, a pull), only the commits since are read
// for it and added. Another build, another range or a HEAD that is not a descendant starts over.

const FILE = `drift-names-v${CACHE_FORMAT}.json`;

/** A commit id reaches git (`^<kept head>`): a kept file is used only when it is a full hex id. */
const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

const KINDS = new Set<DeclarationKind>(["class", "interface", "type", "enum", "namespace", "function", "variable", "method"]);

interface KeptName {
  hits: FileHit[];
  lost: number;
}

interface Kept {
  head: string;
  names: Map<string, KeptName>;
  headers: Map<string, CommitHeader>;
}

type HitRow = [sha: string, path: string, removed: number, added: number, before: string, after: string, successors: Array<[string, number]>, substitutes: Array<[string, number]>];

export class DriftCache implements SymbolStore {
  private readonly fresh = new Map<string, KeptName>();
  private readonly freshHeaders = new Map<string, CommitHeader>();
  private walks: (sha: string) => boolean = () => false;

  private constructor(
    private readonly directory: string | null,
    private readonly build: string,
    private readonly head: string,
    private readonly range: string,
    private readonly kept: Kept | null,
  ) {}

  /** The names kept for `range` (`HEAD`, `<since>..HEAD`) in this repository; none with --no-cache. */
  static async open(root: string, head: string, range: string): Promise<DriftCache> {
    const directory = await cacheDirectory(root, true);
    const build = await buildFingerprint();
    const kept = directory === null || !COMMIT_ID.test(head) ? null : await loadJson(join(directory, FILE), (data) => keptFrom(data, build, range));
    return new DriftCache(directory, build, head, range, kept);
  }

  useWalk(walks: (sha: string) => boolean): void {
    this.walks = walks;
  }

  /** Whether the kept names answer for this HEAD: the same one, or one its walk reaches. */
  private usable(): boolean {
    return this.kept !== null && (this.kept.head === this.head || this.walks(this.kept.head));
  }

  async lookup(names: readonly string[]): Promise<Map<string, KeptName>> {
    const found = new Map<string, KeptName>();
    if (!this.usable()) return found;
    for (const name of names) {
      const kept = this.kept!.names.get(name);
      if (kept !== undefined) found.set(name, kept);
    }
    return found;
  }

  header(sha: string): CommitHeader | undefined {
    return this.kept?.headers.get(sha);
  }

  newerThanKept(): string[] | undefined {
    if (!this.usable() || this.kept!.head === this.head) return undefined;
    return [this.range, `^${this.kept!.head}`];
  }

  remember(names: readonly string[], hits: Map<string, FileHit[]>, headers: ReadonlyMap<string, CommitHeader>, lost: number): void {
    for (const name of names) {
      const list = hits.get(name) ?? [];
      this.fresh.set(name, { hits: list, lost });
      for (const hit of list) {
        const header = headers.get(hit.sha);
        if (header !== undefined) this.freshHeaders.set(hit.sha, header);
      }
    }
  }

  /** Writes what this run searched, with what was kept for the same HEAD; nothing when nothing is new. */
  async save(): Promise<void> {
    if (this.directory === null || this.fresh.size === 0) return;
    const names = new Map<string, KeptName>();
    const headers = new Map<string, CommitHeader>();
    if (this.kept !== null && this.kept.head === this.head) {
      for (const [name, kept] of this.kept.names) names.set(name, kept);
      for (const [sha, header] of this.kept.headers) headers.set(sha, header);
    }
    for (const [name, kept] of this.fresh) names.set(name, kept);
    for (const [sha, header] of this.freshHeaders) headers.set(sha, header);
    const used = new Set<string>();
    for (const kept of names.values()) for (const hit of kept.hits) used.add(hit.sha);
    await saveJson(this.directory, FILE, () => ({
      build: this.build,
      range: this.range,
      head: this.head,
      headers: Object.fromEntries([...headers].filter(([sha]) => used.has(sha)).map(([sha, h]) => [sha, [h.parents.join(" "), h.date, h.subject]])),
      names: Object.fromEntries(
        [...names].map(([name, kept]) => [
          name,
          {
            lost: kept.lost,
            hits: kept.hits.map((hit): HitRow => [hit.sha, hit.path, hit.removed, hit.added, hit.declaredBefore.join(","), hit.declaredAfter.join(","), hit.successors, hit.substitutes]),
          },
        ]),
      ),
    }));
  }
}

/** The kept names, when the file is whole, of this build and this range; null otherwise. */
function keptFrom(data: unknown, build: string, range: string): Kept | null {
  if (!isRecord(data) || data.build !== build || data.range !== range || typeof data.head !== "string" || !COMMIT_ID.test(data.head)) return null;
  if (!isRecord(data.headers) || !isRecord(data.names)) return null;
  const headers = new Map<string, CommitHeader>();
  for (const [sha, row] of Object.entries(data.headers)) {
    if (!Array.isArray(row) || row.length !== 3 || !row.every((field) => typeof field === "string")) return null;
    const [parents, date, subject] = row as [string, string, string];
    headers.set(sha, { parents: parents === "" ? [] : parents.split(" "), date, subject });
  }
  const names = new Map<string, KeptName>();
  for (const [name, entry] of Object.entries(data.names)) {
    if (!isRecord(entry) || !isCount(entry.lost) || !Array.isArray(entry.hits)) return null;
    const hits: FileHit[] = [];
    for (const row of entry.hits as unknown[]) {
      const hit = hitFrom(row);
      if (hit === null || !headers.has(hit.sha)) return null;
      hits.push(hit);
    }
    names.set(name, { hits, lost: entry.lost });
  }
  return { head: data.head, names, headers };
}

function hitFrom(row: unknown): FileHit | null {
  if (!Array.isArray(row) || row.length !== 8) return null;
  const [sha, path, removed, added, before, after, successors, substitutes] = row as unknown[];
  if (typeof sha !== "string" || typeof path !== "string" || !isCount(removed) || !isCount(added)) return null;
  const declaredBefore = kindsFrom(before);
  const declaredAfter = kindsFrom(after);
  const successorVotes = votesFrom(successors);
  const substituteVotes = votesFrom(substitutes);
  if (declaredBefore === null || declaredAfter === null || successorVotes === null || substituteVotes === null) return null;
  return { sha, path, removed, added, declaredBefore, declaredAfter, successors: successorVotes, substitutes: substituteVotes };
}

function kindsFrom(value: unknown): DeclarationKind[] | null {
  if (typeof value !== "string") return null;
  if (value === "") return [];
  const kinds = value.split(",");
  return kinds.every((kind) => KINDS.has(kind as DeclarationKind)) ? (kinds as DeclarationKind[]) : null;
}

function votesFrom(value: unknown): Array<[string, number]> | null {
  if (!Array.isArray(value)) return null;
  for (const pair of value) if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || !isCount(pair[1])) return null;
  return value as Array<[string, number]>;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

// `drift-paths-v2.json`: the path listing of the range (every commit, the paths it removed, and
// for the commits rename detection ran on, where each went), as of one HEAD, kept the same way.

const PATHS_FILE = `drift-paths-v${CACHE_FORMAT}.json`;

type ListedRow = [sha: string, parents: string, date: string, subject: string, refined: 0 | 1, removals: Array<[string] | [string, string]>];

export class DriftPathCache implements PathListingStore {
  private fresh: readonly ListedCommit[] | undefined;

  private constructor(
    private readonly directory: string | null,
    private readonly build: string,
    private readonly head: string,
    private readonly range: string,
    private readonly listing: { head: string; commits: ListedCommit[] } | null,
  ) {}

  static async open(root: string, head: string, range: string): Promise<DriftPathCache> {
    const directory = await cacheDirectory(root, true);
    const build = await buildFingerprint();
    const listing = directory === null || !COMMIT_ID.test(head) ? null : await loadJson(join(directory, PATHS_FILE), (data) => listingFrom(data, build, range));
    return new DriftPathCache(directory, build, head, range, listing);
  }

  kept(): { head: string; current: boolean; commits: ListedCommit[] } | undefined {
    return this.listing === null ? undefined : { ...this.listing, current: this.listing.head === this.head };
  }

  remember(commits: readonly ListedCommit[]): void {
    this.fresh = commits;
  }

  async save(): Promise<void> {
    const commits = this.fresh;
    if (this.directory === null || commits === undefined) return;
    await saveJson(this.directory, PATHS_FILE, () => ({
      build: this.build,
      range: this.range,
      head: this.head,
      commits: commits.map(
        ({ commit, removals, refined }): ListedRow => [
          commit.sha,
          commit.parents.join(" "),
          commit.date,
          commit.subject,
          refined ? 1 : 0,
          removals.map((removal) => (removal.to === undefined ? [removal.from] : [removal.from, removal.to])),
        ],
      ),
    }));
  }
}

function listingFrom(data: unknown, build: string, range: string): { head: string; commits: ListedCommit[] } | null {
  if (!isRecord(data) || data.build !== build || data.range !== range || typeof data.head !== "string" || !COMMIT_ID.test(data.head) || !Array.isArray(data.commits)) return null;
  const commits: ListedCommit[] = [];
  for (const row of data.commits as unknown[]) {
    if (!Array.isArray(row) || row.length !== 6) return null;
    const [sha, parents, date, subject, refined, removals] = row as unknown[];
    if (typeof sha !== "string" || !COMMIT_ID.test(sha) || typeof parents !== "string" || typeof date !== "string" || typeof subject !== "string") return null;
    if ((refined !== 0 && refined !== 1) || !Array.isArray(removals)) return null;
    const commit = { sha, parents: parents === "" ? [] : parents.split(" "), date, subject, index: commits.length };
    const list: PathRemoval[] = [];
    for (const removal of removals as unknown[]) {
      if (!Array.isArray(removal) || removal.length < 1 || removal.length > 2 || !removal.every((path) => typeof path === "string")) return null;
      const [from, to] = removal as [string, string | undefined];
      list.push(to === undefined ? { commit, from } : { commit, from, to });
    }
    commits.push({ commit, removals: list, refined: refined === 1 });
  }
  return { head: data.head, commits };
}
